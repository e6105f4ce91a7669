import { ProviderError } from '../errors/provider-error.js';
import { anySignal } from './any-signal.js';
import {
  type CreateErrorFromResponseOptions,
  createErrorFromResponse,
} from './create-error-from-response.js';
import type { FetchFunction } from './fetch-function.js';
import { NODE_BODY, RESPONSE_DONE } from './node-body.js';

/** Keeps a fetch Response's link to the caller's signal alive exactly as long as the Response. */
const FOLLOWS = Symbol('llmo.callApi.follows');

import { onAbort } from './on-abort.js';
import { redactSecrets, redactUrl } from './redact.js';
import type { SecretRedactor } from './secret-redactor.js';
import { signalDeadline } from './signal-deadline.js';

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
  /** Credentials this request carries, removed from every message (4+ characters each). */
  secrets?: readonly (string | undefined)[];
  /**
   * The provider's redactor: it learns `secrets` and the values of credential headers, and every error
   * thrown here passes through it (the provider's `redactProvider` catches what is thrown later).
   */
  redactor?: SecretRedactor;
  classify?: CreateErrorFromResponseOptions['classify'];
}

/**
 * Sends one HTTP request and returns the 2xx `Response`. Everything else becomes a `ProviderError`:
 * non-2xx through `createErrorFromResponse`, an aborted caller signal as `cancelled`, the timeout as
 * `timeout`, and a failed connection as `network`. Messages never include the query string or secrets.
 */
export async function callApi(options: CallApiOptions): Promise<Response> {
  const { redactor } = options;
  if (!redactor) return send(options, options.secrets);
  redactor.remember(...(options.secrets ?? []));
  redactor.rememberHeaders(options.headers);
  try {
    return await send(options, redactor.secrets);
  } catch (error) {
    throw redactor.error(error);
  }
}

async function send(
  options: CallApiOptions,
  secrets: readonly (string | undefined)[] | undefined,
): Promise<Response> {
  const { provider, signal } = options;
  if (signal?.aborted) throw cancelledError(provider, signal.reason);
  // A router attempt's signal that aborts before our timeout could is the request's signal as it is. Only such
  // a short-lived signal: a long-lived one (an app's shutdown signal) must not collect the transport's listeners.
  const deadline = signal ? signalDeadline(signal) : undefined;
  if (
    signal &&
    deadline !== undefined &&
    (options.timeoutMs === undefined || deadline <= Date.now() + options.timeoutMs)
  )
    return sendUnder(options, signal, secrets);

  // One controller for the request: the caller's abort and the timeout (which covers the wait for response
  // headers only; a streamed body may legitimately run longer) both abort it. `onAbort` links the caller's
  // signal (one listener however many calls share it), unlinked once the body is finished with
  // (RESPONSE_DONE): AbortSignal.any did the same job at several times the cost per call.
  const controller = new AbortController();
  const timer =
    options.timeoutMs !== undefined
      ? setTimeout(() => controller.abort(new TimeoutMarker(options.timeoutMs!)), options.timeoutMs)
      : undefined;
  let unlink: (() => void) | undefined;
  if (signal) unlink = onAbort(signal, (reason) => controller.abort(reason));

  try {
    const response = await options.fetch(options.url, requestInit(options, controller.signal));
    if (timer !== undefined) clearTimeout(timer);
    if (!response.ok) {
      const bodyText = await response.text().catch(() => '');
      unlink?.();
      unlink = undefined;
      throw errorFromResponse(response, bodyText, options, secrets);
    }
    if (unlink) {
      // The body must stay abortable by the caller until it is finished with (a stream, a slow JSON body).
      if ((response as { [NODE_BODY]?: unknown })[NODE_BODY]) {
        // The Node transport says when: its body stream closes (read, cancelled or destroyed).
        (response as { [RESPONSE_DONE]?: () => void })[RESPONSE_DONE] = unlink;
      } else {
        // A fetch Response may be dropped unread, and nothing would say so: follow the caller's signal through
        // AbortSignal.any (held weakly by the caller's signal) for as long as the response itself lives.
        unlink();
        const follower = anySignal([signal!]);
        follower.addEventListener('abort', () => controller.abort(signal!.reason), { once: true });
        (response as { [FOLLOWS]?: AbortSignal })[FOLLOWS] = follower;
      }
      unlink = undefined;
    }
    return response;
  } catch (error) {
    unlink?.();
    throw toProviderError(error, {
      provider,
      signal,
      url: options.url,
      secrets,
      timeoutSignal: controller.signal,
    });
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** `send` under a caller's signal that aborts first (see signal-deadline.ts): the transport gets it as is. */
async function sendUnder(
  options: CallApiOptions,
  signal: AbortSignal,
  secrets: readonly (string | undefined)[] | undefined,
): Promise<Response> {
  try {
    const response = await options.fetch(options.url, requestInit(options, signal));
    if (!response.ok) {
      const bodyText = await response.text().catch(() => '');
      throw errorFromResponse(response, bodyText, options, secrets);
    }
    return response;
  } catch (error) {
    throw toProviderError(error, { provider: options.provider, signal, url: options.url, secrets });
  }
}

/** The fetch init of a call: its headers (a JSON body gets its content type), body and method. */
function requestInit(options: CallApiOptions, signal: AbortSignal): RequestInit {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.headers ?? {}))
    if (value !== undefined) headers[key] = value;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type'))
      headers['content-type'] = 'application/json';
  }
  return { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, signal };
}

function errorFromResponse(
  response: Response,
  bodyText: string,
  options: CallApiOptions,
  secrets: readonly (string | undefined)[] | undefined,
): ProviderError {
  return createErrorFromResponse({
    provider: options.provider,
    status: response.status,
    headers: response.headers,
    bodyText,
    secrets,
    classify: options.classify,
  });
}

class TimeoutMarker extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no response within ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

/**
 * Maps whatever a fetch or a body read threw to a `ProviderError`: the caller's abort → `cancelled`, the
 * request timeout → `timeout`, anything else (refused, reset, DNS, "terminated") → `network`, retryable.
 * ProviderErrors pass through. Use it around body reads so a reset mid-stream is reported the same way.
 */
export function toProviderError(
  error: unknown,
  context: {
    provider: string;
    signal?: AbortSignal;
    url?: string;
    secrets?: readonly (string | undefined)[];
    /** The signal whose abort means "timed out". */
    timeoutSignal?: AbortSignal;
  },
): ProviderError {
  if (ProviderError.isInstance(error)) return error;
  const { provider } = context;
  if (context.signal?.aborted) return cancelledError(provider, error);
  const where = context.url ? ` from ${redactUrl(context.url)}` : '';
  const timedOut =
    context.timeoutSignal?.aborted === true && context.timeoutSignal.reason instanceof TimeoutMarker;
  if (timedOut) {
    const reason = context.timeoutSignal!.reason as TimeoutMarker;
    return new ProviderError({
      kind: 'timeout',
      provider,
      message: `${provider}: no response${where} within ${reason.timeoutMs} ms`,
      cause: error,
    });
  }
  const reason =
    error instanceof Error
      ? error.cause instanceof Error
        ? `${error.message}: ${error.cause.message}`
        : error.message
      : String(error);
  const certificate = tlsCertificateCode(error);
  if (certificate) {
    // The same certificate fails every time: not transient, so neither retried nor tried on a later pass.
    return new ProviderError({
      kind: 'network',
      code: 'tls-certificate',
      retryable: false,
      provider,
      message: redactSecrets(
        `${provider}: the server's TLS certificate was rejected${where} (${certificate}); if it is signed by a private CA, pass that CA (createNodeFetch({ tls: { ca } }) from @llmo/core/node)`,
        context.secrets ?? [],
      ),
      cause: error,
    });
  }
  return new ProviderError({
    kind: 'network',
    provider,
    message: redactSecrets(`${provider}: connection failed${where}: ${reason}`, context.secrets ?? []),
    cause: error,
  });
}

/** Node's and undici's codes for a certificate the client refused (a string check: edge-safe). */
const TLS_CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

/** The certificate error code somewhere in the `cause` chain (fetch wraps it: "fetch failed" → cause). */
function tlsCertificateCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && TLS_CERTIFICATE_CODES.has(code)) return code;
    current = current.cause;
  }
  return undefined;
}

export function cancelledError(provider: string | undefined, cause?: unknown): ProviderError {
  return new ProviderError({
    kind: 'cancelled',
    provider,
    message: 'The request was aborted by the caller',
    cause,
  });
}
