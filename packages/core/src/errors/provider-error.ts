import { type ErrorKind, RETRYABLE_KINDS } from './error-kind.js';
import { LlmoError } from './llmo-error.js';

const marker = 'llmo.error.ProviderError';
const symbol = Symbol.for(marker);

export interface ProviderErrorOptions {
  kind: ErrorKind;
  message: string;
  /** Provider name (the configured `name`, not the type). */
  provider?: string;
  /** HTTP status, when there was a response. */
  status?: number;
  /** Defaults to whether `kind` is transient (rate_limit, timeout, network, server, overloaded). */
  retryable?: boolean;
  /** How long the provider asked us to wait (Retry-After / retry-after-ms). */
  retryAfterMs?: number;
  requestId?: string;
  /** Provider-specific error code from the body, e.g. `insufficient_quota`. */
  code?: string;
  cause?: unknown;
}

/** A provider call failed. Thrown by providers; the router reads `kind`, `retryable` and `retryAfterMs`. */
export class ProviderError extends LlmoError {
  protected readonly [symbol] = true;
  readonly kind: ErrorKind;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly provider: string | undefined;
  readonly requestId: string | undefined;
  readonly code: string | undefined;

  constructor(options: ProviderErrorOptions) {
    super({ name: 'ProviderError', message: options.message, cause: options.cause });
    this.kind = options.kind;
    this.status = options.status;
    this.retryable = options.retryable ?? RETRYABLE_KINDS.has(options.kind);
    this.retryAfterMs = options.retryAfterMs;
    this.provider = options.provider;
    this.requestId = options.requestId;
    this.code = options.code;
  }

  static override isInstance(error: unknown): error is ProviderError {
    return LlmoError.hasMarker(error, marker);
  }
}
