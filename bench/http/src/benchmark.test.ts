// Smoke test: every measurement runs, with tiny counts (20 calls, 1 round), and the table has every row with
// a number in every column. No timing is asserted: tests assert behaviour, benchmarks print numbers.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BenchResult, DEFAULT_OPTIONS, runBenchmark, SCENARIOS } from './benchmark.js';
import { CLIENT_IDS, CLIENTS } from './clients.js';
import { renderMarkdown } from './report.js';

const MAIN_ROWS = [
  'added p50 latency, non-streaming, 1 in flight',
  'throughput vs floor, 100 in flight',
  'client CPU per call, 100 in flight',
  'CPU per stream chunk (slope, 20→500 chunks)',
  'added time to first chunk, 1 in flight',
  'SSE framing, MB/s (minimal sync parser: ',
];
const MORE_ROWS = [
  'added p99 latency, non-streaming, 1 in flight',
  'throughput vs floor, 100-chunk streams, 100 in flight',
  'heap peak over start, 100 in flight: non-streaming / 100-chunk streams',
  'RSS peak over start, 100 in flight: non-streaming / 100-chunk streams',
  'SSE framing, MB/s, 256-byte reads (minimal sync parser: ',
  'failed / wrong calls (all scenarios)',
];

describe('bench:http', () => {
  let result: BenchResult;
  let markdown: string;

  beforeAll(async () => {
    // The server runs from its build, as in `pnpm bench:http`.
    execFileSync(process.execPath, [fileURLToPath(new URL('../build.mjs', import.meta.url))]);
    result = await runBenchmark({
      ...DEFAULT_OPTIONS,
      rounds: 1,
      warmup: false,
      calls: 20,
      // Counts, not time, bound the smoke test: every window makes its 20 calls even on a slow machine.
      timeCapMs: 60_000,
      budgetSeconds: 100_000,
      framing: { totalBytes: 100_000, repeats: 1 },
    });
    markdown = renderMarkdown(result);
  });

  it('runs every client in every scenario, with right answers only', () => {
    for (const scenario of SCENARIOS) {
      for (const client of CLIENT_IDS) {
        const aggregate = result.results[scenario.id]?.[client];
        expect(aggregate, `${scenario.id} / ${client}`).toMatchObject({ calls: 20, failed: 0, wrong: 0 });
        expect(aggregate!.p50).toBeGreaterThan(0);
        if (scenario.chunks > 0) expect(aggregate!.firstChunkP50).toBeGreaterThan(0);
      }
    }
    expect(result.server.requests).toBeGreaterThanOrEqual(SCENARIOS.length * CLIENT_IDS.length * 20);
  });

  it('prints every row of the table with a number in every column', () => {
    const header = `| measure | ${CLIENT_IDS.map((id) => CLIENTS[id].label).join(' | ')} | goal |`;
    expect(markdown).toContain(header);
    for (const measure of [...MAIN_ROWS, ...MORE_ROWS]) {
      // A measure ending in ': ' carries a number in its label (the minimal parser's MB/s).
      const line = markdown
        .split('\n')
        .find((l) =>
          measure.endsWith(': ') ? l.startsWith(`| ${measure}`) : l.startsWith(`| ${measure} |`),
        );
      expect(line, measure).toBeDefined();
      const cells = line!.split(' | ').slice(1, -1);
      expect(cells).toHaveLength(CLIENT_IDS.length);
      const routers = (i: number) => CLIENT_IDS[i]!.startsWith('llmo-router');
      cells.forEach((cell, i) => {
        if (measure.startsWith('SSE framing') && (routers(i) || i === 0)) expect(cell).toBe('—');
        // A number, signed or not: a slope fitted over the smoke run's few calls can come out negative.
        else expect(cell, `${measure}, ${CLIENT_IDS[i]}`).toMatch(/^[−+-]?[\d,.]+/);
        expect(cell).not.toContain('n/a');
      });
    }
    expect(markdown).toMatch(/\| SSE framing, MB\/s \(minimal sync parser: [\d,]+\) \|/);
    expect(markdown).toMatch(/Machine: \d+ × .+, Node v\d+/);
  });
});
