// gateway.limits: requests at once (503 with Retry-After above it) and the per-request deadline (504), on the
// app alone (createGateway + fetch, as an edge runtime would call it); and tpm charged for streams that end early.
import { parseConfig } from '@llmo/config';
import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { describe, expect, it } from 'vitest';
import { createGateway } from './index.js';

const ask = (gateway: ReturnType<typeof createGateway>, model: string) =>
  gateway.fetch(
    new Request('http://gateway/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'x', model }),
    }),
  );

it('maxConcurrentRequests: the request over the limit is a 503 with Retry-After; the others are answered', async () => {
  const router = new Router({ retry: { maxRetries: 0 }, onWarning: false });
  router.addProvider(createMockProvider({ name: 'slow', latencyMs: 200 }));
  const config = parseConfig(
    'providers:\n  - { name: slow, type: mock, model: mock-normal }\ngateway:\n  limits: { maxConcurrentRequests: 2 }\n',
  );
  const gateway = createGateway({ router, config });
  const responses = await Promise.all([ask(gateway, 'slow'), ask(gateway, 'slow'), ask(gateway, 'slow')]);
  const statuses = responses.map((r) => r.status).sort();
  expect(statuses).toEqual([200, 200, 503]);
  const refused = responses.find((r) => r.status === 503);
  if (!refused) throw new Error('no request was refused');
  expect(refused.headers.get('retry-after')).toBe('1');
  expect((await refused.json()).error.code).toBe('overloaded');
  expect(gateway.inFlight).toBe(0);
  expect((await ask(gateway, 'slow')).status).toBe(200);
  await router.close();
});

it('requestTimeoutMs: a request past its deadline is a 504', async () => {
  const router = new Router({ retry: { maxRetries: 0 }, onWarning: false });
  router.addProvider(createMockProvider({ name: 'slow', latencyMs: 5_000 }));
  const config = parseConfig(
    'providers:\n  - { name: slow, type: mock, model: mock-normal }\ngateway:\n  limits: { requestTimeoutMs: 100 }\n',
  );
  const gateway = createGateway({ router, config });
  const res = await ask(gateway, 'slow');
  expect(res.status).toBe(504);
  expect((await res.json()).error.type).toBe('timeout_error');
  await router.close({ timeoutMs: 0 });
});

describe('tpm: streams that end early are charged too', () => {
  const yaml = (model: string) =>
    `providers:\n  - { name: s, type: mock, model: ${model} }\ngateway:\n  keys:\n    - { key: k, tenant: t, tpm: 10 }\n`;
  const stream = (gateway: ReturnType<typeof createGateway>) =>
    gateway.fetch(
      new Request('http://gateway/chat/stream', {
        method: 'POST',
        headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
        // About 10 tokens of prompt (40 characters): the key's whole window.
        body: JSON.stringify({ message: 'a prompt of forty characters, give or ta', model: 's' }),
      }),
    );

  it('a stream the client abandons after the first chunk is charged (prompt estimate + streamed text)', async () => {
    const router = new Router({ retry: { maxRetries: 0 }, onWarning: false });
    router.addProvider(createMockProvider({ name: 's', latencyMs: 0, chunkDelayMs: 50 }));
    const gateway = createGateway({ router, config: parseConfig(yaml('mock-normal')) });
    const res = await stream(gateway);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    await gateway.idle();
    const next = await stream(gateway);
    expect(next.status).toBe(429);
    expect((await next.json()).error.code).toBe('tokens_rate_limit_exceeded');
    await router.close({ timeoutMs: 0 });
  });

  it('a stream that breaks mid-way is charged', async () => {
    const router = new Router({ retry: { maxRetries: 0 }, onWarning: false });
    router.addProvider(
      createMockProvider({ name: 's', model: 'mock-stream-break', latencyMs: 0, chunkDelayMs: 0 }),
    );
    const gateway = createGateway({ router, config: parseConfig(yaml('mock-stream-break')) });
    const res = await stream(gateway);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('error');
    await gateway.idle();
    expect((await stream(gateway)).status).toBe(429);
    await router.close({ timeoutMs: 0 });
  });
});

describe('a configuration reload keeps the rate windows of keys whose limits stay', () => {
  const config = (rpmOfB: number) =>
    parseConfig(
      `providers:\n  - { name: s, type: mock, model: mock-normal }\ngateway:\n  keys:\n    - { key: key-a, tenant: a, rpm: 2 }\n    - { key: key-b, tenant: b, rpm: ${rpmOfB} }\n`,
    );
  const chat = (gateway: ReturnType<typeof createGateway>, key: string) =>
    gateway.fetch(
      new Request('http://gateway/chat', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'x', model: 's' }),
      }),
    );

  it('a key at its limit stays limited after a reload; a key whose limit changed starts a new window', async () => {
    const router = new Router({ retry: { maxRetries: 0 }, onWarning: false });
    router.addProvider(createMockProvider({ name: 's', latencyMs: 0 }));
    const gateway = createGateway({ router, config: config(1) });
    await gateway.ready;
    expect([(await chat(gateway, 'key-a')).status, (await chat(gateway, 'key-a')).status]).toEqual([
      200, 200,
    ]);
    expect((await chat(gateway, 'key-a')).status).toBe(429);
    expect((await chat(gateway, 'key-b')).status).toBe(200);
    expect((await chat(gateway, 'key-b')).status).toBe(429);

    await gateway.updateConfig(config(3));
    // key-a's limit is the same: still used up in this minute (a SIGHUP must not hand out a fresh minute).
    expect((await chat(gateway, 'key-a')).status).toBe(429);
    // key-b's limit changed: a new window at the new limit.
    expect((await chat(gateway, 'key-b')).status).toBe(200);
    await router.close();
  });
});
