import { createErrorFromResponse } from '@llmo/core/provider';
import { describe, expect, it } from 'vitest';
import { yandexErrors } from './yandexgpt-errors.js';

// The three envelopes of the protocol note (section "Errors", pitfall 11), as sent.
const nested = {
  error: {
    grpcCode: 3,
    httpCode: 400,
    message: 'Number of input tokens must be no more than 8192, got 9136',
    httpStatus: 'Bad Request',
  },
};
const flat = {
  error: "invalid character '}' looking for beginning of value",
  code: 3,
  message: 'bad json',
  details: [],
};
const status = {
  code: 16,
  message: 'Token is invalid or has expired.',
  details: [
    {
      '@type': 'type.googleapis.com/google.rpc.RequestInfo',
      requestId: 'e38e71c3-adc6-4584-98a4-b0f103d55f61',
    },
  ],
};

describe('yandexErrors', () => {
  it('inside a 200: kind from httpCode, else from the gRPC code; the context overflow by its message', () => {
    expect(yandexErrors.inBody(nested, { provider: 'y' })).toMatchObject({
      kind: 'context_length',
      retryable: false,
      code: '3',
    });
    expect(yandexErrors.inBody(flat, { provider: 'y' })).toMatchObject({ kind: 'bad_request', status: 400 });
    expect(yandexErrors.inBody(flat, { provider: 'y' }).message).toBe(
      'y: error inside the stream (3): bad json',
    );
    expect(yandexErrors.inBody(status, { provider: 'y', where: 'response' })).toMatchObject({
      kind: 'auth',
      requestId: 'e38e71c3-adc6-4584-98a4-b0f103d55f61',
    });
    expect(
      yandexErrors.inBody({ error: { grpcCode: 8, message: 'slow down' } }, { provider: 'y' }),
    ).toMatchObject({
      kind: 'rate_limit',
      retryable: true,
    });
    expect(yandexErrors.inBody({ error: { grpcCode: 99 } }, { provider: 'y' }).kind).toBe('server');
  });

  it('HTTP errors: the status decides, the message tells a context overflow apart', () => {
    const make = (httpStatus: number, body: unknown) =>
      createErrorFromResponse({
        provider: 'y',
        status: httpStatus,
        headers: new Headers(),
        bodyText: JSON.stringify(body),
        classify: yandexErrors.classify,
      });
    expect(make(400, nested).kind).toBe('context_length');
    expect(make(401, status)).toMatchObject({
      kind: 'auth',
      requestId: 'e38e71c3-adc6-4584-98a4-b0f103d55f61',
    });
    expect(make(429, { error: { grpcCode: 8, message: 'quota' } }).kind).toBe('rate_limit');
  });
});
