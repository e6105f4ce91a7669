const baseMarker = 'llmo.error';
const baseSymbol = Symbol.for(baseMarker);

/**
 * Base of every error llmo throws. Identify errors with `X.isInstance(error)`, never `instanceof`:
 * an application can hold two copies of a package, and `Symbol.for` markers match across copies and realms.
 */
export class LlmoError extends Error {
  protected readonly [baseSymbol] = true;

  constructor(options: { name?: string; message: string; cause?: unknown }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = options.name ?? 'LlmoError';
  }

  static isInstance(error: unknown): error is LlmoError {
    return LlmoError.hasMarker(error, baseMarker);
  }

  /** True when `error` carries the `Symbol.for(marker)` property set by an llmo error class. */
  static hasMarker(error: unknown, marker: string): boolean {
    const symbol = Symbol.for(marker);
    return (
      error != null &&
      typeof error === 'object' &&
      symbol in error &&
      (error as Record<symbol, unknown>)[symbol] === true
    );
  }
}
