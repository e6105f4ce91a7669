import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUsageRecordId, type UsageRecord } from '@llmo/core';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../index.js';
import { createJsonlUsageSink, createRouterFromConfig, loadConfig } from '../node.js';

const dir = mkdtempSync(join(tmpdir(), 'llmo-cost-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const record = (i: number): UsageRecord => ({
  id: createUsageRecordId(),
  requestId: `req_${i}`,
  provider: 'a',
  model: 'm',
  promptTokens: 1,
  completionTokens: 2,
  totalTokens: 3,
  estimated: false,
  cost: 0,
  currency: 'USD',
  costKnown: true,
  latencyMs: 1,
  success: true,
  streaming: false,
  retry: 0,
  timestamp: new Date(0).toISOString(),
});

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the JSONL cost log', () => {
  it('keeps every record of a burst on a slow disk, in a few writes that never overlap', async () => {
    const path = join(dir, 'burst', 'cost.jsonl');
    let writes = 0;
    let inFlight = 0;
    let overlapped = false;
    const sink = createJsonlUsageSink({
      path,
      appendFile: async (file, data) => {
        writes++;
        inFlight++;
        if (inFlight > 1) overlapped = true;
        await new Promise((resolve) => setTimeout(resolve, 20)); // a slow disk
        const { appendFile } = await import('node:fs/promises');
        await appendFile(file, data);
        inFlight--;
      },
    });
    const count = 5000;
    await Promise.all(Array.from({ length: count }, (_, i) => sink.write(record(i))));
    await sink.flush();
    const written = lines(path);
    expect(written).toHaveLength(count);
    expect(new Set(written.map((l) => l.request_id)).size).toBe(count);
    expect(written[0]).toMatchObject({
      request_id: 'req_0',
      prompt_tokens: 1,
      total_tokens: 3,
      currency: 'USD',
    });
    expect(overlapped).toBe(false);
    expect(writes).toBeLessThan(count / 100);
    expect(sink.pending).toBe(0);
  });

  it('rejects the records of a failed write, so the router retries them', async () => {
    const path = join(dir, 'flaky.jsonl');
    let failNext = true;
    const sink = createJsonlUsageSink({
      path,
      appendFile: async (file, data) => {
        if (failNext) {
          failNext = false;
          throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
        }
        const { appendFile } = await import('node:fs/promises');
        await appendFile(file, data);
      },
    });
    await expect(sink.write(record(1))).rejects.toThrow('EIO');
    await sink.write(record(1));
    expect(lines(path)).toHaveLength(1);
  });

  it('from a configuration: one line per attempt, all written when the router closes', async () => {
    const path = join(dir, 'llmo.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      path,
      `router:
  retry: { maxRetries: 0 }
providers:
  - { name: down, type: mock, model: mock-server-error, latencyMs: 0 }
  - { name: up, type: mock, model: mock-normal, latencyMs: 0, chunkDelayMs: 0 }
`,
    );
    writeFileSync(join(dir, 'llmo.costs.yaml'), 'usage:\n  costLog: logs/cost.jsonl\n');
    const config = await loadConfig(path, { env: { LLMO_ENV: 'costs' } });
    const router = await createRouterFromConfig(config, {
      router: { strategy: 'first-available', onWarning: false },
    });
    const requests = 50;
    await Promise.all(Array.from({ length: requests }, (_, i) => router.route(`question ${i}`)));
    const report = await router.close({ timeoutMs: 10_000 });
    expect(report.drained).toBe(true);
    const written = lines(join(dir, 'logs', 'cost.jsonl'));
    // first-available: "down" fails first, then "up" answers: two attempts per request.
    expect(written).toHaveLength(requests * 2);
    expect(written.filter((l) => l.success === true)).toHaveLength(requests);
    expect(new Set(written.map((l) => l.id)).size).toBe(requests * 2);
  });

  it('a usageCallback in code and a cost log cannot both be given', async () => {
    const config = parseConfig(
      'providers:\n  - { name: a, type: mock, model: m }\nusage:\n  costLog: /tmp/x.jsonl\n',
    );
    await expect(
      createRouterFromConfig(config, { router: { usageCallback: async () => {} } }),
    ).rejects.toThrow('usage.costLog and a usageCallback given in code cannot both receive usage');
  });
});
