import {
  type ErrorInfo,
  type ErrorKind,
  extractErrorInfo,
  ProviderError,
  RETRYABLE_KINDS,
} from '@llmo/core/provider';

// Errors are google.rpc.Status bodies: {"error": {code, message, status, details[]}} (protocol note §8),
// sometimes wrapped in a one-element array. What the status alone cannot say lives in `details[]`, keyed by
// `@type`: ErrorInfo (reason API_KEY_INVALID), RetryInfo (retryDelay), QuotaFailure (quotaId).

interface RpcStatus {
  code?: unknown;
  message?: unknown;
  status?: unknown;
  details?: unknown;
}

/** The `error` object of a google.rpc.Status body (bare or array-wrapped), if the body is one. */
export function rpcStatusOf(body: unknown): RpcStatus | undefined {
  const value = Array.isArray(body) && body.length === 1 ? body[0] : body;
  const error = (value as { error?: unknown } | null | undefined)?.error;
  return error !== null && typeof error === 'object' ? (error as RpcStatus) : undefined;
}

function details(status: RpcStatus | undefined, type: string): Record<string, unknown>[] {
  if (!Array.isArray(status?.details)) return [];
  return status.details.filter(
    (d): d is Record<string, unknown> =>
      d !== null && typeof d === 'object' && (d as Record<string, unknown>)['@type'] === type,
  );
}

const TYPE = 'type.googleapis.com/google.rpc.';

/**
 * `RetryInfo.retryDelay` in milliseconds: a protobuf Duration string (`"34.4s"`, `"45.837906927s"`,
 * `"26s"`; protocol note §9). Gemini sends no `Retry-After` header, so this is the only hint.
 */
export function retryDelayMs(status: RpcStatus | undefined): number | undefined {
  for (const info of details(status, `${TYPE}RetryInfo`)) {
    const delay = info.retryDelay;
    const match = typeof delay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(delay.trim()) : null;
    if (match) return Math.ceil(Number(match[1]) * 1000);
    // The object form of a Duration, in case a proxy re-encodes it.
    if (delay !== null && typeof delay === 'object') {
      const { seconds, nanos } = delay as { seconds?: unknown; nanos?: unknown };
      const s = Number(seconds ?? 0) + Number(nanos ?? 0) / 1e9;
      if (Number.isFinite(s) && s >= 0) return Math.ceil(s * 1000);
    }
  }
  return undefined;
}

/** `ErrorInfo.reason` values, e.g. `API_KEY_INVALID`. */
function reasons(status: RpcStatus | undefined): string[] {
  return details(status, `${TYPE}ErrorInfo`)
    .map((d) => d.reason)
    .filter((r): r is string => typeof r === 'string');
}

/** A quota that will not clear in seconds: a per-day quota id (protocol note §9). */
function dailyQuota(status: RpcStatus | undefined): boolean {
  for (const failure of details(status, `${TYPE}QuotaFailure`)) {
    const violations = Array.isArray(failure.violations) ? failure.violations : [];
    for (const v of violations) {
      const id = (v as { quotaId?: unknown } | null)?.quotaId;
      if (typeof id === 'string' && /per[-_]?day/i.test(id)) return true;
    }
  }
  return false;
}

/** google.rpc.Code names → error kinds, for errors without a usable HTTP status (inside a 200 stream). */
const KIND_BY_RPC_STATUS: Record<string, ErrorKind> = {
  INVALID_ARGUMENT: 'bad_request',
  FAILED_PRECONDITION: 'permission',
  OUT_OF_RANGE: 'bad_request',
  UNAUTHENTICATED: 'auth',
  PERMISSION_DENIED: 'permission',
  NOT_FOUND: 'not_found',
  RESOURCE_EXHAUSTED: 'rate_limit',
  CANCELLED: 'server',
  ABORTED: 'server',
  INTERNAL: 'server',
  UNKNOWN: 'server',
  DATA_LOSS: 'server',
  UNAVAILABLE: 'overloaded',
  DEADLINE_EXCEEDED: 'timeout',
  UNIMPLEMENTED: 'bad_request',
};

const CONTEXT_LENGTH =
  /input token count.*exceeds|exceeds the maximum number of tokens|context (window|length)/i;

export interface GeminiErrorClass {
  kind?: ErrorKind;
  retryable?: boolean;
  retryAfterMs?: number;
  /** `ErrorInfo.reason` (`API_KEY_INVALID`), else the status name (`RESOURCE_EXHAUSTED`). */
  code?: string;
}

/** What the body says beyond the status, for both HTTP errors and errors inside a 200 stream. */
function refine(status: RpcStatus | undefined, message: string | undefined): GeminiErrorClass {
  const why = reasons(status);
  const name = typeof status?.status === 'string' && status.status ? status.status : undefined;
  const result: GeminiErrorClass = { code: why[0] ?? name };
  // Pitfall 11: an invalid or expired key is HTTP 400 INVALID_ARGUMENT; only ErrorInfo.reason says "auth".
  if (why.includes('API_KEY_INVALID') || why.includes('API_KEY_EXPIRED')) result.kind = 'auth';
  else if (status?.status === 'FAILED_PRECONDITION') result.kind = 'permission';
  else if (CONTEXT_LENGTH.test(message ?? '')) result.kind = 'context_length';
  else if (status?.status === 'RESOURCE_EXHAUSTED' && dailyQuota(status)) {
    // A per-day quota will not clear by retrying now: another provider, or tomorrow.
    result.kind = 'quota';
    result.retryable = false;
  }
  const delay = retryDelayMs(status);
  if (delay !== undefined && result.kind !== 'quota') result.retryAfterMs = delay;
  return result;
}

/**
 * The `classify` hook for `createHttpClient` calls: 400 `API_KEY_INVALID` → `auth`; 429
 * `RESOURCE_EXHAUSTED` with `RetryInfo` → `retryAfterMs` (a per-day `QuotaFailure` → `quota`, not
 * retryable); 400 `FAILED_PRECONDITION` (billing / region) → `permission`; an input over the context window
 * → `context_length`. Everything else keeps the status defaults (503 → `overloaded`, 504 → `timeout`…).
 * The error's `code` is the `ErrorInfo.reason`, else the status name, rather than the numeric code.
 */
export function classifyGeminiError(info: ErrorInfo): GeminiErrorClass | undefined {
  const status = rpcStatusOf(info.body);
  const message = typeof status?.message === 'string' ? status.message : info.message;
  const result = refine(status, message);
  return result.kind || result.retryable !== undefined || result.retryAfterMs !== undefined || result.code
    ? result
    : undefined;
}

/**
 * An error delivered inside a 200 stream (pitfall 12: a bare `{"error": {…}}` object, or a `data:` event
 * carrying one). Its kind comes from the google.rpc status name, then the HTTP code it carries.
 */
export function geminiStreamError(data: unknown, provider: string, requestId?: string): ProviderError {
  const status = rpcStatusOf(data);
  const info = extractErrorInfo(Array.isArray(data) && data.length === 1 ? data[0] : data);
  const rpc = typeof status?.status === 'string' ? status.status : undefined;
  const code = typeof status?.code === 'number' ? status.code : undefined;
  const refined = refine(status, info.message);
  const kind: ErrorKind =
    refined.kind ??
    (rpc ? KIND_BY_RPC_STATUS[rpc] : undefined) ??
    (code === 429 ? 'rate_limit' : code === 503 ? 'overloaded' : code === 400 ? 'bad_request' : 'server');
  return new ProviderError({
    kind,
    provider,
    code: refined.code ?? (code === undefined ? undefined : String(code)),
    requestId,
    retryable: refined.retryable ?? RETRYABLE_KINDS.has(kind),
    retryAfterMs: refined.retryAfterMs,
    message: `${provider}: error inside the stream (${rpc ?? code ?? 'unknown'}): ${info.message ?? 'unknown error'}`,
  });
}

/** Whether a parsed wire value is an error object rather than a response chunk. */
export function isGeminiErrorBody(data: unknown): boolean {
  const status = rpcStatusOf(data);
  return status !== undefined;
}
