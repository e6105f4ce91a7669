import { createErrorFromResponse } from '@llmo/core/provider';
import { describe, expect, it } from 'vitest';
import { gigachatErrors, gigachatTokenErrors } from './gigachat-errors.js';

const fromResponse = (
  mapper: typeof gigachatErrors,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) =>
  createErrorFromResponse({
    provider: 'g',
    status,
    headers: new Headers(headers),
    bodyText: JSON.stringify(body),
    classify: mapper.classify,
  });

describe('gigachatErrors', () => {
  it('API errors (note 8.1): the status decides; the same body inside a 200 takes its kind from its status', () => {
    expect(fromResponse(gigachatErrors, 404, { status: 404, message: 'No such model' })).toMatchObject({
      kind: 'not_found',
      message: 'g: HTTP 404 (not_found): No such model',
    });
    expect(fromResponse(gigachatErrors, 429, { status: 429, message: 'Too many requests' }).kind).toBe(
      'rate_limit',
    );
    expect(
      gigachatErrors.inBody({ status: 429, message: 'Too many requests' }, { provider: 'g' }),
    ).toMatchObject({
      kind: 'rate_limit',
      retryable: true,
      status: 429,
    });
    expect(
      gigachatErrors.inBody({ status: 500, message: 'Internal Server Error' }, { provider: 'g' }).message,
    ).toBe('g: error inside the stream: Internal Server Error');
  });

  it('token errors (note 2.3): every 400 and code 7 on either status are auth, not retried', () => {
    for (const body of [{ code: 5, message: 'scope is empty' }, {}])
      expect(fromResponse(gigachatTokenErrors, 400, body)).toMatchObject({ kind: 'auth', retryable: false });
    expect(
      fromResponse(gigachatTokenErrors, 401, {
        code: 7,
        message: 'scope from db not fully includes consumed scope',
      }),
    ).toMatchObject({ kind: 'auth', retryable: false, code: '7' });
    expect(fromResponse(gigachatTokenErrors, 503, { code: 1, message: 'down' })).toMatchObject({
      kind: 'overloaded',
      retryable: true,
    });
  });
});
