import { FakeHttpServer, OpenAIFakeServer, YandexGPTFakeServer } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateAnthropic } from './validate-anthropic.js';
import { validateGemini } from './validate-gemini.js';
import { validateMany } from './validate-many.js';
import { validateOpenAI } from './validate-openai.js';
import { validateYandexGPT } from './validate-yandexgpt.js';

describe('validateYandexGPT', () => {
  let server: YandexGPTFakeServer;
  beforeAll(async () => {
    server = await YandexGPTFakeServer.start();
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());
  const base = () => ({ folderId: 'b1gfolder', baseURL: server.baseURL, timeoutMs: 30_000 });

  it('success with the cheapest completion: lite model, maxTokens 1; an API key goes as Api-Key without x-folder-id', async () => {
    const r = await validateYandexGPT({ ...base(), apiKey: 'AQVN-secret' });
    expect(r).toMatchObject({ valid: true, errorCode: 'success', provider: 'yandexgpt', httpStatus: 200 });
    expect(r.details).toMatchObject({ folderId: 'b1gfolder' });
    const request = server.chatRequests[0]!;
    expect(request.body).toMatchObject({
      modelUri: 'gpt://b1gfolder/yandexgpt-lite/latest',
      completionOptions: { stream: false, maxTokens: '1' },
    });
    expect(request.headers.authorization).toBe('Api-Key AQVN-secret');
    expect(request.headers['x-folder-id']).toBeUndefined();
  });

  it('an IAM token goes as Bearer with x-folder-id', async () => {
    await validateYandexGPT({ ...base(), iamToken: 't1.token' });
    expect(server.chatRequests[0]!.headers).toMatchObject({
      authorization: 'Bearer t1.token',
      'x-folder-id': 'b1gfolder',
    });
  });

  it('invalid_api_key (401, gRPC 16)', async () => {
    server.reply({ type: 'error', status: 401, message: 'Unknown api key' });
    const r = await validateYandexGPT({ ...base(), apiKey: 'AQVN-secret' });
    expect(r).toMatchObject({ errorCode: 'invalid_api_key', httpStatus: 401, details: { grpcCode: 16 } });
  });

  it('permission_denied (403) names the folder and echoes grpcCode and requestId', async () => {
    server.reply({ type: 'error', status: 403 });
    const r = await validateYandexGPT({ ...base(), apiKey: 'AQVN-secret' });
    expect(r).toMatchObject({
      valid: false,
      errorCode: 'permission_denied',
      httpStatus: 403,
      details: { folderId: 'b1gfolder', grpcCode: 7, requestId: 'yandex-fake-request-id' },
    });
    expect(r.message).toMatch(/may not use folder b1gfolder/);
  });

  it('takes the request id from the error details when no header carries it', async () => {
    server.reply({
      type: 'raw',
      response: {
        status: 403,
        body: {
          code: 7,
          message: 'Permission denied',
          details: [{ '@type': 'type.googleapis.com/google.rpc.RequestInfo', requestId: 'req-from-body' }],
        },
      },
    });
    expect((await validateYandexGPT({ ...base(), apiKey: 'AQVN-secret' })).details).toMatchObject({
      grpcCode: 7,
      requestId: 'req-from-body',
    });
  });

  it('rate_limit_exceeded: Retry-After, else the seed default of 10 s; provider_error; network_timeout', async () => {
    server.reply({ type: 'error', status: 429 });
    expect(await validateYandexGPT({ ...base(), apiKey: 'k-123' })).toMatchObject({
      errorCode: 'rate_limit_exceeded',
      retryAfter: 10,
    });
    server.reply({ type: 'error', status: 429, retryAfter: '3' });
    expect(await validateYandexGPT({ ...base(), apiKey: 'k-123' })).toMatchObject({ retryAfter: 3 });
    server.reply({ type: 'error', status: 500 });
    expect(await validateYandexGPT({ ...base(), apiKey: 'k-123' })).toMatchObject({
      errorCode: 'provider_error',
      httpStatus: 500,
    });
    server.reply({ type: 'hang' });
    const before = server.chatRequests.length;
    expect(await validateYandexGPT({ ...base(), apiKey: 'k-123', timeoutMs: 100 })).toMatchObject({
      errorCode: 'network_timeout',
      httpStatus: 504,
    });
    // On a loaded machine the timed-out request may still be on its way: let it arrive in this test.
    for (let i = 0; i < 1000 && server.chatRequests.length === before; i++)
      await new Promise((resolve) => setTimeout(resolve, 5));
  });

  it('rejects empty input before any request', async () => {
    await expect(validateYandexGPT({ ...base(), folderId: '', apiKey: 'k' })).rejects.toThrow(
      /folderId must be a non-empty string/,
    );
    await expect(validateYandexGPT({ ...base(), apiKey: 'k', iamToken: 't' })).rejects.toThrow(
      /exactly one of apiKey/,
    );
    await expect(validateYandexGPT({ ...base(), apiKey: '' })).rejects.toThrow(
      /apiKey must be a non-empty string/,
    );
    expect(server.requests).toHaveLength(0);
  });
});

describe('validateOpenAI', () => {
  let server: OpenAIFakeServer;
  beforeAll(async () => {
    server = await OpenAIFakeServer.start();
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  it('success lists models (free) with the key, organisation and project', async () => {
    const r = await validateOpenAI({
      apiKey: 'sk-test-999',
      baseURL: server.baseURL,
      organization: 'org-1',
      project: 'proj-1',
    });
    expect(r).toMatchObject({ valid: true, errorCode: 'success', details: { models: 2 } });
    expect(server.requestsTo('/v1/models')[0]!.headers).toMatchObject({
      authorization: 'Bearer sk-test-999',
      'openai-organization': 'org-1',
      'openai-project': 'proj-1',
    });
  });

  it('invalid_api_key (401) never shows the key', async () => {
    server.http.enqueue('GET', '/v1/models', {
      status: 401,
      body: {
        error: {
          message: 'Incorrect API key provided: sk-test-999',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      },
    });
    const r = await validateOpenAI({ apiKey: 'sk-test-999', baseURL: server.baseURL });
    expect(r).toMatchObject({ valid: false, errorCode: 'invalid_api_key', httpStatus: 401 });
    expect(JSON.stringify(r)).not.toContain('sk-test-999');
  });

  it('insufficient_quota is not a bad key', async () => {
    server.http.enqueue('GET', '/v1/models', {
      status: 429,
      body: {
        error: {
          message: 'You exceeded your current quota',
          type: 'insufficient_quota',
          param: null,
          code: 'insufficient_quota',
        },
      },
    });
    const r = await validateOpenAI({ apiKey: 'sk-test-999', baseURL: server.baseURL });
    expect(r).toMatchObject({
      valid: false,
      errorCode: 'provider_error',
      retryAfter: null,
      details: { reason: 'insufficient_quota', keyValid: true },
    });
  });

  it('a real rate limit carries retry-after; 403 is permission_denied', async () => {
    server.http.enqueue('GET', '/v1/models', {
      status: 429,
      headers: { 'retry-after': '7' },
      body: { error: { message: 'Rate limit reached', code: 'rate_limit_exceeded' } },
    });
    expect(await validateOpenAI({ apiKey: 'sk-1', baseURL: server.baseURL })).toMatchObject({
      errorCode: 'rate_limit_exceeded',
      retryAfter: 7,
    });
    server.http.enqueue('GET', '/v1/models', {
      status: 403,
      body: { error: { message: 'Country, region, or territory not supported' } },
    });
    expect(await validateOpenAI({ apiKey: 'sk-1', baseURL: server.baseURL })).toMatchObject({
      errorCode: 'permission_denied',
      httpStatus: 403,
    });
  });
});

describe('validateAnthropic', () => {
  let server: FakeHttpServer;
  beforeAll(async () => {
    server = await FakeHttpServer.start();
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());
  const error = (status: number, type: string, message: string, headers: Record<string, string> = {}) => ({
    status,
    headers,
    body: { type: 'error', error: { type, message }, request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy' },
  });

  it('success: GET /v1/models?limit=1 with x-api-key and anthropic-version', async () => {
    server.on('GET', '/v1/models', {
      body: { data: [{ type: 'model', id: 'claude-sonnet-4-5-20250929' }], has_more: true },
    });
    const r = await validateAnthropic({ apiKey: 'sk-ant-1', baseURL: server.url });
    expect(r).toMatchObject({ valid: true, errorCode: 'success', provider: 'anthropic' });
    const request = server.requestsTo('/v1/models')[0]!;
    expect(request.headers).toMatchObject({ 'x-api-key': 'sk-ant-1', 'anthropic-version': '2023-06-01' });
    expect(request.query.get('limit')).toBe('1');
  });

  it.each([
    [error(401, 'authentication_error', 'invalid x-api-key'), 'invalid_api_key'],
    [error(403, 'permission_error', 'not allowed'), 'permission_denied'],
    [error(529, 'overloaded_error', 'Overloaded'), 'provider_error'],
  ] as const)('%#: maps the error type', async (response, code) => {
    server.enqueue('GET', '/v1/models', response);
    const r = await validateAnthropic({ apiKey: 'sk-ant-1', baseURL: server.url });
    expect(r).toMatchObject({
      valid: false,
      errorCode: code,
      httpStatus: response.status,
      details: { requestId: 'req_011CSHoEeqs5C35K2UUqR7Fy' },
    });
  });

  it('billing_error is not a bad key; rate limits carry retry-after', async () => {
    server.enqueue('GET', '/v1/models', error(402, 'billing_error', 'credit balance too low'));
    expect(await validateAnthropic({ apiKey: 'sk-ant-1', baseURL: server.url })).toMatchObject({
      errorCode: 'provider_error',
      details: { keyValid: true },
    });
    server.enqueue(
      'GET',
      '/v1/models',
      error(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', {
        'retry-after': '20',
      }),
    );
    expect(await validateAnthropic({ apiKey: 'sk-ant-1', baseURL: server.url })).toMatchObject({
      errorCode: 'rate_limit_exceeded',
      retryAfter: 20,
    });
  });
});

describe('validateGemini', () => {
  let server: FakeHttpServer;
  beforeAll(async () => {
    server = await FakeHttpServer.start();
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());
  const invalidKey = {
    error: {
      code: 400,
      message: 'API key not valid. Please pass a valid API key.',
      status: 'INVALID_ARGUMENT',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'API_KEY_INVALID',
          domain: 'googleapis.com',
          metadata: { service: 'generativelanguage.googleapis.com' },
        },
        {
          '@type': 'type.googleapis.com/google.rpc.LocalizedMessage',
          locale: 'en-US',
          message: 'API key not valid. Please pass a valid API key.',
        },
      ],
    },
  };

  it('success: the key travels in x-goog-api-key, never in the URL', async () => {
    server.on('GET', '/v1beta/models', { body: { models: [{ name: 'models/gemini-2.5-flash' }] } });
    expect(await validateGemini({ apiKey: 'AIza-secret', baseURL: server.url })).toMatchObject({
      valid: true,
      errorCode: 'success',
    });
    const request = server.requestsTo('/v1beta/models')[0]!;
    expect(request.headers['x-goog-api-key']).toBe('AIza-secret');
    expect(request.query.has('key')).toBe(false);
  });

  it('an invalid key is 400 INVALID_ARGUMENT / API_KEY_INVALID, not 401: invalid_api_key', async () => {
    server.enqueue('GET', '/v1beta/models', { status: 400, body: invalidKey });
    const r = await validateGemini({ apiKey: 'AIza-secret', baseURL: server.url });
    expect(r).toMatchObject({
      valid: false,
      errorCode: 'invalid_api_key',
      httpStatus: 400,
      details: { status: 'INVALID_ARGUMENT', reason: 'API_KEY_INVALID' },
    });
    server.enqueue('GET', '/v1beta/models', { status: 400, body: [invalidKey] });
    expect(await validateGemini({ apiKey: 'AIza-secret', baseURL: server.url })).toMatchObject({
      errorCode: 'invalid_api_key',
    });
  });

  it('FAILED_PRECONDITION is a provider_error; PERMISSION_DENIED is permission_denied', async () => {
    server.enqueue('GET', '/v1beta/models', {
      status: 400,
      body: {
        error: {
          code: 400,
          status: 'FAILED_PRECONDITION',
          message: 'User location is not supported for the API use.',
        },
      },
    });
    expect(await validateGemini({ apiKey: 'AIza-1', baseURL: server.url })).toMatchObject({
      errorCode: 'provider_error',
      details: { status: 'FAILED_PRECONDITION' },
    });
    server.enqueue('GET', '/v1beta/models', {
      status: 403,
      body: {
        error: {
          code: 403,
          status: 'PERMISSION_DENIED',
          message: 'denied',
          details: [{ reason: 'API_KEY_SERVICE_BLOCKED' }],
        },
      },
    });
    expect(await validateGemini({ apiKey: 'AIza-1', baseURL: server.url })).toMatchObject({
      errorCode: 'permission_denied',
      details: { reason: 'API_KEY_SERVICE_BLOCKED' },
    });
  });

  it('a 429 takes RetryInfo.retryDelay (Gemini sends no Retry-After)', async () => {
    server.enqueue('GET', '/v1beta/models', {
      status: 429,
      body: {
        error: {
          code: 429,
          status: 'RESOURCE_EXHAUSTED',
          message: 'quota',
          details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '34.4s' }],
        },
      },
    });
    expect(await validateGemini({ apiKey: 'AIza-1', baseURL: server.url })).toMatchObject({
      errorCode: 'rate_limit_exceeded',
      retryAfter: 35,
    });
  });
});

describe('validateMany', () => {
  let server: FakeHttpServer;
  let inFlight = 0;
  let maxInFlight = 0;
  beforeAll(async () => {
    server = await FakeHttpServer.start();
    // Each check is held until two are in flight (or 2 s pass, when no second one comes): the peak is then 2
    // on any machine, however slow, and more than 2 only if validateMany breaks its limit.
    let release: (() => void)[] = [];
    const slow = async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      if (inFlight >= 2) {
        for (const wake of release) wake();
        release = [];
      } else {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 2_000);
          release.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      inFlight--;
      return { body: { data: [] } };
    };
    server.on('GET', '/v1/models', slow);
    server.on('GET', '/v1beta/models', {
      status: 400,
      body: {
        error: {
          code: 400,
          status: 'INVALID_ARGUMENT',
          message: 'API key not valid.',
          details: [{ reason: 'API_KEY_INVALID' }],
        },
      },
    });
  });
  afterAll(() => server.close());

  it('checks concurrently within the limit and returns results in input order', async () => {
    const results = await validateMany(
      [
        { provider: 'openai', apiKey: 'sk-1', baseURL: `${server.url}/v1` },
        { provider: 'gemini', apiKey: 'AIza-2', baseURL: server.url },
        { provider: 'anthropic', apiKey: 'sk-ant-3', baseURL: server.url },
        { provider: 'openai', apiKey: 'sk-4', baseURL: `${server.url}/v1` },
        { provider: 'anthropic', apiKey: 'sk-ant-5', baseURL: server.url },
      ],
      { concurrency: 2 },
    );
    expect(results.map((r) => [r.provider, r.errorCode])).toEqual([
      ['openai', 'success'],
      ['gemini', 'invalid_api_key'],
      ['anthropic', 'success'],
      ['openai', 'success'],
      ['anthropic', 'success'],
    ]);
    expect(maxInFlight).toBe(2);
  });

  it('one bad input rejects the whole call before any request', async () => {
    const before = server.requests.length;
    await expect(
      validateMany([
        { provider: 'openai', apiKey: 'sk-1', baseURL: server.url },
        { provider: 'yandexgpt', folderId: '', apiKey: 'k' },
      ]),
    ).rejects.toThrow(/check 1 \(yandexgpt\): validateYandexGPT: folderId must be a non-empty string/);
    await expect(validateMany([{ provider: 'mistral' } as never])).rejects.toThrow(
      /provider must be one of gigachat, yandexgpt, openai, anthropic, gemini/,
    );
    expect(server.requests.length).toBe(before);
  });
});
