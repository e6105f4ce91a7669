import type { ErrorKind } from '../errors/error-kind.js';
import { ProviderError } from '../errors/provider-error.js';
import { getHeader, parseRetryAfterMs } from './parse-retry-after.js';
import { redactSecrets } from './redact.js';
import { statusToErrorKind } from './status-to-error-kind.js';

/** Response headers that carry a request id, across the providers we know. */
export const REQUEST_ID_HEADERS = [
  'x-request-id',
  'request-id',
  'x-amzn-requestid',
  'x-goog-request-id',
  'x-client-request-id',
] as const;

export interface ErrorBodyInfo {
  message?: string;
  code?: string;
  /** A request id carried in the body (google.rpc.Status `details[].requestId`). */
  requestId?: string;
}

function requestIdIn(details: unknown): string | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    const id = (detail as { requestId?: unknown } | null)?.requestId;
    if (typeof id === 'string' && id) return id;
  }
  return undefined;
}

/**
 * Pulls a message and code out of the error bodies providers send (nested `error`, flat, or string). A body
 * wrapped in a one-element array (`[{"error": {…}}]`, seen from Google endpoints) is read as its element.
 */
export function extractErrorInfo(body: unknown): ErrorBodyInfo {
  if (Array.isArray(body)) return body.length === 1 ? extractErrorInfo(body[0]) : {};
  if (body == null || typeof body !== 'object') return {};
  const record = body as Record<string, unknown>;
  const nested = record.error;
  if (typeof nested === 'string') {
    // `{"error": "...", "code": 3, "message": "..."}`: the longer message is the useful one.
    return {
      message: stringOrUndefined(record.message) ?? nested,
      code: stringOrUndefined(record.code),
      requestId: requestIdIn(record.details),
    };
  }
  if (nested && typeof nested === 'object') {
    const err = nested as Record<string, unknown>;
    return {
      message: stringOrUndefined(err.message) ?? stringOrUndefined(record.message),
      code:
        stringOrUndefined(err.code) ??
        stringOrUndefined(err.grpcCode) ??
        stringOrUndefined(err.type) ??
        stringOrUndefined(err.status),
      requestId: requestIdIn(err.details),
    };
  }
  return {
    message:
      stringOrUndefined(record.message) ??
      stringOrUndefined(record.detail) ??
      stringOrUndefined(record.error_description),
    code: stringOrUndefined(record.code) ?? stringOrUndefined(record.type),
    requestId: requestIdIn(record.details),
  };
}

function stringOrUndefined(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

export interface CreateErrorFromResponseOptions {
  provider: string;
  status: number;
  headers: Headers;
  /** The raw body text (may be empty or not JSON). */
  bodyText: string;
  /** Values that must never appear in the message (API keys, tokens). */
  secrets?: readonly (string | undefined)[];
  /**
   * Lets a provider refine the error from its own codes and headers: return a kind, or
   * `{ kind, retryable, retryAfterMs, code }` (e.g. OpenAI's `x-should-retry` header; Gemini's delay in the
   * body's `google.rpc.RetryInfo`, which wins over the Retry-After headers, and its `ErrorInfo.reason` as the
   * code), or undefined to keep the status defaults. `createErrorMapper` builds one from a provider's error spec.
   */
  classify?: (
    info: ErrorInfo,
  ) =>
    | ErrorKind
    | { kind?: ErrorKind; retryable?: boolean; retryAfterMs?: number; code?: string }
    | undefined;
}

/** What `classify` sees. */
export interface ErrorInfo {
  status: number;
  body: unknown;
  headers: Headers;
  code?: string;
  message?: string;
}

/**
 * Turns a non-2xx response into a `ProviderError`: kind from the status (refined by `classify`),
 * `retryable` from the kind, `retryAfterMs` from Retry-After / retry-after-ms, `requestId` from the usual
 * headers, and a message built from the body with secrets removed.
 */
export function createErrorFromResponse(options: CreateErrorFromResponseOptions): ProviderError {
  const { provider, status, headers, bodyText } = options;
  let body: unknown;
  try {
    body = bodyText ? JSON.parse(bodyText) : undefined;
  } catch {
    body = undefined;
  }
  const info = extractErrorInfo(body);
  const refined = options.classify?.({ status, body, headers, ...info });
  const kind = (typeof refined === 'string' ? refined : refined?.kind) ?? statusToErrorKind(status);
  const retryable = typeof refined === 'object' ? refined.retryable : undefined;
  const retryAfterMs =
    (typeof refined === 'object' ? refined.retryAfterMs : undefined) ?? parseRetryAfterMs(headers);
  const detail = info.message ?? (bodyText.trim().slice(0, 300) || 'no response body');
  let requestId: string | undefined;
  for (const name of REQUEST_ID_HEADERS) {
    requestId = getHeader(headers, name);
    if (requestId) break;
  }
  requestId ??= info.requestId;
  return new ProviderError({
    kind,
    retryable,
    status,
    provider,
    code: (typeof refined === 'object' ? refined.code : undefined) ?? info.code,
    requestId,
    retryAfterMs,
    message: redactSecrets(`${provider}: HTTP ${status} (${kind}): ${detail}`, options.secrets ?? []),
  });
}
