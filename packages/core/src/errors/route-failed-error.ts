import { type Attempt, formatAttempts } from './attempt.js';
import type { ErrorKind } from './error-kind.js';
import { LlmoError } from './llmo-error.js';

const marker = 'llmo.error.RouteFailedError';
const symbol = Symbol.for(marker);

/** Why a routed request ended without an answer. */
export type RouteFailureReason =
  /** Every provider in the order failed (after retries). */
  | 'all-failed'
  /** A caller error (bad_request, context_length with no larger model left) stopped the request at once. */
  | 'caller-error'
  /** The caller's AbortSignal fired. */
  | 'cancelled'
  /** The overall deadline passed. */
  | 'deadline'
  /** No provider matched the request's hints (excluded, capabilities, max cost) or none is registered. */
  | 'no-candidates';

const REASON_TEXT: Record<RouteFailureReason, string> = {
  'all-failed': 'All providers failed',
  'caller-error': 'The request was rejected and not retried elsewhere',
  cancelled: 'The request was cancelled',
  deadline: 'The request deadline passed',
  'no-candidates': 'No provider can take this request',
};

/**
 * A routed request failed. `attempts` lists every try (provider, outcome, error kind, latency);
 * `lastError` is the final attempt's error; `kind` its kind.
 */
export class RouteFailedError extends LlmoError {
  protected readonly [symbol] = true;
  readonly reason: RouteFailureReason;
  readonly attempts: Attempt[];
  readonly lastError: unknown;
  readonly kind: ErrorKind | undefined;

  constructor(options: {
    reason: RouteFailureReason;
    attempts: Attempt[];
    lastError?: unknown;
    kind?: ErrorKind;
    detail?: string;
  }) {
    const summary = options.attempts.length > 0 ? formatAttempts(options.attempts) : 'no provider was tried';
    const detail = options.detail ? ` (${options.detail})` : '';
    super({
      name: 'RouteFailedError',
      message: `${REASON_TEXT[options.reason]}${detail}: ${summary}`,
      cause: options.lastError,
    });
    this.reason = options.reason;
    this.attempts = options.attempts;
    this.lastError = options.lastError;
    this.kind = options.kind;
  }

  static override isInstance(error: unknown): error is RouteFailedError {
    return LlmoError.hasMarker(error, marker);
  }
}
