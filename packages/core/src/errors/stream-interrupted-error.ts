import type { Attempt } from './attempt.js';
import type { ErrorKind } from './error-kind.js';
import { LlmoError } from './llmo-error.js';

const marker = 'llmo.error.StreamInterruptedError';
const symbol = Symbol.for(marker);

/**
 * A stream failed after its first chunk. The router does not fall back then (chunks of two providers are
 * never mixed); `textSoFar` holds what the caller already received.
 */
export class StreamInterruptedError extends LlmoError {
  protected readonly [symbol] = true;
  readonly provider: string;
  readonly textSoFar: string;
  readonly kind: ErrorKind | undefined;
  readonly attempts: Attempt[];

  constructor(options: {
    provider: string;
    textSoFar: string;
    kind?: ErrorKind;
    attempts: Attempt[];
    cause: unknown;
  }) {
    super({
      name: 'StreamInterruptedError',
      message: `Stream from provider "${options.provider}" failed after ${options.textSoFar.length} characters (${options.kind ?? 'unknown error'}); no fallback after the first chunk.`,
      cause: options.cause,
    });
    this.provider = options.provider;
    this.textSoFar = options.textSoFar;
    this.kind = options.kind;
    this.attempts = options.attempts;
  }

  static override isInstance(error: unknown): error is StreamInterruptedError {
    return LlmoError.hasMarker(error, marker);
  }
}
