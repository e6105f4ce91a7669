import { ProviderError } from '../errors/provider-error.js';
import { type CallApiOptions, callApi } from './call-api.js';
import type { FetchFunction } from './fetch-function.js';
import { readJsonResponse, type SafeParser } from './read-json-response.js';
import type { SecretRedactor } from './secret-redactor.js';

/** A health check waits at most this long (or the provider's own timeout, if shorter). */
export const HEALTH_CHECK_TIMEOUT_MS = 10_000;

export interface HttpClientOptions {
  /** The provider's configured name, for errors. */
  provider: string;
  /** Trailing slashes are dropped; paths are appended to it. */
  baseURL: string;
  fetch: FetchFunction;
  /** Default time allowed until response headers, per call. */
  timeoutMs: number;
  /** The provider's redactor: every credential a call carries is remembered and kept out of errors. */
  redactor?: SecretRedactor;
}

export interface HttpCall {
  /** Appended to the base URL, e.g. `/chat/completions`. */
  path: string;
  /** The complete headers: merge the provider's, the settings' and the request's before passing them. */
  headers?: Record<string, string | undefined>;
  /** A JSON body makes it a POST; without one it is a GET. */
  body?: unknown;
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number;
  /** Credentials this call carries (an API key, a token), redacted from every error. */
  secrets?: readonly (string | undefined)[];
  /**
   * The provider's error mapper (status + body → kind) for this call. Per call, not per client: the existing
   * providers refine errors of their chat endpoint only, and moving them here must not change the others.
   */
  classify?: CallApiOptions['classify'];
}

export interface HttpClient {
  readonly baseURL: string;
  /** One call through `callApi`: the 2xx `Response`, or a typed `ProviderError`. */
  call(call: HttpCall): Promise<Response>;
  /** A GET (or POST) whose JSON body is validated against `schema`; `what` names it in errors. */
  json<T>(call: HttpCall & { schema: SafeParser<T>; what: string }): Promise<T>;
}

/**
 * The request plumbing an HTTP provider repeats — base URL, fetch, timeout and redactor fixed once — so its
 * factory only says which path, which headers and which body.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const baseURL = options.baseURL.replace(/\/+$/, '');
  const call = (c: HttpCall): Promise<Response> =>
    callApi({
      provider: options.provider,
      url: `${baseURL}${c.path}`,
      headers: c.headers,
      body: c.body,
      fetch: options.fetch,
      signal: c.signal,
      timeoutMs: c.timeoutMs ?? options.timeoutMs,
      secrets: c.secrets,
      redactor: options.redactor,
      classify: c.classify,
    });
  return {
    baseURL,
    call,
    async json(c) {
      const response = await call(c);
      return readJsonResponse(response, c.schema, {
        provider: options.provider,
        what: c.what,
        signal: c.signal,
      });
    },
  };
}

/**
 * A `healthCheck` from a probe (a free call such as listing models): true when it resolves, false when it
 * throws, never a throw — as the contract asks.
 */
export function healthCheckBy(
  probe: (signal: AbortSignal | undefined) => Promise<unknown>,
): (options?: { signal?: AbortSignal }) => Promise<boolean> {
  return async (options) => {
    try {
      await probe(options?.signal);
      return true;
    } catch {
      return false;
    }
  };
}

/**
 * The first choice of a completion; a completion without any is an `invalid_response` ("the completion has
 * no choices"), never an index into an empty array.
 */
export function firstChoice<T>(choices: readonly T[] | null | undefined, context: { provider: string }): T {
  const choice = choices?.[0];
  if (choice === undefined) {
    throw new ProviderError({
      kind: 'invalid_response',
      provider: context.provider,
      message: `${context.provider}: the completion has no choices`,
    });
  }
  return choice;
}
