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

  it("a key's requests running at once count each other's prompts: the second is refused while the first runs", async () => {
    const router = new Router({ retry: { maxRetries: 0 }, onWarning: false });
    router.addProvider(createMockProvider({ name: 's', latencyMs: 300, chunkDelayMs: 0 }));
    const gateway = createGateway({ router, config: parseConfig(yaml('mock-normal')) });
    let inProvider: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      inProvider = resolve;
    });
    router.on('attempt-start', () => inProvider());
    const first = stream(gateway);
    await started;
    // The first request's prompt (about 10 tokens, the key's whole window) is held while it runs.
    const second = await stream(gateway);
    expect(second.status).toBe(429);
    expect((await second.json()).error.code).toBe('tokens_rate_limit_exceeded');
    expect((await first).status).toBe(200);
    await router.close({ timeoutMs: 0 });
  });

  it('a request that ends without an answer gives its prompt hold back', async () => {
    const router = new Router({ retry: { maxRetries: 0 }, onWarning: false });
    router.addProvider(createMockProvider({ name: 's', model: 'mock-server-error', latencyMs: 0 }));
    const gateway = createGateway({ router, config: parseConfig(yaml('mock-server-error')) });
    expect((await stream(gateway)).status).toBeGreaterThanOrEqual(500);
    await gateway.idle();
    // Nothing was answered, so nothing is left in the window: the next request is admitted (and fails alike).
    expect((await stream(gateway)).status).toBeGreaterThanOrEqual(500);
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

describe("a configuration reload keeps every key's rate window", () => {
  const config = (keys: string) =>
    parseConfig(`providers:\n  - { name: s, type: mock, model: mock-normal }\ngateway:\n  keys:\n${keys}`);
  const chat = (gateway: ReturnType<typeof createGateway>, key: string) =>
    gateway.fetch(
      new Request('http://gateway/chat', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'x', model: 's' }),
      }),
    );
  const statuses = async (gateway: ReturnType<typeof createGateway>, key: string, n: number) => {
    const seen: number[] = [];
    for (let i = 0; i < n; i++) seen.push((await chat(gateway, key)).status);
    return seen;
  };

  it('the same limit, a raised one, a lowered one and a key removed then added back all keep the count', async () => {
    const router = new Router({ retry: { maxRetries: 0 }, onWarning: false });
    router.addProvider(createMockProvider({ name: 's', latencyMs: 0 }));
    const keys = (a: number, b: number, c: number) =>
      `    - { key: key-a, tenant: a, rpm: ${a} }\n    - { key: key-b, tenant: b, rpm: ${b} }\n    - { key: key-c, tenant: c, rpm: ${c} }\n`;
    const gateway = createGateway({ router, config: config(keys(2, 4, 2)) });
    await gateway.ready;
    expect(await statuses(gateway, 'key-a', 3)).toEqual([200, 200, 429]); // counted: 3
    expect(await statuses(gateway, 'key-b', 3)).toEqual([200, 200, 200]); // counted: 3
    expect(await statuses(gateway, 'key-c', 2)).toEqual([200, 200]); // counted: 2

    // Same limit for a (a SIGHUP must not hand out a fresh minute), b lowered to 2, c removed.
    await gateway.updateConfig(
      config(`    - { key: key-a, tenant: a, rpm: 2 }\n    - { key: key-b, tenant: b, rpm: 2 }\n`),
    );
    expect(await statuses(gateway, 'key-a', 1)).toEqual([429]);
    expect(await statuses(gateway, 'key-b', 1)).toEqual([429]);
    expect(await statuses(gateway, 'key-c', 1)).toEqual([401]);

    // a raised to 6: its 4 so far plus 2 more; c back with its limit: still spent.
    await gateway.updateConfig(config(keys(6, 2, 2)));
    expect(await statuses(gateway, 'key-a', 3)).toEqual([200, 200, 429]);
    expect(await statuses(gateway, 'key-c', 1)).toEqual([429]);
    await router.close();
  });

  it('reloads apply in call order, even one made before the first settings are ready', async () => {
    const router = new Router({ retry: { maxRetries: 0 }, onWarning: false });
    router.addProvider(createMockProvider({ name: 's', latencyMs: 0 }));
    // A `key` is hashed when the settings are built, a `keyHash` is not: the later configurations here build
    // faster than the ones before them, so the last to finish is not the last called.
    const hashed = `    - { keyHash: "sha256:${'a'.repeat(64)}", tenant: h }\n`;
    const gateway = createGateway({ router, config: config('    - { key: first-key, tenant: a }\n') });
    const early = gateway.updateConfig(config(hashed));
    await Promise.all([gateway.ready, early]);
    expect((await chat(gateway, 'first-key')).status).toBe(401);

    await gateway.updateConfig(config('    - { key: second-key, tenant: b }\n'));
    await Promise.all([
      gateway.updateConfig(config('    - { key: third-key, tenant: c }\n')),
      gateway.updateConfig(config(hashed)),
    ]);
    expect((await chat(gateway, 'second-key')).status).toBe(401);
    expect((await chat(gateway, 'third-key')).status).toBe(401);
    await router.close();
  });
});
