import { GigaChatFakeServer, TEST_TLS } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGigaChatFetch } from './node.js';
import { type GigaChatKeyCheck, type GigaChatScope, validateGigaChat } from './validate-gigachat.js';

const KEY = 'Y2xpZW50OnNlY3JldC1rZXk=';
let server: GigaChatFakeServer;
/**
 * Waits (bounded) until the token endpoint has seen `count` requests: on a loaded machine a timed-out request
 * can reach the server late and take the answer queued for the next one.
 */
async function arrived(count: number): Promise<void> {
  for (let i = 0; i < 1000 && server.requestsTo('/api/v2/oauth').length < count; i++)
    await new Promise((resolve) => setTimeout(resolve, 5));
}
beforeAll(async () => {
  server = await GigaChatFakeServer.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const check = (s: GigaChatFakeServer, extra: Partial<GigaChatKeyCheck> = {}): GigaChatKeyCheck => ({
  credentials: KEY,
  authURL: s.authURL,
  baseURL: s.baseURL,
  timeoutMs: 30_000,
  ...extra,
});

async function withServer<T>(
  options: Parameters<typeof GigaChatFakeServer.start>[0],
  run: (s: GigaChatFakeServer) => Promise<T>,
) {
  const s = await GigaChatFakeServer.start(options);
  try {
    return await run(s);
  } finally {
    await s.close();
  }
}

const progress = () => {
  const calls: [GigaChatScope, number, number][] = [];
  return {
    calls,
    onScopeAttempt: (scope: GigaChatScope, current: number, total: number) =>
      void calls.push([scope, current, total]),
  };
};
const mismatch = {
  status: 400,
  body: { code: 7, message: 'scope from db not fully includes consumed scope' },
};

describe('known scope (one attempt)', () => {
  it('success: a token for the scope, then the models list', async () => {
    const r = await validateGigaChat(check(server, { scope: 'GIGACHAT_API_B2B' }));
    expect(r).toMatchObject({
      valid: true,
      errorCode: 'success',
      provider: 'gigachat',
      httpStatus: 200,
      retryAfter: null,
    });
    expect(r.details).toMatchObject({ scope: 'GIGACHAT_API_B2B', autoDetectionUsed: false });
    expect(server.tokenRequests[0]!.headers).toMatchObject({
      authorization: `Basic ${KEY}`,
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(server.tokenRequests[0]!.headers.rquid).toMatch(/^[0-9a-f-]{36}$/);
    expect(server.tokenRequests[0]!.body).toEqual({ scope: 'GIGACHAT_API_B2B' });
    expect(server.requestsTo('/api/v1/models')).toHaveLength(1);
  });

  it('scope_mismatch when GigaChat answers code 7', async () => {
    await withServer({ scopes: ['GIGACHAT_API_CORP'] }, async (s) => {
      const r = await validateGigaChat(check(s, { scope: 'GIGACHAT_API_PERS' }));
      expect(r).toMatchObject({ valid: false, errorCode: 'scope_mismatch', httpStatus: 400 });
      expect(r.message).toMatch(/not issued for scope GIGACHAT_API_PERS/);
    });
  });

  it('invalid_api_key (401) and the key never appears in the result', async () => {
    await withServer({ authorizationKey: 'the-right-key' }, async (s) => {
      const r = await validateGigaChat(check(s, { scope: 'GIGACHAT_API_PERS' }));
      expect(r).toMatchObject({ valid: false, errorCode: 'invalid_api_key', httpStatus: 401 });
      expect(JSON.stringify(r)).not.toContain(KEY);
    });
  });

  it('rate_limit_exceeded takes Retry-After, else the seed default of 30 s', async () => {
    server.http.enqueue('POST', '/api/v2/oauth', {
      status: 429,
      headers: { 'retry-after': '12' },
      body: { code: 429, message: 'Too many requests' },
    });
    expect(await validateGigaChat(check(server, { scope: 'GIGACHAT_API_PERS' }))).toMatchObject({
      errorCode: 'rate_limit_exceeded',
      retryAfter: 12,
      httpStatus: 429,
    });
    server.http.enqueue('POST', '/api/v2/oauth', {
      status: 429,
      body: { code: 429, message: 'Too many requests' },
    });
    expect(await validateGigaChat(check(server, { scope: 'GIGACHAT_API_PERS' }))).toMatchObject({
      errorCode: 'rate_limit_exceeded',
      retryAfter: 30,
    });
  });

  it('network_timeout (504) when the service does not answer in time', async () => {
    const before = server.requestsTo('/api/v2/oauth').length;
    server.http.enqueue('POST', '/api/v2/oauth', { hang: true });
    const r = await validateGigaChat(check(server, { scope: 'GIGACHAT_API_PERS', timeoutMs: 100 }));
    expect(r).toMatchObject({ valid: false, errorCode: 'network_timeout', httpStatus: 504 });
    await arrived(before + 1);
  });

  it('provider_error with the 5xx status', async () => {
    server.http.enqueue('POST', '/api/v2/oauth', {
      status: 503,
      body: { code: 503, message: 'unavailable' },
    });
    expect(await validateGigaChat(check(server, { scope: 'GIGACHAT_API_PERS' }))).toMatchObject({
      errorCode: 'provider_error',
      httpStatus: 503,
    });
  });

  it('validation_error when the service cannot be reached', async () => {
    const r = await validateGigaChat({
      credentials: KEY,
      scope: 'GIGACHAT_API_PERS',
      authURL: 'http://127.0.0.1:9/api/v2/oauth',
      timeoutMs: 30_000,
    });
    expect(r).toMatchObject({ valid: false, errorCode: 'validation_error', httpStatus: null });
  });
});

describe('scope auto-detection: PERS, then B2B, then CORP', () => {
  it('PERS works: one attempt', async () => {
    const p = progress();
    const r = await validateGigaChat(check(server, p));
    expect(r).toMatchObject({ valid: true, errorCode: 'success' });
    expect(r.details).toMatchObject({
      autoDetectionUsed: true,
      detectedScope: 'GIGACHAT_API_PERS',
      attemptsCount: 1,
      attemptedScopes: ['GIGACHAT_API_PERS'],
    });
    expect(typeof r.details.totalTimeMs).toBe('number');
    expect(p.calls).toEqual([['GIGACHAT_API_PERS', 1, 3]]);
  });

  it('B2B after one mismatch', async () => {
    await withServer({ scopes: ['GIGACHAT_API_B2B'] }, async (s) => {
      const p = progress();
      const r = await validateGigaChat(check(s, p));
      expect(r.details).toMatchObject({
        detectedScope: 'GIGACHAT_API_B2B',
        attemptsCount: 2,
        attemptedScopes: ['GIGACHAT_API_PERS', 'GIGACHAT_API_B2B'],
      });
      expect(p.calls).toEqual([
        ['GIGACHAT_API_PERS', 1, 3],
        ['GIGACHAT_API_B2B', 2, 3],
      ]);
    });
  });

  it('CORP after two mismatches', async () => {
    await withServer({ scopes: ['GIGACHAT_API_CORP'] }, async (s) => {
      const p = progress();
      const r = await validateGigaChat(check(s, p));
      expect(r).toMatchObject({ valid: true });
      expect(r.details).toMatchObject({ detectedScope: 'GIGACHAT_API_CORP', attemptsCount: 3 });
      expect(p.calls.map(([scope]) => scope)).toEqual([
        'GIGACHAT_API_PERS',
        'GIGACHAT_API_B2B',
        'GIGACHAT_API_CORP',
      ]);
    });
  });

  it('stops on a 401 at the second attempt and does not try CORP', async () => {
    server.http.enqueue('POST', '/api/v2/oauth', mismatch, {
      status: 401,
      body: { code: 6, message: "credentials doesn't match db data" },
    });
    const p = progress();
    const r = await validateGigaChat(check(server, p));
    expect(r).toMatchObject({ valid: false, errorCode: 'invalid_api_key', httpStatus: 401 });
    expect(r.details).toMatchObject({
      autoDetectionUsed: true,
      stoppedReason: 'invalid_api_key',
      attemptsCount: 2,
      attemptedScopes: ['GIGACHAT_API_PERS', 'GIGACHAT_API_B2B'],
    });
    expect(p.calls).toHaveLength(2);
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('stops on a 429 with the retry hint', async () => {
    server.http.enqueue('POST', '/api/v2/oauth', {
      status: 429,
      body: { code: 429, message: 'Too many requests' },
    });
    const p = progress();
    const r = await validateGigaChat(check(server, p));
    expect(r).toMatchObject({ errorCode: 'rate_limit_exceeded', retryAfter: 30 });
    expect(r.details).toMatchObject({ stoppedReason: 'rate_limit_exceeded', attemptsCount: 1 });
    expect(p.calls).toHaveLength(1);
  });

  it('stops on a timeout and on a 5xx', async () => {
    const before = server.requestsTo('/api/v2/oauth').length;
    server.http.enqueue('POST', '/api/v2/oauth', { hang: true });
    const timedOut = await validateGigaChat(check(server, { timeoutMs: 100 }));
    expect(timedOut).toMatchObject({ errorCode: 'network_timeout', httpStatus: 504 });
    await arrived(before + 1);
    expect(timedOut.details).toMatchObject({ stoppedReason: 'network_timeout', attemptsCount: 1 });
    server.http.enqueue('POST', '/api/v2/oauth', mismatch, {
      status: 500,
      body: { code: 500, message: 'internal' },
    });
    const failed = await validateGigaChat(check(server));
    expect(failed.details).toMatchObject({ stoppedReason: 'provider_error', attemptsCount: 2 });
  });

  it('all three mismatch: scope_mismatch after three attempts', async () => {
    await withServer({ scopes: [] }, async (s) => {
      const p = progress();
      const r = await validateGigaChat(check(s, p));
      expect(r).toMatchObject({ valid: false, errorCode: 'scope_mismatch', httpStatus: 400 });
      expect(r.details).toMatchObject({
        stoppedReason: 'scope_mismatch',
        attemptsCount: 3,
        attemptedScopes: ['GIGACHAT_API_PERS', 'GIGACHAT_API_B2B', 'GIGACHAT_API_CORP'],
      });
      expect(p.calls).toHaveLength(3);
    });
  });
});

describe('input and TLS', () => {
  it('rejects empty input before any request', async () => {
    await expect(validateGigaChat(check(server, { credentials: '' }))).rejects.toThrow(
      /validateGigaChat: credentials must be a non-empty string/,
    );
    await expect(validateGigaChat(check(server, { credentials: '   ' }))).rejects.toThrow(/credentials/);
    await expect(validateGigaChat(check(server, { scope: 'GIGACHAT_API_X' as never }))).rejects.toThrow(
      /scope must be one of/,
    );
    expect(server.requests).toHaveLength(0);
  });

  it('trusts a custom CA through the Node entry', async () => {
    await withServer({ tls: TEST_TLS }, async (s) => {
      expect(await validateGigaChat(check(s, { scope: 'GIGACHAT_API_PERS' }))).toMatchObject({
        errorCode: 'validation_error',
      });
      const fetch = createGigaChatFetch({ ca: TEST_TLS.ca });
      try {
        expect(await validateGigaChat(check(s, { scope: 'GIGACHAT_API_PERS', fetch }))).toMatchObject({
          valid: true,
        });
      } finally {
        await fetch.close();
      }
    });
  });
});
