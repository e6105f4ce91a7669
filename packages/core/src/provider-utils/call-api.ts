import { ProviderError } from '../errors/provider-error.js';
import {
  type CreateErrorFromResponseOptions,
  createErrorFromResponse,
} from './create-error-from-response.js';
import type { FetchFunction } from './fetch-function.js';
import { redactSecrets, redactUrl } from './redact.js';

export interface CallApiOptions {
  provider: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string | undefined>;
  /** Serialised as JSON when it is not a string. */
  body?: unknown;
  fetch: FetchFunction;
  /** The caller's signal: aborting it gives a `cancelled` error. */
  signal?: AbortSignal;
  /** Time allowed until response headers arrive; a `timeout` error after it. */
  timeoutMs?: number;
  secrets?: readonly (string | undefined)[];
  classify?: CreateErrorFromResponseOptions['classify'];
}

function isAbortLike(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/**
 * Sends one HTTP request and returns the 2xx `Response`. Everything else becomes a `ProviderError`:
 * non-2xx through `createErrorFromResponse`, an aborted caller signal as `cancelled`, the timeout as
 * `timeout`, and a failed connection as `network`. Messages never include the query string or secrets.
 */
export async function callApi(options: CallApiOptions): Promise<Response> {
  const { provider, signal } = options;
  if (signal?.aborted) throw cancelledError(provider, signal.reason);

  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    options.timeoutMs !== undefined
      ? setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, options.timeoutMs)
      : undefined;

  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.headers ?? {}))
    if (value !== undefined) headers[key] = value;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }

  try {
    const response = await options.fetch(options.url, {
      method: options.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      signal: controller.signal,
    });
    if (!response.ok) {
      const bodyText = await response.text().catch(() => '');
      throw createErrorFromResponse({
        provider,
        status: response.status,
        headers: response.headers,
        bodyText,
        secrets: options.secrets,
        classify: options.classify,
      });
    }
    return response;
  } catch (error) {
    if (ProviderError.isInstance(error)) throw error;
    if (signal?.aborted) throw cancelledError(provider, error);
    if (timedOut || isAbortLike(error)) {
      throw new ProviderError({
        kind: 'timeout',
        provider,
        message: `${provider}: no response from ${redactUrl(options.url)} within ${options.timeoutMs} ms`,
        cause: error,
      });
    }
    const reason =
      error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : '';
    throw new ProviderError({
      kind: 'network',
      provider,
      message: redactSecrets(
        `${provider}: request to ${redactUrl(options.url)} failed: ${reason}`,
        options.secrets ?? [],
      ),
      cause: error,
    });
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

export function cancelledError(provider: string | undefined, cause?: unknown): ProviderError {
  return new ProviderError({
    kind: 'cancelled',
    provider,
    message: 'The request was aborted by the caller',
    cause,
  });
}
