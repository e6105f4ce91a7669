import { ProviderError } from '@llmo/core';
import { cancelledError, createErrorFromResponse, toProviderError } from '@llmo/core/provider';
import { aiSdkErrors } from './ai-sdk-errors.js';
import { safeCause } from './safe-cause.js';

/** An AI SDK error is recognised by its `Symbol.for` marker, as `AISDKError.isInstance` does (any copy). */
function aiSdkErrorName(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const name = (error as { name?: unknown }).name;
  if (typeof name !== 'string') return undefined;
  const marker = Symbol.for(`vercel.ai.error.${name}`);
  return (error as Record<symbol, unknown>)[marker] === true ? name : undefined;
}

interface APICallErrorLike extends Error {
  statusCode?: number;
  isRetryable: boolean;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
}

/** AI SDK errors that mean "the answer could not be read": llmo's malformed-answer kind. */
const INVALID_RESPONSE = new Set([
  'AI_EmptyResponseBodyError',
  'AI_InvalidResponseDataError',
  'AI_JSONParseError',
  'AI_TypeValidationError',
  'AI_NoContentGeneratedError',
]);
/** AI SDK errors about the request itself: sending it elsewhere may help, retrying it here will not. */
const BAD_REQUEST = new Set([
  'AI_InvalidPromptError',
  'AI_InvalidArgumentError',
  'AI_UnsupportedFunctionalityError',
]);

/** Fetch body reads that fail on the wire: undici's `TypeError: terminated`, socket codes in the cause chain. */
function isTransportFailure(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (current.name === 'TypeError' || (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_\w+)$/.test(code)))
      return true;
    current = current.cause;
  }
  return false;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Any error an AI SDK model throws (or puts in an `error` stream part) as an llmo `ProviderError`. An
 * `APICallError` keeps its status (kind from it, refined by the body's code through `aiSdkErrors`), is
 * retryable as its `x-should-retry` header says, else as its `isRetryable` (which the AI SDK derives from the
 * status alone), and keeps Retry-After and the request id from its headers. Without a
 * status it is a transport failure (the AI SDK wraps "fetch failed" that way): `network`. The `cause` is a
 * sanitized copy of the AI SDK error (see `safeCause`): never its response body, URL, headers or prompt.
 */
export function toLlmoError(
  error: unknown,
  provider: string,
  signal: AbortSignal | undefined,
): ProviderError {
  if (ProviderError.isInstance(error)) return error;
  if (signal?.aborted) return cancelledError(provider, error);
  const name = aiSdkErrorName(error);
  if (name === 'AI_APICallError') {
    const apiError = error as APICallErrorLike;
    if (apiError.statusCode === undefined) {
      return new ProviderError({
        kind: 'network',
        provider,
        retryable: apiError.isRetryable,
        message: `${provider}: connection failed: ${apiError.message}`,
        cause: safeCause(error),
      });
    }
    if (apiError.statusCode < 300) {
      // "Failed to process successful response": the 200 arrived, its body did not (a reset while reading it)
      // or was not what the API promises (a malformed 200).
      const transport = isTransportFailure(apiError.cause);
      return new ProviderError({
        kind: transport ? 'network' : 'invalid_response',
        provider,
        status: apiError.statusCode,
        message: `${provider}: ${transport ? 'the connection failed while reading the response' : 'malformed response'}: ${describe(apiError.cause ?? apiError)}`,
        cause: safeCause(error),
      });
    }
    const mapped = createErrorFromResponse({
      provider,
      status: apiError.statusCode,
      headers: new Headers(apiError.responseHeaders ?? {}),
      bodyText: apiError.responseBody ?? '',
      classify: (info) => {
        const rule = aiSdkErrors.classify(info);
        return { ...rule, retryable: rule?.retryable ?? apiError.isRetryable };
      },
    });
    return new ProviderError({
      kind: mapped.kind,
      provider,
      status: mapped.status,
      retryable: mapped.retryable,
      retryAfterMs: mapped.retryAfterMs,
      requestId: mapped.requestId,
      code: mapped.code,
      message: mapped.message,
      cause: safeCause(error),
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'AI_LoadAPIKeyError')
    return new ProviderError({
      kind: 'auth',
      provider,
      message: `${provider}: ${message}`,
      cause: safeCause(error),
    });
  if (name === 'AI_NoSuchModelError')
    return new ProviderError({
      kind: 'not_found',
      provider,
      message: `${provider}: ${message}`,
      cause: safeCause(error),
    });
  if (name && INVALID_RESPONSE.has(name))
    return new ProviderError({
      kind: 'invalid_response',
      provider,
      message: `${provider}: ${message}`,
      cause: safeCause(error),
    });
  if (name && BAD_REQUEST.has(name))
    return new ProviderError({
      kind: 'bad_request',
      provider,
      message: `${provider}: ${message}`,
      cause: safeCause(error),
    });
  // A plain fetch failure, a reset body, a timeout of the caller's own: core's transport classification.
  return toProviderError(error, { provider, ...(signal ? { signal } : {}) });
}
