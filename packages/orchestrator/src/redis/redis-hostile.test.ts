import { createServer } from 'node:net';
import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { type RedisTestServer, startRedis } from '@llmo/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createOrchestrator, OrchestratorError } from '../index.js';
import { waitUntil } from '../orchestrator.test-helper.js';
import { RedisCacheStore, type RedisClientLike } from '../redis.js';

let server: RedisTestServer;
const clients: Redis[] = [];
const routers: Router[] = [];
beforeAll(async () => {
  server = await startRedis();
}, 30_000);
afterAll(async () => {
  for (const c of clients) c.disconnect();
  for (const r of routers) await r.close();
  await server?.stop();
});

function setup(cache: RedisCacheStore, response = 'Mock answer', tasks = { chat: { cacheTtlMs: 60_000 } }) {
  const router = new Router({ onWarning: false });
  router.addProvider(createMockProvider({ name: 'mock', latencyMs: 0, response: () => response }));
  routers.push(router);
  let calls = 0;
  router.on('attempt-start', () => calls++);
  const warnings: string[] = [];
  const orchestrator = createOrchestrator({ router, tasks, cache, onWarning: (m) => warnings.push(m) });
  return { orchestrator, warnings, calls: () => calls };
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('RedisCacheStore when Redis misbehaves', () => {
  it('Redis down with ioredis’s default client (offline queue, ~20 retries): a miss, not a 40 s wait', async () => {
    const down = new Redis(`redis://127.0.0.1:${await closedPort()}`);
    down.on('error', () => {});
    clients.push(down);
    const { orchestrator, warnings } = setup(new RedisCacheStore({ client: down, prefix: 'down:' }));
    const result = await orchestrator.process({ taskType: 'chat', variables: { input: 'hi' } });
    expect(result).toMatchObject({ cache: 'miss', value: 'Mock answer' });
    expect(warnings.some((w) => w.startsWith('cache lookup failed') && w.includes('opTimeoutMs'))).toBe(true);
    expect(warnings.some((w) => w.startsWith('cache write failed'))).toBe(true);
  }, 15_000);

  it('the caller’s abort ends a lookup that never answers', async () => {
    let gets = 0;
    const hanging: RedisClientLike = {
      get: () => {
        gets++;
        return new Promise<string | null>(() => {});
      },
      set: async () => 'OK',
      del: async () => 0,
      scan: async () => ['0', []],
    };
    const { orchestrator, calls } = setup(new RedisCacheStore({ client: hanging, opTimeoutMs: 3_600_000 }));
    const controller = new AbortController();
    const pending = orchestrator
      .process({ taskType: 'chat', variables: { input: 'hi' }, signal: controller.signal })
      .catch((e: unknown) => e);
    await waitUntil(() => gets === 1, 'the lookup to start');
    controller.abort();
    const error = await pending;
    expect(OrchestratorError.isInstance(error) && error.code).toBe('cancelled');
    expect(calls()).toBe(0);
  }, 15_000);

  it('an entry of another shape (another app, an older format) is dropped and read as a miss', async () => {
    const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
    clients.push(client);
    const { orchestrator, calls, warnings } = setup(
      new RedisCacheStore({ client, prefix: 'garbage:', opTimeoutMs: 10_000 }),
    );
    const request = { taskType: 'chat', variables: { input: 'hi' } };
    await orchestrator.process(request);
    const keys = await client.keys('garbage:*');
    expect(keys).toHaveLength(1);
    for (const foreign of [JSON.stringify({ text: 'from another app' }), '[1,2]', 'null', '{"text": 1}']) {
      await client.set(keys[0] as string, foreign);
      const result = await orchestrator.process(request);
      expect(result).toMatchObject({ cache: 'miss', value: 'Mock answer' });
      // Replaced by a whole entry: the next one is a hit.
      expect((await orchestrator.process(request)).cache).toBe('hit');
    }
    expect(calls()).toBe(5);
    expect(warnings).toEqual([]);
  });

  it('any store: an entry that is not a cached answer is deleted with a warning, never served', async () => {
    const deleted: string[] = [];
    const store = {
      get: () => ({ text: 'x', cost: { amount: 0, currency: 'USD', known: true } }) as never,
      set: () => {},
      delete: (key: string) => deleted.push(key),
    };
    const router = new Router({ onWarning: false });
    router.addProvider(createMockProvider({ name: 'mock', latencyMs: 0, response: () => '{"a": 1}' }));
    routers.push(router);
    const warnings: string[] = [];
    const orchestrator = createOrchestrator({
      router,
      tasks: { j: { cacheTtlMs: 60_000, outputFormat: 'json' } },
      cache: store,
      onWarning: (m) => warnings.push(m),
    });
    const result = await orchestrator.process({ taskType: 'j', variables: { input: 'hi' } });
    expect(result).toMatchObject({ cache: 'miss', value: { a: 1 }, provider: 'mock' });
    expect(deleted).toHaveLength(1);
    expect(warnings.some((w) => w.includes('not a cached answer'))).toBe(true);
  });

  it('a hit through Redis has the schema’s types again (Dates are Dates, transforms applied)', async () => {
    const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
    clients.push(client);
    const { orchestrator, calls } = setup(
      new RedisCacheStore({ client, prefix: 'dates:', opTimeoutMs: 10_000 }),
      '{"due": "2026-12-01T10:00:00Z", "amount": "12.50"}',
      { chat: { cacheTtlMs: 60_000 } },
    );
    const schema = z.object({ due: z.coerce.date(), amount: z.string().transform(Number) });
    const request = {
      taskType: 'chat',
      variables: { input: 'invoice' },
      outputFormat: 'json' as const,
      schema,
    };
    const miss = await orchestrator.process(request);
    const hit = await orchestrator.process(request);
    expect(miss.value.due).toBeInstanceOf(Date);
    expect(hit.cache).toBe('hit');
    expect(hit.value.due).toBeInstanceOf(Date);
    expect(hit.value.due.getTime()).toBe(Date.parse('2026-12-01T10:00:00Z'));
    expect(hit.value.amount).toBe(12.5);
    expect(calls()).toBe(1);
  });
});
