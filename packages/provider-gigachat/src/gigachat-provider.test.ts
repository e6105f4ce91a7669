import type { ChatRequest, ProviderError } from '@llmo/core/provider';
import { GigaChatFakeServer, collectParts as parts, rejectionOf, TEST_TLS } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGigaChatFetch } from './gigachat-node-fetch.js';
import { GIGACHAT_PREVIEW_ALIASES, GIGACHAT_PRICES, gigachatPricing } from './gigachat-pricing.js';
import { createGigaChat, type GigaChatSettings } from './gigachat-provider.js';
import { GigaChatTokenManager } from './gigachat-token-manager.js';

let server: GigaChatFakeServer;
beforeAll(async () => {
  server = await GigaChatFakeServer.start({ tokenDelayMs: 30 });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const KEY = 'Y2xpZW50OnNlY3JldA==';
const provider = (extra: Partial<GigaChatSettings> = {}, s: GigaChatFakeServer = server) =>
  createGigaChat({
    name: 'giga',
    model: 'GigaChat-2-Pro',
    credentials: KEY,
    baseURL: s.baseURL,
    authURL: s.authURL,
    ...extra,
  });
const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: 'Привет' }],
  ...extra,
});
const fail = (p: Promise<unknown>) => rejectionOf<ProviderError>(p);

describe('OAuth token', () => {
  it('asks with Basic key, a fresh RqUID (UUID v4) and the form scope', async () => {
    await provider({ scope: 'GIGACHAT_API_B2B' }).generate(ask());
    const tokenRequest = server.tokenRequests[0]!;
    expect(tokenRequest.headers.authorization).toBe(`Basic ${KEY}`);
    expect(tokenRequest.headers.rquid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(tokenRequest.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(tokenRequest.body).toEqual({ scope: 'GIGACHAT_API_B2B' });
    expect(server.chatRequests[0]!.headers.authorization).toMatch(/^Bearer fake-token-/);
  });

  it('caches the token until expires_at minus the margin', async () => {
    const p = provider();
    await p.generate(ask());
    await p.generate(ask());
    await parts(p.stream(ask()));
    expect(server.tokenRequests).toHaveLength(1);
    const rqUids = new Set(server.tokenRequests.map((r) => r.headers.rquid));
    expect(rqUids.size).toBe(1);
  });

  it('shares one refresh between concurrent requests', async () => {
    const p = provider();
    await Promise.all(Array.from({ length: 6 }, () => p.generate(ask())));
    expect(server.tokenRequests).toHaveLength(1);
    expect(server.chatRequests).toHaveLength(6);
  });

  it('ten requests that all get a 401 share one refresh', async () => {
    const p = provider();
    await p.generate(ask());
    server.revokeTokens();
    await Promise.all(Array.from({ length: 10 }, () => p.generate(ask())));
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('a 401 that arrives after the refresh it would trigger already happened reuses the new token', async () => {
    let oauthCalls = 0;
    const tokens = new GigaChatTokenManager({
      provider: 'g',
      authURL: 'https://auth.example/api/v2/oauth',
      credentials: 'a2V5',
      scope: 'GIGACHAT_API_PERS',
      timeoutMs: 1_000,
      fetch: async () => {
        oauthCalls++;
        return new Response(
          JSON.stringify({ access_token: `t${oauthCalls}`, expires_at: Date.now() + 1_800_000 }),
          { status: 200, headers: { 'content-type': 'application/json' } },
        );
      },
    });
    const stale = await tokens.get();
    // The answers of ten requests sent with the stale token come back one after another.
    const renewed = [];
    for (let i = 0; i < 10; i++) renewed.push(await tokens.renew(stale));
    expect(new Set(renewed)).toEqual(new Set(['t2']));
    expect(oauthCalls).toBe(2);
  });

  it('refreshes a token that expires within the margin (expires_at in milliseconds)', async () => {
    const shortLived = await GigaChatFakeServer.start({ tokenTtlMs: 30_000 });
    try {
      const p = provider({}, shortLived);
      await p.generate(ask());
      await p.generate(ask());
      expect(shortLived.tokenRequests).toHaveLength(2);
      const p2 = provider({ tokenMarginMs: 5_000 }, shortLived);
      await p2.generate(ask());
      await p2.generate(ask());
      expect(shortLived.tokenRequests).toHaveLength(3);
    } finally {
      await shortLived.close();
    }
  });

  it('reads a 10-digit expires_at as seconds', async () => {
    const seconds = await GigaChatFakeServer.start({ expiresAtInSeconds: true });
    try {
      const p = provider({}, seconds);
      await p.generate(ask());
      await p.generate(ask());
      expect(seconds.tokenRequests).toHaveLength(1);
    } finally {
      await seconds.close();
    }
  });

  it('on a 401 drops the token, refreshes and retries once, for generate and for streams', async () => {
    const p = provider();
    await p.generate(ask());
    server.revokeTokens();
    await expect(p.generate(ask())).resolves.toMatchObject({ finishReason: 'stop' });
    expect(server.tokenRequests).toHaveLength(2);
    server.revokeTokens();
    const streamed = await parts(p.stream(ask()));
    expect(streamed.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
    expect(server.tokenRequests).toHaveLength(3);
  });

  it('gives up after one retry', async () => {
    server.reply(
      { type: 'error', status: 401 },
      { type: 'error', status: 401 },
      { type: 'text', text: 'never reached' },
    );
    expect(await fail(provider().generate(ask()))).toMatchObject({ kind: 'auth', status: 401 });
    expect(server.chatRequests).toHaveLength(2);
  });

  it('a scope the key does not have is an auth error with code 7 and a fix', async () => {
    const b2bOnly = await GigaChatFakeServer.start({ scopes: ['GIGACHAT_API_B2B'] });
    try {
      const error = await fail(provider({ scope: 'GIGACHAT_API_PERS' }, b2bOnly).generate(ask()));
      expect(error).toMatchObject({ kind: 'auth', code: '7', retryable: false, status: 400 });
      expect(error.message).toMatch(/does not match scope GIGACHAT_API_PERS/);
      expect(b2bOnly.chatRequests).toHaveLength(0);
    } finally {
      await b2bOnly.close();
    }
  });

  it('a wrong key is an auth error that never shows the key', async () => {
    const strict = await GigaChatFakeServer.start({ authorizationKey: 'right-key' });
    try {
      const error = await fail(provider({ credentials: 'wrong-key-123' }, strict).generate(ask()));
      expect(error).toMatchObject({ kind: 'auth', status: 401 });
      expect(error.message).not.toContain('wrong-key-123');
    } finally {
      await strict.close();
    }
  });

  it('missing credentials fail before any request', async () => {
    const error = await fail(provider({ credentials: undefined }).generate(ask()));
    expect(error).toMatchObject({ kind: 'auth', retryable: false });
    expect(error.message).toMatch(/setting "credentials" is missing/);
    expect(server.requests).toHaveLength(0);
  });

  it('a static accessToken skips OAuth', async () => {
    const token = (await (
      await fetch(server.authURL, {
        method: 'POST',
        headers: {
          authorization: 'Basic x',
          rquid: crypto.randomUUID(),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'scope=GIGACHAT_API_PERS',
      })
    ).json()) as { access_token: string };
    server.reset();
    await provider({ credentials: undefined, accessToken: token.access_token }).generate(ask());
    expect(server.tokenRequests).toHaveLength(0);
    expect(server.chatRequests[0]!.headers.authorization).toBe(`Bearer ${token.access_token}`);
  });
});

describe('request', () => {
  it('merges system messages into one leading message, maps functions and the flat json_schema', async () => {
    const result = await provider().generate({
      messages: [
        { role: 'user', content: 'Погода в Манжероке на десять дней' },
        { role: 'system', content: 'Отвечай кратко.' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [
            {
              id: '0199e210-2f13-744c-8fe5-c9a19fe27db7',
              name: 'weather_forecast',
              arguments: '{"location":"Манжерок","num_days":10}',
            },
          ],
        },
        { role: 'tool', toolCallId: '0199e210-2f13-744c-8fe5-c9a19fe27db7', content: 'plain text result' },
      ],
      temperature: 0.3,
      maxTokens: 100,
      tools: [{ name: 'weather_forecast', description: 'Прогноз', parameters: { type: 'object' } }],
      toolChoice: { type: 'tool', name: 'weather_forecast' },
      responseFormat: { type: 'json-schema', schema: { type: 'object' } },
      providerOptions: { gigachat: { repetition_penalty: 1.1 } },
    });
    expect(result.warnings).toEqual([
      { type: 'other', message: 'GigaChat takes one leading system message; 1 were merged into one' },
    ]);
    expect(server.chatRequests[0]!.body).toMatchInlineSnapshot(`
      {
        "function_call": {
          "name": "weather_forecast",
        },
        "functions": [
          {
            "description": "Прогноз",
            "name": "weather_forecast",
            "parameters": {
              "type": "object",
            },
          },
        ],
        "max_tokens": 100,
        "messages": [
          {
            "content": "Отвечай кратко.",
            "role": "system",
          },
          {
            "content": "Погода в Манжероке на десять дней",
            "role": "user",
          },
          {
            "content": "",
            "function_call": {
              "arguments": {
                "location": "Манжерок",
                "num_days": 10,
              },
              "name": "weather_forecast",
            },
            "functions_state_id": "0199e210-2f13-744c-8fe5-c9a19fe27db7",
            "role": "assistant",
          },
          {
            "content": ""plain text result"",
            "name": "weather_forecast",
            "role": "function",
          },
        ],
        "model": "GigaChat-2-Pro",
        "repetition_penalty": 1.1,
        "response_format": {
          "schema": {
            "type": "object",
          },
          "strict": true,
          "type": "json_schema",
        },
        "temperature": 0.3,
      }
    `);
  });

  it('sends raw UTF-8, not \\u escapes', async () => {
    await provider().generate(ask());
    expect(server.chatRequests[0]!.bodyText).toContain('Привет');
  });

  it('stream requests ask for text/event-stream', async () => {
    await parts(provider().stream(ask()));
    expect(server.chatRequests[0]!.headers.accept).toBe('text/event-stream');
    expect(server.chatRequests[0]!.body).toMatchObject({ stream: true });
  });
});

describe('responses', () => {
  it('function-call arguments arrive as objects and become JSON text; the state id is the call id', async () => {
    server.reply({
      type: 'tool-call',
      name: 'weather_forecast',
      arguments: { location: 'Манжерок', num_days: 10 },
    });
    expect(await provider().generate(ask())).toMatchObject({
      finishReason: 'tool-calls',
      toolCalls: [
        {
          id: '0199e210-2f13-744c-8fe5-c9a19fe27db7',
          name: 'weather_forecast',
          arguments: '{"location":"Манжерок","num_days":10}',
        },
      ],
    });
    server.reply({ type: 'tool-call', name: 'weather_forecast', arguments: { location: 'Манжерок' } });
    const streamed = await parts(provider().stream(ask()));
    expect(streamed.find((p) => p.type === 'tool-call')).toMatchObject({
      name: 'weather_forecast',
      arguments: '{"location":"Манжерок"}',
    });
    expect(streamed.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
  });

  it('reads usage from the last stream chunk and keeps the request id', async () => {
    server.reply({ type: 'text', text: 'Раз два три', usage: { promptTokens: 17, completionTokens: 42 } });
    const streamed = await parts(provider().stream(ask()));
    expect(streamed.find((p) => p.type === 'response-metadata')).toMatchObject({
      requestId: expect.any(String),
    });
    expect(streamed.at(-1)).toMatchObject({
      type: 'finish',
      usage: { promptTokens: 17, completionTokens: 42, totalTokens: 59 },
    });
  });

  it('rejects a 200 stream answer that is not an event stream', async () => {
    server.reply({
      type: 'raw',
      response: { headers: { 'content-type': 'application/json' }, body: { choices: [] } },
    });
    expect(await fail(parts(provider().stream(ask())))).toMatchObject({ kind: 'invalid_response' });
  });

  it('a 404 {status, message} is not_found with the message', async () => {
    server.reply({ type: 'error', status: 404, message: 'No such model' });
    const error = await fail(provider().generate(ask()));
    expect(error).toMatchObject({ kind: 'not_found', status: 404 });
    expect(error.message).toContain('No such model');
  });

  it('a 422 for a bad parameter is a caller error', async () => {
    server.reply({
      type: 'error',
      status: 422,
      message: 'Invalid params: repetition_penalty must be in range (0, +inf)',
    });
    expect(await fail(provider().generate(ask()))).toMatchObject({ kind: 'bad_request', retryable: false });
  });
});

describe('models, health, prices', () => {
  it('lists chat and embedding models with the Bearer token', async () => {
    const models = await provider().listModels!();
    expect(models.map((m) => m.id)).toContain('GigaChat-2-Pro');
    expect(models.find((m) => m.id === 'Embeddings')?.type).toBe('embedder');
  });

  it('the health check obtains a token and sends no chat request (free)', async () => {
    expect(await provider().healthCheck()).toBe(true);
    expect(server.tokenRequests).toHaveLength(1);
    expect(server.chatRequests).toHaveLength(0);
    const b2bOnly = await GigaChatFakeServer.start({ scopes: ['GIGACHAT_API_B2B'] });
    try {
      expect(await provider({}, b2bOnly).healthCheck()).toBe(false);
    } finally {
      await b2bOnly.close();
    }
  });

  it("prices in RUB from the seed's table and current models", () => {
    expect(gigachatPricing('GigaChat-Pro')).toEqual({ inputPer1K: 2, outputPer1K: 2, currency: 'RUB' });
    expect(gigachatPricing('GigaChat-2-Max-preview')?.currency).toBe('RUB');
    expect(provider().pricing?.currency).toBe('RUB');
  });

  it('prices exact model ids only; -preview ids through explicit aliases', () => {
    expect(gigachatPricing('GigaChat-2-Max-preview')).toEqual(gigachatPricing('GigaChat-2-Max'));
    for (const [preview, model] of Object.entries(GIGACHAT_PREVIEW_ALIASES)) {
      expect(gigachatPricing(preview), preview).toBeDefined();
      expect(gigachatPricing(preview), preview).toEqual(gigachatPricing(model));
    }
    for (const model of [
      'GigaChat-2-Ultra',
      'GigaChat-2-Pro-beta',
      'GigaChat-Lite-preview',
      'GigaChat-3-preview',
      'gigachat-pro',
      'GigaChat-Pro:2.0.28.2',
      'Embeddings',
      'constructor',
    ]) {
      expect(gigachatPricing(model), model).toBeUndefined();
    }
    for (const price of Object.values(GIGACHAT_PRICES)) expect(price.currency).toBe('RUB');
  });
});

describe('TLS with a non-public CA (Node entry)', () => {
  let tlsServer: GigaChatFakeServer;
  beforeAll(async () => {
    tlsServer = await GigaChatFakeServer.start({ tls: TEST_TLS });
  });
  afterAll(() => tlsServer.close());

  it('fails by default when the CA is not trusted', async () => {
    expect(tlsServer.url).toMatch(/^https:/);
    const error = await fail(provider({}, tlsServer).generate(ask()));
    // A real handshake against an untrusted CA: permanent, so the router neither retries nor re-tries it.
    expect(error).toMatchObject({ kind: 'network', retryable: false, code: 'tls-certificate' });
  });

  it('works with the CA bundle given to createGigaChatFetch', async () => {
    const fetch = createGigaChatFetch({ ca: TEST_TLS.ca });
    try {
      await expect(provider({ fetch }, tlsServer).generate(ask())).resolves.toMatchObject({
        finishReason: 'stop',
      });
    } finally {
      await fetch.close();
    }
  });

  it('insecure mode works only when asked, and always warns', async () => {
    const warnings: string[] = [];
    const fetch = createGigaChatFetch({ insecure: true, onWarning: (w) => warnings.push(w) });
    try {
      await expect(provider({ fetch }, tlsServer).generate(ask())).resolves.toMatchObject({
        finishReason: 'stop',
      });
      expect(warnings).toEqual([expect.stringContaining('certificate verification is DISABLED')]);
    } finally {
      await fetch.close();
    }
  });
});
