// gateway.redis: the per-key rate limit windows shared by every gateway process through a real Redis
// (testkit's startRedis), and each process falling back to its own window while Redis is down.
import { type RedisTestServer, startRedis } from '@llmo/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway, waitFor } from '../start-test-gateway.test-helper.js';

const KEY = 'sk-shared-3f2e1d0c9b8a7f6e5d4c';

const yaml = `
providers:
  - { name: a, type: mock, model: mock-normal, latencyMs: 0, chunkDelayMs: 0 }
gateway:
  keys:
    - { key: "\${KEY}", tenant: team, name: team-key, rpm: 3 }
  redis: { url: "\${REDIS_URL}", keyPrefix: "llmo:test:" }
  logs: { dir: __LOGS__, file: false }
`;

const chat = (gw: TestGateway) =>
  fetch(`${gw.url}/chat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ message: 'hi' }),
  }).then(async (r) => {
    await r.text();
    return r.status;
  });

let redis: RedisTestServer;
let one: TestGateway;
let two: TestGateway;
beforeAll(async () => {
  redis = await startRedis();
  const env = { KEY, REDIS_URL: redis.url };
  [one, two] = await Promise.all([startTestGateway(yaml, env), startTestGateway(yaml, env)]);
}, 60_000);
afterAll(async () => {
  await Promise.all([one?.close(), two?.close()]);
  await redis?.stop();
});

describe('rate limits shared through Redis', () => {
  it('two gateway processes count one window per key: the fourth request, on either, is 429', async () => {
    // Both connect in the background; wait until a write from each reached Redis.
    const statuses = [await chat(one), await chat(two), await chat(one)];
    expect(statuses).toEqual([200, 200, 200]);
    const fourth = await fetch(`${two.url}/chat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'hi' }),
    });
    expect(fourth.status).toBe(429);
    expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(0);
    // The window lives in Redis under the configured prefix and the key's name, never the key itself.
    expect(await redis.command('EXISTS', 'llmo:test:rpm::team-key')).toBe(':1\r\n');
    const keys = await redis.command('KEYS', '*');
    expect(keys).not.toContain(KEY);
  });

  it('with Redis down, requests are still served and limited per process, and the outage is logged', async () => {
    await redis.command('FLUSHALL');
    await redis.stop();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push(await chat(one));
    // Served from this process's own window (3 a minute): never a 500 because the store is down.
    expect(statuses).toEqual([200, 200, 200, 429]);
    await waitFor(() => one.lines().some((l) => l.event === 'redis_down'), 'the redis_down log line');
    expect(one.stdout()).not.toContain(redis.url);
  });
});
