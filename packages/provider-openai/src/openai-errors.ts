import {
  type ErrorInfo,
  type ErrorKind,
  extractErrorInfo,
  ProviderError,
  RETRYABLE_KINDS,
} from '@llmo/core/provider';

/** OpenAI error codes that say more than the status. */
function kindFromCode(code: string | undefined, message: string | undefined): ErrorKind | undefined {
  if (code === 'insufficient_quota') return 'quota';
  if (code === 'context_length_exceeded' || /maximum context length|context window/i.test(message ?? ''))
    return 'context_length';
  if (code === 'invalid_api_key') return 'auth';
  if (code === 'content_filter' || code === 'content_policy_violation') return 'content_filter';
  if (code === 'model_not_found') return 'not_found';
  return undefined;
}

/**
 * Refines an OpenAI (or compatible) HTTP error: `insufficient_quota` is a 429 that will never succeed on retry
 * (kind `quota`, not retryable, whatever the headers say); `context_length_exceeded` is `context_length`;
 * `x-should-retry: true|false` overrides `retryable`, as in the official SDKs.
 */
export function classifyOpenAIError(info: ErrorInfo): { kind?: ErrorKind; retryable?: boolean } | undefined {
  const type = (info.body as { error?: { type?: unknown } } | undefined)?.error?.type;
  const kind = kindFromCode(info.code ?? (typeof type === 'string' ? type : undefined), info.message);
  if (kind === 'quota') return { kind, retryable: false };
  const shouldRetry = info.headers.get('x-should-retry');
  const retryable = shouldRetry === 'true' ? true : shouldRetry === 'false' ? false : undefined;
  return kind || retryable !== undefined ? { kind, retryable } : undefined;
}

/** An error delivered inside a 200 stream (`data: {"error": …}` or `event: error`). */
export function streamError(data: unknown, provider: string): ProviderError {
  const info = extractErrorInfo(data);
  const kind = kindFromCode(info.code, info.message) ?? 'server';
  return new ProviderError({
    kind,
    provider,
    code: info.code,
    retryable: RETRYABLE_KINDS.has(kind),
    message: `${provider}: error inside the stream: ${info.message ?? 'unknown error'}`,
  });
}
