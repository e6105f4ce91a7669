import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { Router } from '@llmo/core';
import type { ChatRequest, FetchFunction, ProviderError } from '@llmo/core/provider';
import {
  collectParts as collect,
  geminiSseEvent,
  rejectionOf,
  VertexFakeServer,
  type VertexTestServiceAccount,
} from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { base64UrlJson } from './vertex-auth.js';
import { vertexFamily, vertexHost } from './vertex-endpoints.js';
import { createVertex, type VertexSettings } from './vertex-provider.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

const APP_TOKEN = 'ya29.app-supplied-token-123456';
let server: VertexFakeServer;
let account: VertexTestServiceAccount;
beforeAll(async () => {
  server = await VertexFakeServer.start({ accessTokens: [APP_TOKEN], apiKeys: ['AQ.express-key-123456'] });
  account = await server.createServiceAccount({ projectId: 'sa-project' });
}, 60_000);
afterAll(() => server.close());
beforeEach(() => server.reset());

const gemini = (extra: Partial<VertexSettings> = {}) =>
  createVertex({
    name: 'vertex-gemini',
    model: 'gemini-2.5-flash',
    project: 'test-project',
    location: 'us-central1',
    serviceAccount: account.key,
    baseURL: server.url,
    ...extra,
  });
const claude = (extra: Partial<VertexSettings> = {}) =>
  createVertex({
    name: 'vertex-claude',
    model: 'claude-sonnet-4-5@20250929',
    project: 'test-project',
    location: 'us-east5',
    serviceAccount: account.key,
    baseURL: server.url,
    ...extra,
  });
const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: 'Hi' }],
  ...extra,
});
const fail = (p: Promise<unknown>) => rejectionOf<ProviderError>(p);
const jwtClaims = (assertion: string) =>
  JSON.parse(Buffer.from(assertion.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

/** A fetch that records the URL it was given and sends the request to the fake server instead. */
function redirecting(): { fetch: FetchFunction; urls: string[] } {
  const urls: string[] = [];
  const fetch: FetchFunction = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    urls.push(url);
    return globalThis.fetch(url.replace(/^https:\/\/[^/]+/, server.url), init);
  };
  return { fetch, urls };
}

describe('pitfall 1: the host depends on the location; the path keeps locations/{location}', () => {
  it.each([
    ['us-central1', 'https://us-central1-aiplatform.googleapis.com'],
    ['europe-west1', 'https://europe-west1-aiplatform.googleapis.com'],
    ['global', 'https://aiplatform.googleapis.com'],
    ['us', 'https://aiplatform.us.rep.googleapis.com'],
    ['eu', 'https://aiplatform.eu.rep.googleapis.com'],
  ])('%s → %s', async (location, host) => {
    expect(vertexHost(location)).toBe(host);
    const { fetch, urls } = redirecting();
    const settings = { location, accessToken: APP_TOKEN, baseURL: undefined, fetch };
    await gemini(settings).generate(ask());
    await claude(settings).generate(ask());
    expect(urls).toEqual([
      `${host}/v1/projects/test-project/locations/${location}/publishers/google/models/gemini-2.5-flash:generateContent`,
      `${host}/v1/projects/test-project/locations/${location}/publishers/anthropic/models/claude-sonnet-4-5%4020250929:rawPredict`,
    ]);
  });

  it('the default location is global; a base URL with /v1beta1 sets the API version', async () => {
    const { fetch, urls } = redirecting();
    await gemini({ location: undefined, accessToken: APP_TOKEN, baseURL: undefined, fetch }).generate(ask());
    await gemini({ accessToken: APP_TOKEN, baseURL: `${server.url}/v1beta1`, fetch }).generate(ask());
    expect(urls[0]).toBe(
      'https://aiplatform.googleapis.com/v1/projects/test-project/locations/global/publishers/google/models/gemini-2.5-flash:generateContent',
    );
    expect(urls[1]).toContain(`${server.url}/v1beta1/projects/test-project/locations/us-central1/`);
  });
});

describe('pitfall 2 and 11: Claude on Vertex', () => {
  it('sends no model, anthropic_version vertex-2023-10-16 in the body, no x-api-key or anthropic-version header', async () => {
    const result = await claude({ betas: ['context-1m-2025-08-07'] }).generate(
      ask({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hello!' },
        ],
      }),
    );
    expect(result.text).toBe('Hello from the fake Anthropic server.');
    const request = server.claude.chatRequests[0]!;
    expect(request.path).toBe(
      '/v1/projects/test-project/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5%4020250929:rawPredict',
    );
    expect(request.headers['x-api-key']).toBeUndefined();
    expect(request.headers['anthropic-version']).toBeUndefined();
    expect(request.headers['anthropic-beta']).toBe('context-1m-2025-08-07');
    expect(request.headers.authorization).toMatch(/^Bearer ya29\.c\.fake-/);
    expect(request.body).toMatchInlineSnapshot(`
      {
        "anthropic_version": "vertex-2023-10-16",
        "max_tokens": 21333,
        "messages": [
          {
            "content": "Hello!",
            "role": "user",
          },
        ],
        "system": "Be brief.",
      }
    `);
  });

  it('streams from streamRawPredict with "stream": true in the body too (pitfall 11)', async () => {
    server.claude.reply({ type: 'text', text: 'one two three' });
    const parts = await collect(claude().stream(ask()));
    const text = parts.flatMap((p) => (p.type === 'text-delta' ? [p.delta] : [])).join('');
    expect(text).toBe('one two three');
    const request = server.claude.chatRequests[0]!;
    expect(request.path).toMatch(/:streamRawPredict$/);
    expect((request.body as { stream?: boolean }).stream).toBe(true);
    expect(request.body).not.toHaveProperty('model');
  });

  it('maps a recorded rawPredict answer (msg_vrtx_ id) with Anthropic prices for the @ id', async () => {
    server.claude.reply({ type: 'raw', response: { body: fixture('vertex-claude-message.1.json') } });
    const result = await claude().generate(ask());
    expect(result).toMatchObject({
      text: 'Hello! How can I help you today?',
      finishReason: 'stop',
      usage: { promptTokens: 9, completionTokens: 12 },
      response: { id: 'msg_vrtx_015kgi1rBtZZ7tbfKPne6Jim' },
    });
    expect(claude().pricing).toMatchObject({ inputPer1K: 0.003, outputPer1K: 0.015 });
  });

  it('counts tokens at count-tokens:rawPredict with the model in the body', async () => {
    expect(await claude().countTokens(ask())).toBeGreaterThan(0);
    const request = server.http.requests.find((r) => r.path.endsWith('count-tokens:rawPredict'))!;
    expect(request.body).toMatchObject({
      anthropic_version: 'vertex-2023-10-16',
      model: 'claude-sonnet-4-5@20250929',
    });
  });
});

describe('pitfall 3: tokens expire; one refresh shared, one retry after a 401', () => {
  it('a cached token serves later calls; many concurrent calls share one token request', async () => {
    const provider = gemini();
    await Promise.all(Array.from({ length: 12 }, () => provider.generate(ask())));
    await provider.generate(ask());
    expect(server.tokenRequests).toHaveLength(1);
    expect(server.gemini.chatRequests).toHaveLength(13);
  });

  it('a 401 once (the token expired early) refreshes the token once and retries', async () => {
    const provider = gemini();
    await provider.generate(ask());
    server.expireTokens();
    const [a, b, c] = await Promise.all([
      provider.generate(ask()),
      provider.generate(ask()),
      provider.generate(ask()),
    ]);
    expect([a.text, b.text, c.text]).toEqual(Array(3).fill('Hello from the fake Gemini server.'));
    // The three 401s all carried the same old token: one refresh between them.
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('a 401 twice is a typed auth error, not a loop', async () => {
    const provider = claude();
    server.claude.reply({ type: 'error', status: 401 }, { type: 'error', status: 401 });
    const error = await fail(provider.generate(ask()));
    expect(error).toMatchObject({ kind: 'auth', status: 401, retryable: false });
    expect(server.claude.chatRequests).toHaveLength(2);
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('a token function is asked again after a 401; a fixed token is not retried', async () => {
    const tokens = ['ya29.revoked-token-000', APP_TOKEN];
    let asked = 0;
    const viaFunction = gemini({ serviceAccount: undefined, accessToken: () => tokens[asked++] });
    expect((await viaFunction.generate(ask())).text).toBe('Hello from the fake Gemini server.');
    expect(asked).toBe(2);
    server.reset();
    const fixed = gemini({ serviceAccount: undefined, accessToken: 'ya29.revoked-token-000' });
    expect(await fail(fixed.generate(ask()))).toMatchObject({ kind: 'auth', status: 401 });
    expect(server.gemini.chatRequests).toHaveLength(1);
  });

  it('refreshes before expiry: a token inside the margin is not used', async () => {
    const short = await VertexFakeServer.start({ tokenLifetimeSeconds: 120 });
    try {
      const sa = await short.createServiceAccount();
      const provider = gemini({ serviceAccount: sa.key, baseURL: short.url });
      await provider.generate(ask());
      await provider.generate(ask());
      // 120 s left is inside the default 5-minute margin: each call mints a new token.
      expect(short.tokenRequests).toHaveLength(2);
    } finally {
      await short.close();
    }
  });
});

describe('pitfalls 4–6: the JWT', () => {
  it('is RS256, scoped to cloud-platform, aud = token_uri, exp - iat = 3600', async () => {
    await gemini().generate(ask());
    const form = server.tokenRequests[0]!.body as Record<string, string>;
    expect(form.grant_type).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const header = JSON.parse(Buffer.from(form.assertion!.split('.')[0]!, 'base64url').toString('utf8'));
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT', kid: account.key.private_key_id });
    const claims = jwtClaims(form.assertion!);
    expect(claims).toMatchObject({
      iss: account.key.client_email,
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      aud: server.tokenURL,
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
  });

  it('a skewed local clock (invalid_grant, server Date two hours ahead) is signed again with the server time', async () => {
    const skewed = await VertexFakeServer.start({ clockOffsetMs: 2 * 3600_000 });
    try {
      const sa = await skewed.createServiceAccount();
      const provider = gemini({ serviceAccount: sa.key, baseURL: skewed.url });
      expect((await provider.generate(ask())).text).toBe('Hello from the fake Gemini server.');
      expect(skewed.tokenRequests).toHaveLength(2);
      const [first, second] = skewed.tokenRequests.map((r) =>
        jwtClaims((r.body as { assertion: string }).assertion),
      );
      expect((second!.iat as number) - (first!.iat as number)).toBeGreaterThan(3600);
    } finally {
      await skewed.close();
    }
  });

  it('a PEM with literal \\n sequences (from an environment variable) works (pitfall 5)', async () => {
    const escaped = { ...account.key, private_key: account.key.private_key.replace(/\n/g, '\\n') };
    expect(escaped.private_key).not.toContain('\n');
    await gemini({ serviceAccount: JSON.stringify(escaped) }).generate(ask());
    expect(server.tokenRequests).toHaveLength(1);
  });

  it('base64url-encodes the JSON as UTF-8 bytes, beyond Latin-1 (pitfall 6)', () => {
    const value = { iss: 'сервис-аккаунт@проект.iam', note: '🥐' };
    const encoded = base64UrlJson(value);
    expect(encoded).not.toMatch(/[+/=]/);
    expect(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'))).toEqual(value);
  });

  it('the project defaults to the key project_id; a missing project is a clear error', async () => {
    const { fetch, urls } = redirecting();
    await gemini({ project: undefined, fetch }).generate(ask());
    expect(urls.at(-1)).toContain('/projects/sa-project/locations/us-central1/');
    const error = await fail(
      gemini({ project: undefined, serviceAccount: undefined, accessToken: APP_TOKEN }).generate(ask()),
    );
    expect(error).toMatchObject({ kind: 'bad_request' });
    expect(error.message).toContain('setting "project" is missing');
  });
});

describe('pitfall 7: Gemini on Vertex needs a role on every content', () => {
  it('sends role on every content, system as systemInstruction', async () => {
    await gemini().generate({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'c1', name: 'weather', arguments: '{"city":"Oslo"}' }],
        },
        { role: 'tool', toolCallId: 'c1', content: '3°C' },
      ],
      tools: [{ name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
    });
    const body = server.gemini.chatRequests[0]!.body as { contents: { role?: string }[] };
    expect(body.contents.map((c) => c.role)).toEqual(['user', 'model', 'user']);
    expect(body).toMatchObject({ systemInstruction: { parts: [{ text: 'Be brief.' }] } });
  });
});

describe('pitfall 8 and 10: errors, objects or arrays, Google- or Anthropic-shaped', () => {
  it('Claude: a Google-shaped quota error wrapped in an array is a retryable rate_limit', async () => {
    server.claude.reply({
      type: 'raw',
      response: { status: 429, body: fixture('vertex-claude-429-array.1.json') },
    });
    const error = await fail(claude().generate(ask()));
    expect(error).toMatchObject({
      kind: 'rate_limit',
      retryable: true,
      status: 429,
      code: 'RESOURCE_EXHAUSTED',
    });
  });

  it('Claude: an Anthropic-shaped 400 keeps its type and req_vrtx_ request id', async () => {
    server.claude.reply({
      type: 'raw',
      response: { status: 400, body: fixture('vertex-claude-400-beta.1.json') },
    });
    const error = await fail(claude().generate(ask()));
    expect(error).toMatchObject({
      kind: 'bad_request',
      retryable: false,
      code: 'invalid_request_error',
      requestId: 'req_vrtx_011CVVmAGpANwSni83J9vMri',
    });
  });

  it('a model the project may not use (FAILED_PRECONDITION) is a permission error', async () => {
    server.claude.reply({
      type: 'raw',
      response: { status: 400, body: fixture('vertex-model-not-allowed.1.json') },
    });
    expect(await fail(claude().generate(ask()))).toMatchObject({ kind: 'permission', retryable: false });
  });

  it('a 429 on global honours RetryInfo; without it, it is still retryable (pitfall 10)', async () => {
    server.gemini.reply(
      { type: 'raw', response: { status: 429, body: fixture('vertex-429-retry-info.1.json') } },
      { type: 'error', status: 429 },
    );
    const provider = gemini({ location: 'global' });
    expect(await fail(provider.generate(ask()))).toMatchObject({ kind: 'rate_limit', retryAfterMs: 39_000 });
    const plain = await fail(provider.generate(ask()));
    expect(plain).toMatchObject({ kind: 'rate_limit', retryable: true });
    expect(plain.retryAfterMs).toBeUndefined();
  });

  it('UNAUTHENTICATED from an application token is auth', async () => {
    server.gemini.reply({ type: 'raw', response: { status: 401, body: fixture('vertex-401.1.json') } });
    expect(
      await fail(gemini({ serviceAccount: undefined, accessToken: APP_TOKEN }).generate(ask())),
    ).toMatchObject({ kind: 'auth', code: 'UNAUTHENTICATED' });
  });
});

describe('pitfall 9: CRLF SSE, usage only on the final Gemini chunk', () => {
  it('reads CRLF events split anywhere and takes the counts from the last chunk', async () => {
    server.gemini.reply({
      type: 'raw',
      response: {
        headers: { 'content-type': 'text/event-stream' },
        body: fixture('vertex-gemini-crlf-usage-last.chunks.txt'),
        splitBytes: 7,
      },
    });
    const parts = await collect(gemini().stream(ask()));
    expect(parts.flatMap((p) => (p.type === 'text-delta' ? [p.delta] : [])).join('')).toBe('Hi!');
    expect(parts.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      usage: { promptTokens: 5, completionTokens: 2, totalTokens: 7 },
    });
    expect(server.gemini.chatRequests[0]!.query.get('alt')).toBe('sse');
  });
});

describe('credentials and modes', () => {
  it('express mode sends x-goog-api-key and no project or location', async () => {
    const provider = createVertex({
      name: 'vertex-express',
      model: 'gemini-2.5-flash',
      apiKey: 'AQ.express-key-123456',
      baseURL: server.url,
    });
    await provider.generate(ask());
    const request = server.gemini.chatRequests[0]!;
    expect(request.path).toBe('/v1/publishers/google/models/gemini-2.5-flash:generateContent');
    expect(request.headers['x-goog-api-key']).toBe('AQ.express-key-123456');
    expect(request.headers.authorization).toBeUndefined();
    // A Claude model in express mode is a settings error like any other: named, with the fix, no key in it.
    let error: unknown;
    try {
      createVertex({ name: 'x', model: 'claude-haiku-4-5@20251001', apiKey: 'k-123' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ name: 'InvalidSettingsError' });
    expect((error as Error).message).toMatch(
      /apiKey: express mode serves Gemini models only.*serviceAccount/,
    );
    expect((error as Error).message).not.toContain('k-123');
  });

  it('the family comes from the model id unless given', () => {
    expect(vertexFamily('claude-3-5-haiku@20241022')).toBe('claude');
    expect(vertexFamily('publishers/anthropic/models/claude-opus-4-1@20250805')).toBe('claude');
    expect(vertexFamily('gemini-2.5-pro')).toBe('gemini');
    expect(vertexFamily('endpoints/1234567890')).toBe('gemini');
    expect(vertexFamily('my-claude-like-model', 'claude')).toBe('claude');
    expect(claude().family).toBe('claude');
    expect(gemini().family).toBe('gemini');
  });

  it('no credentials at all is a clear auth error; settings are validated', async () => {
    const error = await fail(gemini({ serviceAccount: undefined }).generate(ask()));
    expect(error).toMatchObject({ kind: 'auth', retryable: false });
    expect(() => gemini({ location: 'US Central' })).toThrow(/location/);
    expect(() => gemini({ family: 'llama' as never })).toThrow(/family/);
  });

  it('a key that is not a service account or not valid JSON fails without showing it', async () => {
    const notJson = await fail(gemini({ serviceAccount: '{"private_key": "-----BEGIN' }).generate(ask()));
    expect(notJson).toMatchObject({ kind: 'auth' });
    expect(notJson.message).not.toContain('BEGIN');
    const user = await fail(
      gemini({ serviceAccount: { ...account.key, type: 'authorized_user' } }).generate(ask()),
    );
    expect(user.message).toContain('authorized_user');
  });

  it('lists publisher models, counts tokens, and health-checks with a free countTokens', async () => {
    expect((await gemini().listModels!()).map((m) => m.id)).toContain('gemini-2.5-flash');
    expect((await claude().listModels!()).map((m) => m.id)).toContain('claude-sonnet-4-5');
    expect(await gemini().countTokens(ask())).toBeGreaterThan(0);
    expect(await gemini().healthCheck()).toBe(true);
    expect(await claude().healthCheck()).toBe(true);
    expect(await gemini({ serviceAccount: undefined, accessToken: 'ya29.nope-0000' }).healthCheck()).toBe(
      false,
    );
  });
});

describe('hostile token endpoints and servers', () => {
  it('a token endpoint that is down is a retryable network error', async () => {
    const error = await fail(
      gemini({ serviceAccount: { ...account.key, token_uri: 'http://127.0.0.1:1/token' } }).generate(ask()),
    );
    expect(error).toMatchObject({ kind: 'network', retryable: true });
  });

  it('a token endpoint answering malformed JSON is invalid_response', async () => {
    server.http.enqueue('POST', '/token', {
      headers: { 'content-type': 'application/json' },
      body: '<html>oops',
    });
    expect(await fail(gemini().generate(ask()))).toMatchObject({ kind: 'invalid_response' });
    server.http.enqueue('POST', '/token', { body: { token_type: 'Bearer' } });
    expect(await fail(gemini().generate(ask()))).toMatchObject({ kind: 'invalid_response' });
  });

  it('a token endpoint that never answers ends in a timeout, for every caller waiting on it', async () => {
    server.http.enqueue('POST', '/token', { hang: true });
    const provider = gemini({ timeoutMs: 300 });
    const errors = await Promise.all([fail(provider.generate(ask())), fail(provider.generate(ask()))]);
    for (const error of errors) expect(error).toMatchObject({ kind: 'timeout', retryable: true });
    expect(server.tokenRequests).toHaveLength(1);
    expect(server.gemini.chatRequests).toHaveLength(0);
  });

  it('a refused grant (unknown account) is auth, not retryable', async () => {
    const error = await fail(
      gemini({ serviceAccount: { ...account.key, client_email: 'nobody@x.iam' } }).generate(ask()),
    );
    expect(error).toMatchObject({ kind: 'auth', retryable: false, code: 'invalid_grant' });
  });

  it('a caller abort while the token is fetched is cancelled; the others still get the token', async () => {
    server.http.enqueue('POST', '/token', async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { body: { access_token: APP_TOKEN, expires_in: 3599 } };
    });
    const provider = gemini();
    const controller = new AbortController();
    const aborted = fail(provider.generate(ask({ signal: controller.signal })));
    const other = provider.generate(ask());
    controller.abort();
    expect(await aborted).toMatchObject({ kind: 'cancelled' });
    expect((await other).text).toBe('Hello from the fake Gemini server.');
  });

  it('a stream that stalls after a chunk ends in the router idle timeout with the text so far', async () => {
    server.gemini.reply({
      type: 'raw',
      response: {
        headers: { 'content-type': 'text/event-stream' },
        chunks: [
          geminiSseEvent({ candidates: [{ content: { role: 'model', parts: [{ text: 'Hello ' }] } }] }),
        ],
        chunkDelayMs: 60_000,
      },
    });
    const router = new Router({
      strategy: 'first-available',
      idleTimeoutMs: 200,
      retry: { maxRetries: 0 },
      onWarning: false,
    });
    router.addProvider(gemini());
    const seen: string[] = [];
    const error = await fail(
      (async () => {
        for await (const delta of router.routeStream('Hi')) seen.push(delta);
      })(),
    );
    expect(error).toMatchObject({ kind: 'timeout' });
    expect(seen.join('')).toBe('Hello ');
    await router.close();
  });

  it('a reset mid-stream is a retryable network error (both families)', async () => {
    server.gemini.reply({ type: 'reset', text: 'one two three', afterDeltas: 1 });
    expect(await fail(collect(gemini().stream(ask())))).toMatchObject({ kind: 'network', retryable: true });
    server.claude.reply({ type: 'reset', text: 'one two three', afterDeltas: 1 });
    expect(await fail(collect(claude().stream(ask())))).toMatchObject({ kind: 'network', retryable: true });
  });

  it('a malformed 200 is invalid_response (both families)', async () => {
    const raw = {
      type: 'raw' as const,
      response: { headers: { 'content-type': 'application/json' }, body: '{"cand' },
    };
    server.gemini.reply(raw);
    expect(await fail(gemini().generate(ask()))).toMatchObject({ kind: 'invalid_response' });
    server.claude.reply(raw);
    expect(await fail(claude().generate(ask()))).toMatchObject({ kind: 'invalid_response' });
  });
});

describe('secrets never leave the provider', () => {
  const views = (error: unknown) => [
    error instanceof Error ? error.message : String(error),
    JSON.stringify(error) ?? '',
    inspect(error, { depth: 20 }),
    error instanceof Error ? String(error.stack) : '',
  ];

  it('the private key and the JWT echoed by the token endpoint are redacted', async () => {
    let assertion = '';
    server.http.enqueue('POST', '/token', (request) => {
      assertion = (request.body as { assertion: string }).assertion;
      return {
        status: 400,
        body: {
          error: 'invalid_grant',
          error_description: `bad assertion ${assertion} for key ${account.key.private_key}`,
        },
      };
    });
    const error = await fail(gemini().generate(ask()));
    expect(assertion.length).toBeGreaterThan(100);
    const keyBody = account.key.private_key.split('\n')[3]!;
    for (const view of views(error)) {
      expect(view).not.toContain(assertion);
      expect(view).not.toContain(keyBody);
    }
  });

  it('the access token and the express key echoed in error bodies are redacted', async () => {
    const provider = claude();
    await provider.generate(ask());
    const token = server.mintedTokens.at(-1)!;
    server.claude.reply({ type: 'error', status: 400, message: `bad token ${token}` });
    const error = await fail(provider.generate(ask()));
    for (const view of views(error)) expect(view).not.toContain(token);

    server.gemini.reply({ type: 'error', status: 403, message: 'key AQ.express-key-123456 has no access' });
    const express = createVertex({
      name: 'e',
      model: 'gemini-2.5-flash',
      apiKey: 'AQ.express-key-123456',
      baseURL: server.url,
    });
    const expressError = await fail(express.generate(ask()));
    for (const view of views(expressError)) expect(view).not.toContain('AQ.express-key-123456');
  });
});
