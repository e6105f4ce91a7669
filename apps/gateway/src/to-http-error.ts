import { type ErrorKind, RouteFailedError, RouterError, StreamInterruptedError } from '@llmo/core';
import { GatewayHttpError } from './gateway-http-error.js';

/** Provider error kinds → the status a client of an OpenAI-compatible API expects. */
const KIND_STATUS: Partial<Record<ErrorKind, number>> = {
  bad_request: 400,
  context_length: 400,
  content_filter: 400,
  rate_limit: 429,
  quota: 429,
  timeout: 504,
  cancelled: 499,
};

function retryAfterSeconds(error: RouteFailedError): number | undefined {
  const last = error.lastError as { retryAfterMs?: unknown } | undefined;
  const ms = typeof last?.retryAfterMs === 'number' ? last.retryAfterMs : undefined;
  return ms === undefined ? undefined : Math.max(1, Math.ceil(ms / 1000));
}

/**
 * Any failure of a routed request → a `GatewayHttpError`. The router's messages are secret-free (providers
 * redact what upstreams echo) and name providers and kinds, never prompt text, so they are passed on.
 */
export function toHttpError(error: unknown): GatewayHttpError {
  if (error instanceof GatewayHttpError) return error;
  if (RouterError.isInstance(error)) {
    const issue = error.issues?.[0];
    return new GatewayHttpError({
      status: 400,
      message: error.message,
      type: 'invalid_request_error',
      code: error.code,
      kind: 'validation',
      param: issue ? issue.path.join('.') : null,
    });
  }
  if (RouteFailedError.isInstance(error)) {
    if (error.reason === 'cancelled') {
      return new GatewayHttpError({
        status: 499,
        message: 'The client closed the request.',
        type: 'api_error',
        code: 'cancelled',
        kind: 'cancelled',
      });
    }
    if (error.reason === 'deadline') {
      return new GatewayHttpError({
        status: 504,
        message: error.message,
        type: 'timeout_error',
        code: 'deadline',
        kind: 'timeout',
      });
    }
    if (error.reason === 'no-candidates') {
      return new GatewayHttpError({
        status: 503,
        message: error.message,
        type: 'api_error',
        code: 'no_provider',
        kind: 'no_candidates',
        retryAfterSeconds: 1,
      });
    }
    const kind = error.kind ?? 'server';
    const status = error.reason === 'caller-error' ? (KIND_STATUS[kind] ?? 400) : (KIND_STATUS[kind] ?? 502);
    return new GatewayHttpError({
      status,
      message: error.message,
      type:
        status === 429
          ? 'rate_limit_error'
          : status === 400
            ? 'invalid_request_error'
            : status === 504
              ? 'timeout_error'
              : 'api_error',
      code: kind,
      kind,
      retryAfterSeconds: status === 429 ? (retryAfterSeconds(error) ?? 1) : undefined,
    });
  }
  if (StreamInterruptedError.isInstance(error)) {
    // After the first chunk: the status line has gone; this becomes the stream's error event.
    const kind = error.kind ?? 'network';
    return new GatewayHttpError({
      status: kind === 'timeout' ? 504 : 502,
      message: error.message,
      type: kind === 'timeout' ? 'timeout_error' : 'api_error',
      code: kind,
      kind,
    });
  }
  return new GatewayHttpError({
    status: 500,
    message: 'Internal gateway error.',
    type: 'api_error',
    code: 'internal_error',
    kind: 'internal',
  });
}
