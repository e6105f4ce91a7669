/** How deep a cause chain is copied; AI SDK errors nest one or two levels (APICallError → JSONParseError). */
const MAX_DEPTH = 4;

/**
 * A plain copy of an AI SDK error to keep as a `ProviderError`'s `cause`: name, message, stack, and the few
 * fields that say what happened (`statusCode`, `isRetryable`, `code`), with the same copy of its own cause.
 *
 * The originals carry what must not reach logs: an `APICallError` holds `responseBody` (which can echo the API
 * key), `requestBodyValues` (the whole prompt), `url` and `responseHeaders`; an `InvalidPromptError` its
 * `prompt`; a `JSONParseError` or `TypeValidationError` the answer's text. `util.inspect` and pino print every
 * own property of a cause, so only a copy without them is safe. Credentials in the message are removed later,
 * by the provider's `SecretRedactor`, with the rest of the error.
 */
export function safeCause(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return typeof error === 'string' ? error : undefined;
  const source = error as Error & { statusCode?: unknown; isRetryable?: unknown; code?: unknown };
  const inner =
    depth < MAX_DEPTH && error.cause !== undefined ? safeCause(error.cause, depth + 1) : undefined;
  const copy = new Error(error.message, inner !== undefined ? { cause: inner } : undefined);
  copy.name = error.name;
  if (typeof error.stack === 'string') copy.stack = error.stack;
  const extra = copy as Error & { statusCode?: number; isRetryable?: boolean; code?: string | number };
  if (typeof source.statusCode === 'number') extra.statusCode = source.statusCode;
  if (typeof source.isRetryable === 'boolean') extra.isRetryable = source.isRetryable;
  if (typeof source.code === 'string' || typeof source.code === 'number') extra.code = source.code;
  return copy;
}
