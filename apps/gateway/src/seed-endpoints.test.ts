// The seed service's endpoints on a real gateway: /chat, /chat/stream, /chat/fallback (default message),
// /chat/parallel (losers' upstream requests aborted), /stats, and the operations endpoints.
import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from './index.js';
import { startTestGateway, type TestGateway, waitFor } from './start-test-gateway.test-helper.js';
import { TrackingUpstream } from './tracking-upstream.test-helper.js';

let upstream: TrackingUpstream;
let gw: TestGateway;

beforeAll(async () => {
  upstream = await TrackingUpstream.start();
  gw = await startTestGateway(
    `
router:
  strategy: first-available
  retry: { maxRetries: 0, maxPasses: 1 }
providers:
  - { name: down, type: mock, model: mock-server-error, latencyMs: 0 }
  - { name: local, type: mock, model: mock-normal, latencyMs: 0, chunkDelayMs: 0,
      pricing: { inputPer1K: 1, outputPer1K: 2, currency: EUR } }
  - { name: quick, type: openai, model: fast, baseURL: "\${UPSTREAM}" }
  - { name: slow, type: openai, model: slow-stream, baseURL: "\${UPSTREAM}" }
gateway:
  defaultMessage: "Sorry, every assistant is busy."
  logs: { dir: __LOGS__ }
`,
    { UPSTREAM: upstream.baseURL },
  );
});
afterAll(async () => {
  // Every request ended (streams, errors, races included): nothing is counted in flight.
  expect(gw.running.gateway.inFlight).toBe(0);
  await gw?.close();
  await upstream?.close();
});

const post = (path: string, body: unknown) =>
  fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** The `data:` payloads of an SSE body. */
async function events(response: Response): Promise<string[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice('data: '.length));
}

describe('POST /chat', () => {
  it('answers from the provider the model names', async () => {
    const res = await post('/chat', { message: 'hello there', model: 'local' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-llmo-provider')).toBe('local');
    const body = await res.json();
    expect(body).toMatchObject({
      response: 'Mock response to: hello there',
      provider: 'local',
      model: 'mock-normal',
      attempts: 1,
      cost: { currency: 'EUR', known: true },
    });
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
  });

  it('falls back (auto): the failing provider first, then the next', async () => {
    const res = await post('/chat', { message: 'hi' });
    const body = await res.json();
    expect(body.provider).toBe('local');
    expect(body.attempts).toBe(2);
    expect(res.headers.get('x-llmo-attempts')).toBe('2');
  });

  it('400 names the field and suggests the right one', async () => {
    const res = await post('/chat', { mesage: 'hi' });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.message).toContain('mesage: unknown field; did you mean "message"?');
    const empty = await post('/chat', { message: '' });
    expect((await empty.json()).error.param).toBe('message');
    const notJson = await fetch(`${gw.url}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"message": ',
    });
    expect(notJson.status).toBe(400);
  });
});

describe('POST /chat/stream', () => {
  it('streams deltas, a summary, then [DONE]', async () => {
    const res = await post('/chat/stream', { message: 'stream this', model: 'local' });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    // Sent with the status line: the router has committed to its provider once the first part is out.
    expect(res.headers.get('x-llmo-provider')).toBe('local');
    expect(res.headers.get('x-llmo-model')).toBe('mock-normal');
    const data = await events(res);
    expect(data.at(-1)).toBe('[DONE]');
    const parsed = data.slice(0, -1).map((d) => JSON.parse(d));
    const text = parsed
      .filter((e) => 'delta' in e)
      .map((e) => e.delta)
      .join('');
    expect(text).toBe('Mock response to: stream this');
    expect(parsed.at(-1)).toMatchObject({ done: true, provider: 'local', attempts: 1 });
  });

  it('a stream that cannot start answers a JSON error with its status', async () => {
    const res = await post('/chat/stream', { message: 'x', model: 'down' });
    expect(res.status).toBe(502);
    expect((await res.json()).error.code).toBe('server');
  });
});

describe('POST /chat/fallback', () => {
  it('says which provider answered and that fallback happened', async () => {
    const body = await (await post('/chat/fallback', { message: 'hi' })).json();
    expect(body).toMatchObject({
      response: 'Mock response to: hi',
      provider_used: 'local',
      fallback_triggered: true,
      is_default_message: false,
    });
    expect(body.attempts.map((a: { provider: string }) => a.provider)).toEqual(['down', 'local']);
  });

  it('no fallback needed', async () => {
    const body = await (await post('/chat/fallback', { message: 'hi', model: 'local' })).json();
    expect(body).toMatchObject({
      provider_used: 'local',
      fallback_triggered: false,
      is_default_message: false,
    });
  });

  it('a retry on the same provider is not a fallback', async () => {
    const router = new Router({
      retry: { maxRetries: 3, maxDelayMs: 5 },
      circuitBreaker: false,
      onWarning: false,
    });
    router.addProvider(
      createMockProvider({ name: 'only', model: 'mock-flaky', failureRate: 0.5, latencyMs: 0 }),
    );
    const gateway = createGateway({ router, dashboard: false });
    let retried: Record<string, unknown> | undefined;
    // Bounded: the seeded sequence fails about every other call, so a retried success comes within a few.
    for (let i = 0; i < 40 && !retried; i++) {
      const res = await gateway.fetch(
        new Request('http://gw/chat/fallback', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ message: 'hi' }),
        }),
      );
      const body = (await res.json()) as Record<string, unknown> & { attempts: unknown[] };
      if (!body.is_default_message && body.attempts.length > 1) retried = body;
    }
    expect(retried).toMatchObject({ provider_used: 'only', fallback_triggered: false });
    await router.close();
  });

  it('every provider failing answers the configured default message, not an error', async () => {
    const res = await post('/chat/fallback', { message: 'hi', model: 'down' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      response: 'Sorry, every assistant is busy.',
      provider_used: null,
      fallback_triggered: true,
      is_default_message: true,
      attempts: [{ provider: 'down', outcome: 'error', error_kind: 'server' }],
    });
  });
});

describe('POST /chat/parallel', () => {
  it('the fastest success wins and the losers are cancelled, upstream included', async () => {
    const closedBefore = upstream.closedEarly.length;
    const usageBefore = gw.usage.length;
    const res = await post('/chat/parallel', { message: 'race', models: ['quick', 'slow'] });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.winner.provider).toBe('quick');
    expect(body.response).toBe('answer from fast');
    const byProvider = Object.fromEntries(
      body.results.map((r: { provider: string; status: string }) => [r.provider, r.status]),
    );
    expect(byProvider).toEqual({ quick: 'won', slow: 'cancelled' });
    for (const r of body.results) expect(r.latency_ms).toBeGreaterThanOrEqual(0);
    // The slow upstream saw its request closed before it answered: the abort reached the socket.
    await waitFor(
      () => upstream.closedEarly.length > closedBefore,
      'the slow upstream request to be aborted',
    );
    expect(upstream.closedEarly.at(-1)).toBe('slow-stream');
    // Both attempts have usage records: the winner's success and the loser's cancellation.
    await waitFor(() => gw.usage.length >= usageBefore + 2, 'two usage records');
    const records = gw.usage.slice(usageBefore);
    expect(records.find((r) => r.provider === 'quick')?.success).toBe(true);
    expect(records.find((r) => r.provider === 'slow')).toMatchObject({
      success: false,
      errorKind: 'cancelled',
    });
  });

  it('every contender failing is a 502 listing each', async () => {
    const res = await post('/chat/parallel', { message: 'race', models: ['down'] });
    expect(res.status).toBe(502);
    expect((await res.json()).error.message).toContain('down (server)');
  });
});

describe('GET /stats', () => {
  it('counts requests, latency, cost per currency and the error rate', async () => {
    const before = await (await fetch(`${gw.url}/stats`)).json();
    await post('/chat', { message: 'one', model: 'local' });
    await post('/chat', { message: 'two', model: 'down' });
    const after = await (await fetch(`${gw.url}/stats`)).json();
    expect(after.total_requests).toBe(before.total_requests + 2);
    expect(after.failed_requests).toBe(before.failed_requests + 1);
    expect(after.error_rate).toBeCloseTo(after.failed_requests / after.total_requests, 10);
    expect(after.average_latency_ms).toBeGreaterThan(0);
    expect(after.cost.EUR).toBeGreaterThan(before.cost.EUR ?? 0);
  });
});

describe('operations', () => {
  it('/health, /health/ready, /metrics', async () => {
    expect(await (await fetch(`${gw.url}/health`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${gw.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect((await ready.json()).status).toBe('ready');
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/llm_requests_total\{provider="local",status="success"\} \d+/);
  });

  it('/openapi.json comes from the request schemas; /docs renders it', async () => {
    const spec = await (await fetch(`${gw.url}/openapi.json`)).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/v1/chat/completions',
        '/v1/models',
        '/chat',
        '/chat/stream',
        '/chat/fallback',
        '/chat/parallel',
        '/stats',
        '/health',
      ]),
    );
    const request = spec.components.schemas.ChatCompletionRequest;
    expect(request.required).toEqual(expect.arrayContaining(['model', 'messages']));
    expect(request.properties.temperature).toMatchObject({ minimum: 0, maximum: 2 });
    expect(request.additionalProperties).toBe(false);
    const docs = await fetch(`${gw.url}/docs`);
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(await docs.text()).toContain('data-url="/openapi.json"');
  });

  it('/health/ready is 503 when every provider is unhealthy (the app mounted by fetch alone)', async () => {
    const router = new Router({
      retry: { maxRetries: 0, maxPasses: 1 },
      circuitBreaker: false,
      onWarning: false,
    });
    router.addProvider(createMockProvider({ name: 'only', model: 'mock-server-error', latencyMs: 0 }));
    const gateway = createGateway({ router });
    const ask = () =>
      gateway.fetch(
        new Request('http://gateway/chat', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ message: 'x' }),
        }),
      );
    for (let i = 0; i < 6; i++) expect((await ask()).status).toBe(502);
    const ready = await gateway.fetch(new Request('http://gateway/health/ready'));
    expect(ready.status).toBe(503);
    expect((await ready.json()).providers[0]).toMatchObject({ name: 'only', health: 'unhealthy' });
    await router.close();
  });
});
