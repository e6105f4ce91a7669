const marker = Symbol.for('llmo.error.RetrievalError');

export type RetrievalErrorCode =
  | 'invalid_argument'
  | 'queue_full'
  | 'aborted'
  | 'closed'
  | 'worker_crashed'
  | 'worker_start_timeout'
  | 'binding_unavailable'
  | 'not_found'
  | 'io';

/** Every error @llmo/retrieval throws; `code` says what happened and the message says how to fix it. */
export class RetrievalError extends Error {
  protected readonly [marker] = true;
  readonly code: RetrievalErrorCode;

  constructor(code: RetrievalErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetrievalError';
    this.code = code;
  }

  /** Works across package copies (a `Symbol.for` marker, not `instanceof`). */
  static isInstance(error: unknown): error is RetrievalError {
    return error != null && typeof error === 'object' && (error as Record<symbol, unknown>)[marker] === true;
  }
}
