import { LlmoError } from './llmo-error.js';

const marker = 'llmo.error.RouterError';
const symbol = Symbol.for(marker);

export type RouterErrorCode =
  | 'invalid-options'
  | 'duplicate-provider'
  | 'unknown-provider'
  | 'no-providers'
  | 'unsupported-specification'
  | 'strategy-failed'
  | 'closed';

/** Misuse of the router: bad options, duplicate names, no providers, a closed router, a failing strategy. */
export class RouterError extends LlmoError {
  protected readonly [symbol] = true;
  readonly code: RouterErrorCode;

  constructor(options: { code: RouterErrorCode; message: string; cause?: unknown }) {
    super({ name: 'RouterError', message: options.message, cause: options.cause });
    this.code = options.code;
  }

  static override isInstance(error: unknown): error is RouterError {
    return LlmoError.hasMarker(error, marker);
  }
}
