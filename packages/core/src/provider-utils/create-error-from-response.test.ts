import { describe, expect, it } from 'vitest';
import { createErrorFromResponse } from './create-error-from-response.js';
import { statusToErrorKind } from './status-to-error-kind.js';

describe('statusToErrorKind', () => {
  it.each([
    [400, 'bad_request', false],
    [401, 'auth', false],
    [402, 'quota', false],
    [403, 'permission', false],
    [404, 'not_found', false],
    [408, 'timeout', true],
    [409, 'server', true],
    [413, 'context_length', false],
    [422, 'bad_request', false],
    [429, 'rate_limit', true],
    [500, 'server', true],
    [502, 'server', true],
    [503, 'overloaded', true],
    [504, 'timeout', true],
    [529, 'overloaded', true],
  ] as const)('%i → %s (retryable %s)', (status, kind, retryable) => {
    expect(statusToErrorKind(status)).toBe(kind);
    const error = createErrorFromResponse({ provider: 'p', status, headers: new Headers(), bodyText: '' });
    expect(error.kind).toBe(kind);
    expect(error.retryable).toBe(retryable);
  });
});

describe('createErrorFromResponse', () => {
  it('reads nested OpenAI-style errors, Retry-After and the request id', () => {
    const error = createErrorFromResponse({
      provider: 'openai',
      status: 429,
      headers: new Headers({ 'retry-after-ms': '250', 'x-request-id': 'req_1' }),
      bodyText: '{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}',
    });
    expect(error).toMatchObject({
      kind: 'rate_limit',
      status: 429,
      retryable: true,
      retryAfterMs: 250,
      requestId: 'req_1',
      code: 'rate_limit_exceeded',
      provider: 'openai',
    });
    expect(error.message).toBe('openai: HTTP 429 (rate_limit): Rate limit reached');
  });

  it('reads flat bodies (vLLM, GigaChat) and non-JSON bodies', () => {
    expect(
      createErrorFromResponse({
        provider: 'g',
        status: 404,
        headers: new Headers(),
        bodyText: '{"status":404,"message":"No such model"}',
      }).message,
    ).toContain('No such model');
    expect(
      createErrorFromResponse({
        provider: 'g',
        status: 502,
        headers: new Headers(),
        bodyText: '<html>Bad gateway</html>',
      }).message,
    ).toContain('<html>Bad gateway</html>');
  });

  it('reads the three Yandex error shapes: envelope with grpcCode, flat string error, google.rpc.Status', () => {
    const envelope = createErrorFromResponse({
      provider: 'y',
      status: 400,
      headers: new Headers(),
      bodyText:
        '{"error":{"grpcCode":3,"httpCode":400,"message":"invalid message role","httpStatus":"Bad Request","details":[]}}',
    });
    expect(envelope).toMatchObject({ code: '3', kind: 'bad_request' });
    expect(envelope.message).toContain('invalid message role');
    const flat = createErrorFromResponse({
      provider: 'y',
      status: 400,
      headers: new Headers(),
      bodyText:
        '{"error":"invalid character","code":3,"message":"invalid character \'}\' looking for beginning of value","details":[]}',
    });
    expect(flat.message).toContain('looking for beginning of value');
    const status = createErrorFromResponse({
      provider: 'y',
      status: 401,
      headers: new Headers(),
      bodyText:
        '{"code":16,"message":"Token is invalid or has expired.","details":[{"@type":"type.googleapis.com/google.rpc.RequestInfo","requestId":"e38e71c3"}]}',
    });
    expect(status).toMatchObject({ kind: 'auth', code: '16', requestId: 'e38e71c3' });
  });

  it('lets the provider refine the kind from its own codes', () => {
    const error = createErrorFromResponse({
      provider: 'openai',
      status: 429,
      headers: new Headers(),
      bodyText: '{"error":{"message":"You exceeded your current quota","code":"insufficient_quota"}}',
      classify: ({ code }) => (code === 'insufficient_quota' ? 'quota' : undefined),
    });
    expect(error.kind).toBe('quota');
    expect(error.retryable).toBe(false);
  });

  it('lets the provider override retryable from headers (x-should-retry)', () => {
    const error = createErrorFromResponse({
      provider: 'openai',
      status: 500,
      headers: new Headers({ 'x-should-retry': 'false' }),
      bodyText: '{}',
      classify: ({ headers }) =>
        headers.get('x-should-retry') === 'false' ? { retryable: false } : undefined,
    });
    expect(error).toMatchObject({ kind: 'server', retryable: false });
  });

  it('lets the provider give retryAfterMs from the body (google.rpc.RetryInfo), over the headers', () => {
    const bodyText = JSON.stringify({
      error: {
        code: 429,
        status: 'RESOURCE_EXHAUSTED',
        message: 'Quota exceeded',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' }],
      },
    });
    const fromBody = createErrorFromResponse({
      provider: 'gemini',
      status: 429,
      headers: new Headers({ 'retry-after': '9' }),
      bodyText,
      classify: () => ({ retryAfterMs: 1500, code: 'RESOURCE_EXHAUSTED' }),
    });
    expect(fromBody).toMatchObject({
      kind: 'rate_limit',
      retryable: true,
      retryAfterMs: 1500,
      code: 'RESOURCE_EXHAUSTED',
    });
    const headerOnly = createErrorFromResponse({
      provider: 'gemini',
      status: 429,
      headers: new Headers({ 'retry-after': '9' }),
      bodyText,
      classify: () => ({ kind: 'rate_limit' }),
    });
    expect(headerOnly).toMatchObject({ retryAfterMs: 9000, code: '429' });
  });

  it('reads an error body wrapped in a one-element array', () => {
    const error = createErrorFromResponse({
      provider: 'gemini',
      status: 400,
      headers: new Headers(),
      bodyText: '[{"error":{"code":400,"message":"API key not valid.","status":"INVALID_ARGUMENT"}}]',
    });
    expect(error.message).toBe('gemini: HTTP 400 (bad_request): API key not valid.');
    expect(error.code).toBe('400');
  });

  it('never leaks a secret echoed by the server', () => {
    const error = createErrorFromResponse({
      provider: 'p',
      status: 401,
      headers: new Headers(),
      bodyText: '{"error":{"message":"Incorrect API key provided: sk-live-123456"}}',
      secrets: ['sk-live-123456'],
    });
    expect(error.message).not.toContain('sk-live-123456');
    expect(error.message).toContain('[redacted]');
  });
});
