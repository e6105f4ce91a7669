import type { ErrorKind } from '../errors/error-kind.js';
import { ProviderError } from '../errors/provider-error.js';
import { type ErrorInfo, extractErrorInfo } from './create-error-from-response.js';
import type { SafeParser } from './read-json-response.js';
import { statusToErrorKind } from './status-to-error-kind.js';

/** What a provider's error body says, once read through its schema. */
export interface ErrorDetails {
  code?: string;
  message?: string;
  /** A status carried in the body: the only hint an error inside a 200 has (Yandex `httpCode`, GigaChat `status`). */
  status?: number;
  /** A retry delay carried in the body (Google's `RetryInfo`): more precise than a header, so it wins. */
  retryAfterMs?: number;
  requestId?: string;
}

/** A refinement of the status's default: what `classify` returns to `createErrorFromResponse`. */
export interface ErrorClassification {
  kind?: ErrorKind;
  /** Overrides the kind's default (`RETRYABLE_KINDS`). */
  retryable?: boolean;
  retryAfterMs?: number;
  /** The error's `code` (the body's, read through the schema). */
  code?: string;
}

/**
 * One provider's error mapping, as data: the shape of its error body and what its codes, statuses and
 * messages mean. `createErrorMapper` turns it into the HTTP `classify` hook and the mapper of errors that
 * arrive inside a 200 (stream events, error bodies), so both read the body the same way.
 */
export interface ErrorMapperSpec<Body> {
  /**
   * The provider's error body. A body that does not match (a proxy's HTML page, another shape) is read
   * generically (`extractErrorInfo`), and the status decides.
   */
  schema?: SafeParser<Body>;
  /** The code, message (and status, retry delay, request id) in a body that matched `schema`. */
  read?: (body: Body) => ErrorDetails;
  /** Wire codes that say more than the status, e.g. `{ insufficient_quota: { kind: 'quota', retryable: false } }`. */
  codes?: Readonly<Record<string, ErrorKind | ErrorClassification>>;
  /**
   * Message patterns, tried before the codes: providers report specific conditions (a context overflow) under
   * a generic code (`invalid_request_error`, a bare 400), and only the text tells them apart.
   */
  messages?: ReadonlyArray<readonly [RegExp, ErrorKind]>;
  /**
   * Generic codes that only stand in for a status (`api_error`, `invalid_request_error`): used for an error
   * inside a 200, which has no status, never over a real HTTP status (a 503 `api_error` stays `overloaded`).
   */
  statuslessCodes?: Readonly<Record<string, ErrorKind>>;
  /** Statuses this provider uses differently from HTTP's usual meaning (GigaChat's token endpoint: 400 → `auth`). */
  statuses?: Readonly<Record<number, ErrorKind | ErrorClassification>>;
  /**
   * A rule the tables cannot say, tried first on a body that matched `schema` (Gemini: a per-day quota in
   * `QuotaFailure` is `quota`, not retryable, whatever the status). Return undefined to go on to the tables.
   */
  refine?: (body: Body, details: ErrorDetails) => ErrorClassification | undefined;
  /** Obey `x-should-retry: true|false` over the kind's default, as the OpenAI and Anthropic SDKs do. */
  shouldRetryHeader?: boolean;
  /** The kind of an error inside a 200 that carries no status and no known code or message. Default `server`. */
  inBodyKind?: ErrorKind;
}

export interface ErrorMapper {
  /** The `classify` hook for `createHttpClient` / `callApi` (non-2xx responses). */
  classify(info: ErrorInfo): ErrorClassification | undefined;
  /** Code, message, status, retry delay and request id of an error body, through the schema when it matches. */
  details(body: unknown): ErrorDetails;
  /** An error delivered inside a 200 (a stream event, an `{"error": …}` body) as a typed `ProviderError`. */
  inBody(
    body: unknown,
    context: { provider: string; requestId?: string; where?: 'stream' | 'response' },
  ): ProviderError;
}

function asClassification(
  rule: ErrorKind | ErrorClassification | undefined,
): ErrorClassification | undefined {
  return typeof rule === 'string' ? { kind: rule } : rule;
}

/** Builds a provider's error mapper (its `-errors.ts` holds the spec). */
export function createErrorMapper<Body>(spec: ErrorMapperSpec<Body>): ErrorMapper {
  /** The details, and the parsed body when it matched the schema (for `refine`). */
  const read = (body: unknown): { d: ErrorDetails; parsed?: { data: Body } } => {
    if (spec.schema && spec.read) {
      const parsed = spec.schema.safeParse(body);
      if (parsed.success) return { d: spec.read(parsed.data), parsed };
    }
    return { d: extractErrorInfo(body) };
  };

  const rulesFor = (
    d: ErrorDetails,
    status: number | undefined,
    parsed: { data: Body } | undefined,
  ): ErrorClassification | undefined => {
    const refined = parsed && spec.refine?.(parsed.data, d);
    if (refined) return refined;
    for (const [pattern, kind] of spec.messages ?? [])
      if (d.message && pattern.test(d.message)) return { kind };
    const byCode = d.code === undefined ? undefined : asClassification(spec.codes?.[d.code]);
    if (byCode) return byCode;
    return status === undefined ? undefined : asClassification(spec.statuses?.[status]);
  };

  // A rule may drop the body's delay (a per-day quota will not clear in the seconds the body says).
  const delay = (rule: ErrorClassification | undefined, d: ErrorDetails) =>
    rule && 'retryAfterMs' in rule ? rule.retryAfterMs : d.retryAfterMs;

  return {
    details: (body) => read(body).d,
    classify(info) {
      const { d, parsed } = read(info.body);
      const rule = rulesFor(
        { ...d, code: d.code ?? info.code, message: d.message ?? info.message },
        info.status,
        parsed,
      );
      let retryable = rule?.retryable;
      if (retryable === undefined && spec.shouldRetryHeader) {
        const header = info.headers.get('x-should-retry');
        retryable = header === 'true' ? true : header === 'false' ? false : undefined;
      }
      const retryAfterMs = delay(rule, d);
      if (!rule?.kind && retryable === undefined && retryAfterMs === undefined && d.code === undefined)
        return undefined;
      return { kind: rule?.kind, retryable, retryAfterMs, code: d.code };
    },
    inBody(body, context) {
      const { d, parsed } = read(body);
      const rule = rulesFor(d, d.status, parsed);
      const kind =
        rule?.kind ??
        (d.status !== undefined
          ? statusToErrorKind(d.status)
          : ((d.code === undefined ? undefined : spec.statuslessCodes?.[d.code]) ??
            spec.inBodyKind ??
            'server'));
      const { provider } = context;
      return new ProviderError({
        kind,
        provider,
        status: d.status,
        code: d.code,
        requestId: context.requestId ?? d.requestId,
        retryable: rule?.retryable,
        retryAfterMs: delay(rule, d),
        message: `${provider}: error inside the ${context.where ?? 'stream'}${d.code ? ` (${d.code})` : ''}: ${
          d.message ?? 'unknown error'
        }`,
      });
    },
  };
}
