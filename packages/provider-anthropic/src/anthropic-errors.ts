import {
  type ErrorInfo,
  type ErrorKind,
  extractErrorInfo,
  ProviderError,
  RETRYABLE_KINDS,
} from '@llmo/core/provider';

/** Anthropic `error.type` values that say more than the HTTP status (docs "Errors"; SDK `ErrorType`). */
function kindFromType(type: string | undefined, message: string | undefined): ErrorKind | undefined {
  switch (type) {
    case 'overloaded_error':
      return 'overloaded';
    case 'billing_error':
      return 'quota';
    case 'rate_limit_error':
      return 'rate_limit';
    case 'authentication_error':
      return 'auth';
    case 'permission_error':
      return 'permission';
    case 'request_too_large':
      return 'context_length';
    case 'invalid_request_error':
      if (/prompt is too long|context window|maximum context/i.test(message ?? '')) return 'context_length';
      return undefined;
    default:
      return undefined;
  }
}

const errorTypeOf = (body: unknown): string | undefined => {
  const type = (body as { error?: { type?: unknown } } | undefined)?.error?.type;
  return typeof type === 'string' ? type : undefined;
};

/**
 * Refines an HTTP error from the body's `error.type` (529 `overloaded_error` → `overloaded` even behind a
 * proxy that rewrites the status; `billing_error` → `quota`; "prompt is too long" → `context_length`), and
 * obeys `x-should-retry: true|false` over the status, as the official SDK does. A body that is not the JSON
 * error shape (413 from the edge, pitfall 12) keeps the status defaults.
 */
export function classifyAnthropicError(
  info: ErrorInfo,
): { kind?: ErrorKind; retryable?: boolean } | undefined {
  const kind = kindFromType(errorTypeOf(info.body), info.message);
  const shouldRetry = info.headers.get('x-should-retry');
  const retryable = shouldRetry === 'true' ? true : shouldRetry === 'false' ? false : undefined;
  return kind || retryable !== undefined ? { kind, retryable } : undefined;
}

/** An `event: error` inside a 200 stream: `{type:"error", error:{type, message}}`. */
export function anthropicStreamError(data: unknown, provider: string, requestId?: string): ProviderError {
  const info = extractErrorInfo(data);
  const type = errorTypeOf(data);
  const kind =
    kindFromType(type, info.message) ??
    (type === 'timeout_error' ? 'timeout' : type === 'invalid_request_error' ? 'bad_request' : 'server');
  return new ProviderError({
    kind,
    provider,
    code: type,
    requestId,
    retryable: RETRYABLE_KINDS.has(kind),
    message: `${provider}: error inside the stream (${type ?? 'unknown'}): ${info.message ?? 'unknown error'}`,
  });
}
