import { createErrorMapper, type ErrorKind } from '@llmo/core/provider';
import * as z from '@llmo/core/zod';

// Errors are google.rpc.Status bodies: {"error": {code, message, status, details[]}} (protocol note §8),
// sometimes wrapped in a one-element array. What the status alone cannot say lives in `details[]`, keyed by
// `@type`: ErrorInfo (reason API_KEY_INVALID), RetryInfo (retryDelay), QuotaFailure (quotaId).

interface RpcStatus {
  code?: unknown;
  message?: unknown;
  status?: unknown;
  details?: unknown;
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

const rpcStatusSchema = z.looseObject({
  code: z.optional(z.unknown()),
  message: z.optional(z.unknown()),
  status: z.optional(z.unknown()),
  details: z.optional(z.unknown()),
});

/** google.rpc.Status bodies, bare or wrapped in a one-element array (protocol note §8). */
const errorBodySchema = z.union([
  z.looseObject({ error: rpcStatusSchema }),
  z.tuple([z.looseObject({ error: rpcStatusSchema })]),
]);
type ErrorBody = z.infer<typeof errorBodySchema>;
const statusOf = (body: ErrorBody): RpcStatus => (Array.isArray(body) ? body[0].error : body.error);

/**
 * Gemini's errors, HTTP or inside a 200 stream (pitfall 12), read from the google.rpc.Status body:
 * - the code is `ErrorInfo.reason` (`API_KEY_INVALID`), else the status name (`RESOURCE_EXHAUSTED`);
 * - 400 `API_KEY_INVALID` / `API_KEY_EXPIRED` → `auth` (pitfall 11: only the reason says so);
 * - `FAILED_PRECONDITION` (billing, region) → `permission`; an input over the context window →
 *   `context_length`;
 * - 429 `RESOURCE_EXHAUSTED` with `RetryInfo` → `retryAfterMs` (Gemini sends no Retry-After), but a per-day
 *   `QuotaFailure` → `quota`, not retryable, without the delay;
 * - inside a 200 stream, the HTTP code the body carries, else the status name, gives the kind.
 */
export const geminiErrors = createErrorMapper({
  schema: errorBodySchema,
  read: (body) => {
    const status = statusOf(body);
    const name = typeof status.status === 'string' && status.status ? status.status : undefined;
    return {
      code: reasons(status)[0] ?? name,
      message: typeof status.message === 'string' ? status.message : undefined,
      status: typeof status.code === 'number' ? status.code : undefined,
      retryAfterMs: retryDelayMs(status),
    };
  },
  refine: (body) => {
    const status = statusOf(body);
    const why = reasons(status);
    if (why.includes('API_KEY_INVALID') || why.includes('API_KEY_EXPIRED')) return { kind: 'auth' };
    if (status.status === 'FAILED_PRECONDITION') return { kind: 'permission' };
    // A per-day quota will not clear by retrying now: another provider, or tomorrow.
    if (status.status === 'RESOURCE_EXHAUSTED' && dailyQuota(status))
      return { kind: 'quota', retryable: false, retryAfterMs: undefined };
    return undefined;
  },
  messages: [
    [
      /input token count.*exceeds|exceeds the maximum number of tokens|context (window|length)/i,
      'context_length',
    ],
  ],
  statuslessCodes: KIND_BY_RPC_STATUS,
});

/** Whether a parsed wire value is an error object rather than a response chunk. */
export function isGeminiErrorBody(data: unknown): boolean {
  return errorBodySchema.safeParse(data).success;
}
