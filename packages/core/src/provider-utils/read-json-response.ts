import { ProviderError } from '../errors/provider-error.js';
import { toProviderError } from './call-api.js';
import { lazy } from './lazy.js';
import { responseDone } from './node-body.js';

/** Any schema with zod's `safeParse` (classic or mini), so providers choose their own zod flavour. */
export interface SafeParser<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/**
 * A schema built on first use. Building zod schemas is most of what importing a provider costs (a few
 * milliseconds of a process's cold start for each package), and a wire schema behind a `withFastCheck` guard,
 * or one for a rarely used endpoint, may never be needed at all.
 */
export function lazySchema<T>(build: () => SafeParser<T>): SafeParser<T> {
  const schema = lazy(build);
  return { safeParse: (value) => schema().safeParse(value) };
}

/**
 * A schema whose common case a hand-written guard checks first: the guard says yes for well-formed wire values
 * at a fraction of a schema parse's cost (it runs for every response and every stream chunk), and the schema
 * runs only when the guard says no, to accept what the guard was too strict for or to name the problem, so
 * it may be given as a function that builds it then (see `lazySchema`). The guard must never accept a value
 * the schema rejects (each provider tests this over mutated fixtures: `@llmo/testkit`'s `guardMutants`).
 */
export function withFastCheck<T>(
  guard: (value: unknown) => value is T,
  schema: SafeParser<T> | (() => SafeParser<T>),
): SafeParser<T> {
  const slow = typeof schema === 'function' ? lazySchema(schema) : schema;
  return {
    safeParse: (value) => (guard(value) ? { success: true, data: value } : slow.safeParse(value)),
  };
}

/** Guard helpers for `withFastCheck`: the tolerant wire shapes (absent, null, or the type). */
export const wire = {
  object: (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v),
  optionalString: (v: unknown): boolean => v == null || typeof v === 'string',
  optionalNumber: (v: unknown): boolean => v == null || (typeof v === 'number' && Number.isFinite(v)),
  /** Absent or null, or an array whose every item passes `item`. */
  optionalArray: (v: unknown, item: (x: unknown) => boolean): boolean => {
    if (v == null) return true;
    if (!Array.isArray(v)) return false;
    for (const x of v) if (!item(x)) return false;
    return true;
  },
};

/**
 * Checks a parsed wire value against a tolerant schema; a mismatch is a non-retryable `invalid_response`
 * naming the first problem (never the body, which may echo the prompt).
 */
export function parseWire<T>(
  schema: SafeParser<T>,
  value: unknown,
  context: { provider: string; what: string },
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.map(String).join('.')}` : '';
  throw new ProviderError({
    kind: 'invalid_response',
    provider: context.provider,
    message: `${context.provider}: unexpected ${context.what}${where}: ${issue?.message ?? 'invalid'}`,
  });
}

/**
 * Reads a JSON response body and validates it. Leading and trailing whitespace is allowed (DeepSeek sends
 * blank lines while a request waits in its queue); a body that is not JSON is `invalid_response`; a failure
 * while reading (reset, abort) maps through `toProviderError`.
 */
export async function readJsonResponse<T>(
  response: Response,
  schema: SafeParser<T>,
  context: { provider: string; what?: string; signal?: AbortSignal },
): Promise<T> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw toProviderError(error, { provider: context.provider, signal: context.signal });
  } finally {
    responseDone(response);
  }
  let value: unknown;
  try {
    value = JSON.parse(text.trim());
  } catch (cause) {
    throw new ProviderError({
      kind: 'invalid_response',
      provider: context.provider,
      message: `${context.provider}: the response is not JSON (${text.length} bytes)`,
      cause,
    });
  }
  return parseWire(schema, value, { provider: context.provider, what: context.what ?? 'response' });
}

/** `JSON.parse` for wire text (a stream event, a line): a failure is a non-retryable `invalid_response`. */
export function parseJsonText(text: string, context: { provider: string; what: string }): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ProviderError({
      kind: 'invalid_response',
      provider: context.provider,
      message: `${context.provider}: ${context.what} is not JSON`,
      cause,
    });
  }
}
