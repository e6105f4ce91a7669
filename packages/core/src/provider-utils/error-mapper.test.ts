import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { createErrorFromResponse } from './create-error-from-response.js';
import { createErrorMapper } from './error-mapper.js';

// A wire shape like Anthropic's: {type: "error", error: {type, message}}.
const mapper = createErrorMapper({
  schema: z.object({ error: z.object({ type: z.string(), message: z.optional(z.string()) }) }),
  read: (body) => ({ code: body.error.type, message: body.error.message }),
  codes: {
    overloaded_error: 'overloaded',
    billing_error: { kind: 'quota', retryable: false },
  },
  messages: [[/prompt is too long/i, 'context_length']],
  statuses: { 418: 'auth' },
  statuslessCodes: { api_error: 'server', invalid_request_error: 'bad_request' },
  shouldRetryHeader: true,
});

const fromResponse = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  createErrorFromResponse({
    provider: 'p',
    status,
    headers: new Headers(headers),
    bodyText: typeof body === 'string' ? body : JSON.stringify(body),
    classify: mapper.classify,
  });

describe('createErrorMapper: HTTP errors', () => {
  it('a code in the body decides over the status (an overloaded error behind a proxy that rewrote 529)', () => {
    const error = fromResponse(500, { error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(error.kind).toBe('overloaded');
    expect(error.retryable).toBe(true);
    expect(error.code).toBe('overloaded_error');
  });

  it('a message pattern wins over a generic code; a code can fix retryable', () => {
    expect(
      fromResponse(400, { error: { type: 'invalid_request_error', message: 'prompt is too long: 210000' } })
        .kind,
    ).toBe('context_length');
    const quota = fromResponse(429, { error: { type: 'billing_error' } }, { 'x-should-retry': 'true' });
    expect([quota.kind, quota.retryable]).toEqual(['quota', false]);
  });

  it('obeys x-should-retry when asked to, and the statuses table', () => {
    expect(fromResponse(500, { error: { type: 'api_error' } }, { 'x-should-retry': 'false' }).retryable).toBe(
      false,
    );
    expect(fromResponse(418, 'teapot').kind).toBe('auth');
  });

  it('a generic code never overrides a real status; inside a 200 it stands in for one', () => {
    expect(fromResponse(503, { error: { type: 'api_error' } }).kind).toBe('overloaded');
    expect(fromResponse(408, { error: { type: 'invalid_request_error' } }).kind).toBe('timeout');
    expect(mapper.inBody({ error: { type: 'invalid_request_error' } }, { provider: 'p' }).kind).toBe(
      'bad_request',
    );
  });

  it('a body of another shape keeps the status default, read generically', () => {
    const error = fromResponse(413, '<html>Request Entity Too Large</html>');
    expect(error.kind).toBe('context_length');
    expect(fromResponse(503, { message: 'maintenance', code: 'overloaded_error' }).kind).toBe('overloaded');
  });

  it('a retry delay from the body wins over a Retry-After header (it is the more precise)', () => {
    const delayed = createErrorMapper({
      schema: z.object({ error: z.object({ delayMs: z.number() }) }),
      read: (body) => ({ retryAfterMs: body.error.delayMs }),
    });
    const make = (headers: Record<string, string>) =>
      createErrorFromResponse({
        provider: 'p',
        status: 429,
        headers: new Headers(headers),
        bodyText: JSON.stringify({ error: { delayMs: 1500 } }),
        classify: delayed.classify,
      });
    expect(make({}).retryAfterMs).toBe(1500);
    expect(make({ 'retry-after': '2' }).retryAfterMs).toBe(1500);
  });
});

describe('createErrorMapper: errors inside a 200', () => {
  it('maps by code and message, defaults to server, names the code', () => {
    const overloaded = mapper.inBody(
      { error: { type: 'overloaded_error', message: 'Overloaded' } },
      {
        provider: 'p',
        requestId: 'req_1',
      },
    );
    expect(overloaded).toMatchObject({ kind: 'overloaded', retryable: true, requestId: 'req_1' });
    expect(overloaded.message).toBe('p: error inside the stream (overloaded_error): Overloaded');
    const unknown = mapper.inBody({ error: { type: 'something_new' } }, { provider: 'p', where: 'response' });
    expect(unknown).toMatchObject({ kind: 'server', retryable: true });
    expect(unknown.message).toBe('p: error inside the response (something_new): unknown error');
  });

  it('a status carried in the body decides when codes say nothing', () => {
    const withStatus = createErrorMapper({
      schema: z.object({ status: z.number(), message: z.string() }),
      read: (body) => ({ status: body.status, message: body.message }),
    });
    expect(withStatus.inBody({ status: 429, message: 'slow down' }, { provider: 'p' })).toMatchObject({
      kind: 'rate_limit',
      status: 429,
    });
    expect(withStatus.inBody({ error: 'plain text' }, { provider: 'p' }).kind).toBe('server');
  });
});
