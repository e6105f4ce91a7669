// Keys (plain and hashed, constant-time), tenants in usage records, allowed models, tokens-per-minute, CORS,
// the body size limit, and the request log: one JSON line per request, with no key, credential or prompt.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenAIFakeServer } from '@llmo/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway, waitFor } from './start-test-gateway.test-helper.js';

const ALICE = 'sk-alice-7d1c0e6b5a4f3e2d1c0b';
const BOB = 'sk-bob-1a2b3c4d5e6f7a8b9c0d'; // configured by its hash only
const TINY = 'sk-tiny-9f8e7d6c5b4a39281706';
const UPSTREAM_KEY = 'sk-upstream-credential-55aa66bb77cc';
const PROMPT = 'my-private-prompt-text-do-not-log';

let fake: OpenAIFakeServer;
let gw: TestGateway;

beforeAll(async () => {
  fake = await OpenAIFakeServer.start();
  const bobHash = createHash('sha256').update(BOB).digest('hex');
  gw = await startTestGateway(
    `
router:
  retry: { maxRetries: 0, maxPasses: 1 }
  circuitBreaker: false
providers:
  - { name: a, type: mock, model: mock-normal, latencyMs: 0, chunkDelayMs: 0 }
  - { name: b, type: mock, model: mock-normal-b, latencyMs: 0, chunkDelayMs: 0 }
  - { name: upstream, type: openai, model: gpt-4o-mini, baseURL: "\${UPSTREAM}", apiKey: "\${UPSTREAM_KEY}" }
gateway:
  keys:
    - { key: "\${ALICE}", tenant: alice, name: alice-key }
    - { keyHash: "sha256:${bobHash}", tenant: bob, models: [a] }
    - { key: "\${TINY}", tenant: tiny, tpm: 10 }
  cors: { origins: ["http://app.example"] }
  limits: { maxBodyBytes: 4096 }
  logs: { dir: __LOGS__ }
`,
    { UPSTREAM: fake.baseURL, UPSTREAM_KEY, ALICE, TINY },
  );
});
afterAll(async () => {
  await gw?.close();
  await fake?.close();
});

const chat = (key: string | undefined, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const ask = (key: string, model: string, content = PROMPT) =>
  chat(key, { model, messages: [{ role: 'user', content }] });

describe('keys', () => {
  it('a plain key and a hashed key both work; their tenants reach the usage records', async () => {
    const before = gw.usage.length;
    expect((await ask(ALICE, 'a')).status).toBe(200);
    expect((await ask(BOB, 'a')).status).toBe(200);
    await waitFor(() => gw.usage.length >= before + 2, 'usage records');
    const records = gw.usage.slice(before);
    expect(records.map((r) => r.tenantId).sort()).toEqual(['alice', 'bob']);
    expect(records.find((r) => r.tenantId === 'alice')?.platformKeyId).toBe('alice-key');
  });

  it('x-api-key works too; a near-miss key does not', async () => {
    const res = await chat(
      undefined,
      { model: 'a', messages: [{ role: 'user', content: 'x' }] },
      { 'x-api-key': ALICE },
    );
    expect(res.status).toBe(200);
    expect((await ask(`${ALICE.slice(0, -1)}X`, 'a')).status).toBe(401);
  });

  it('allowed models: other providers are 403 and not listed', async () => {
    const res = await ask(BOB, 'b');
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatchObject({
      type: 'permission_error',
      code: 'model_not_allowed',
      param: 'model',
    });
    const models = await (
      await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${BOB}` } })
    ).json();
    expect(models.data.map((m: { id: string }) => m.id)).toEqual(['auto', 'a', 'mock-normal']);
    // "auto" stays within what the key may use.
    for (let i = 0; i < 3; i++) expect((await ask(BOB, 'auto')).headers.get('x-llmo-provider')).toBe('a');
  });

  it('tokens per minute: refused with 429 and Retry-After once the window is spent', async () => {
    // The mock reports words as tokens: each answer here is well over 10 tokens.
    const first = await ask(TINY, 'a', 'one two three four five six seven eight');
    expect(first.status).toBe(200);
    await waitFor(() => gw.lines().some((l) => l.tenant === 'tiny'), 'the first request to be logged');
    const second = await ask(TINY, 'a', 'again');
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await second.json()).error.code).toBe('tokens_rate_limit_exceeded');
  });
});

describe('HTTP limits', () => {
  it('CORS from the configuration', async () => {
    const preflight = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://app.example');
    const other = await fetch(`${gw.url}/health`, { headers: { origin: 'http://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a body over maxBodyBytes is a 413', async () => {
    const res = await ask(ALICE, 'a', 'x'.repeat(10_000));
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('request_too_large');
  });
});

describe('the request log', () => {
  it('one JSON line per request, with the fields, and no key, credential or prompt anywhere', async () => {
    // An upstream that echoes its credential in an error body.
    fake.reply({ type: 'error', status: 500, message: `invalid key ${UPSTREAM_KEY} for ${PROMPT}` });
    const failed = await ask(ALICE, 'upstream');
    expect(failed.status).toBe(502);
    const failedBody = await failed.text();
    expect(failedBody).not.toContain(UPSTREAM_KEY);
    const id = failed.headers.get('x-request-id');

    const ok = await chat(ALICE, { model: 'a', messages: [{ role: 'user', content: PROMPT }], stream: true });
    await ok.text();
    await waitFor(() => gw.lines().some((l) => l.streaming === true && l.status === 200), 'the stream line');

    const lines = gw.lines();
    const requestLines = lines.filter((l) => typeof l.request_id === 'string');
    const failedLine = requestLines.find((l) => l.request_id === id);
    expect(failedLine).toMatchObject({
      status: 502,
      tenant: 'alice',
      error_kind: 'server',
      path: '/v1/chat/completions',
    });
    const okLine = requestLines.find((l) => l.streaming === true && l.status === 200);
    expect(okLine).toMatchObject({ tenant: 'alice', provider: 'a', model: 'mock-normal', currency: 'USD' });
    expect(okLine?.total_tokens).toBeGreaterThan(0);
    expect(typeof okLine?.latency_ms).toBe('number');
    expect(typeof okLine?.cost).toBe('number');
    // Every request so far has exactly one line (ids unique).
    const ids = requestLines.map((l) => l.request_id);
    expect(new Set(ids).size).toBe(ids.length);

    const file = readFileSync(join(gw.dir, 'logs', 'app.log'), 'utf8');
    for (const text of [gw.stdout(), file]) {
      for (const secret of [ALICE, BOB, TINY, UPSTREAM_KEY, PROMPT]) expect(text).not.toContain(secret);
    }
    expect(file.trim().split('\n').length).toBe(gw.stdout().trim().split('\n').length);
  });
});
