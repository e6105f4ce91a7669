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
  | 'models-unavailable'
  | 'closed';

/** One bad option: where (`['retry', 'maxRetries']`) and what is wrong with it, with the fix. */
export interface RouterErrorIssue {
  path: readonly PropertyKey[];
  message: string;
  /** For an unknown key: the closest valid key, when one is close. */
  suggestion?: string;
  /** For an unknown key: the keys valid there. */
  validKeys?: readonly string[];
}

/** Misuse of the router: bad options, duplicate names, no providers, a closed router, a failing strategy. */
export class RouterError extends LlmoError {
  protected readonly [symbol] = true;
  readonly code: RouterErrorCode;
  /**
   * For `invalid-options`: each bad field on its own, so a caller that knows where the options came from (a
   * configuration file) can point at each one. The message already lists them.
   */
  readonly issues: readonly RouterErrorIssue[] | undefined;

  constructor(options: {
    code: RouterErrorCode;
    message: string;
    cause?: unknown;
    issues?: readonly RouterErrorIssue[];
  }) {
    super({ name: 'RouterError', message: options.message, cause: options.cause });
    this.code = options.code;
    this.issues = options.issues;
  }

  static override isInstance(error: unknown): error is RouterError {
    return LlmoError.hasMarker(error, marker);
  }
}
