import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { type RedisTestServer, startRedis } from '@llmo/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CachedAnswer, createOrchestrator } from '../index.js';
import { RedisCacheStore } from '../redis.js';

/**
 * A bound no loaded machine reaches for a real Redis on 127.0.0.1: these tests are about what is stored, not
 * about the default 200 ms `opTimeoutMs` (fresh-clone CI under load once took longer for a SET); the bound is
 * tested with a Redis that is down or never answers.
 */
const ROOMY = { opTimeoutMs: 10_000 };

let server: RedisTestServer;
const clients: Redis[] = [];
const client = () => {
  const c = new Redis(server.url, { lazyConnect: false, maxRetriesPerRequest: 1 });
  clients.push(c);
  return c;
};

beforeAll(async () => {
  server = await startRedis();
}, 30_000);
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await server?.stop();
});

const entry = (text: string): CachedAnswer => ({
  value: { text },
  text,
  provider: 'p',
  model: 'm',
  usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3, estimated: false },
  cost: { amount: 0.5, currency: 'USD', known: true },
  createdAt: 1,
});

describe('RedisCacheStore against a real redis-server', () => {
  it('stores JSON with Redis expiry, under its prefix, and reads it back', async () => {
    const store = new RedisCacheStore({ client: client(), ...ROOMY, prefix: 'test:a:' });
    await store.set('k', entry('hello'), 60_000);
    expect(await store.get('k')).toEqual(entry('hello'));
    const ttl = await server.command('PTTL', 'test:a:k');
    const ms = Number(ttl.replace(/^:/, '').trim());
    expect(ms).toBeGreaterThan(0);
    expect(ms).toBeLessThanOrEqual(60_000);
    expect(await store.delete('k')).toBe(true);
    expect(await store.get('k')).toBeUndefined();
  });

  it('an entry past its TTL is gone (Redis expires it)', async () => {
    const store = new RedisCacheStore({ client: client(), ...ROOMY, prefix: 'test:ttl:' });
    await store.set('k', entry('x'), 1);
    const until = Date.now() + 5000;
    while ((await store.get('k')) !== undefined && Date.now() < until)
      await new Promise((r) => setTimeout(r, 5));
    expect(await store.get('k')).toBeUndefined();
  });

  it('drops an entry that is not its JSON, and clears only its own prefix', async () => {
    const store = new RedisCacheStore({ client: client(), ...ROOMY, prefix: 'test:b*:' });
    await server.command('SET', 'test:b*:bad', '{not json');
    expect(await store.get('bad')).toBeUndefined();
    expect(await server.command('EXISTS', 'test:b*:bad')).toBe(':0\r\n');
    await store.set('one', entry('1'), 60_000);
    await store.set('two', entry('2'), 60_000);
    await server.command('SET', 'test:bX:other', 'kept');
    await store.clear();
    expect(await store.get('one')).toBeUndefined();
    expect(await server.command('GET', 'test:bX:other')).toBe('$4\r\nkept\r\n');
  });

  it('two orchestrators share answers through Redis; a Redis that is down is a miss, not a failure', async () => {
    const router = new Router({ onWarning: false });
    router.addProvider(createMockProvider({ name: 'mock', latencyMs: 0 }));
    let calls = 0;
    router.on('attempt-start', () => calls++);
    const make = (store: RedisCacheStore, warnings: string[] = []) =>
      createOrchestrator({
        router,
        tasks: { chat: { cacheTtlMs: 60_000 } },
        cache: store,
        onWarning: (m) => warnings.push(m),
      });
    const first = make(new RedisCacheStore({ client: client(), ...ROOMY, prefix: 'test:shared:' }));
    const second = make(new RedisCacheStore({ client: client(), ...ROOMY, prefix: 'test:shared:' }));
    expect((await first.process({ taskType: 'chat', variables: { input: 'hi' } })).cache).toBe('miss');
    const hit = await second.process({ taskType: 'chat', variables: { input: 'hi' } });
    expect(hit).toMatchObject({ cache: 'hit', value: 'Mock response to: hi', provider: 'mock' });
    expect(calls).toBe(1);

    // A client pointed at a closed port: lookups and writes fail fast, the answer still comes back.
    const down = new Redis({
      host: '127.0.0.1',
      port: 1,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    clients.push(down);
    const warnings: string[] = [];
    const offline = make(new RedisCacheStore({ client: down, prefix: 'test:down:' }), warnings);
    const result = await offline.process({ taskType: 'chat', variables: { input: 'hi' } });
    expect(result).toMatchObject({ cache: 'miss', value: 'Mock response to: hi' });
    expect(warnings.some((w) => w.startsWith('cache lookup failed'))).toBe(true);
    expect(warnings.some((w) => w.startsWith('cache write failed'))).toBe(true);
    await router.close();
  });
});
