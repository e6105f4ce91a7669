import { LlmoError } from '@llmo/core';

const marker = 'llmo.error.OrchestratorError';
const symbol = Symbol.for(marker);

export type OrchestratorErrorCode =
  | 'invalid-options'
  | 'unknown-task'
  | 'unknown-template'
  | 'duplicate-template'
  | 'duplicate-task'
  | 'missing-variables'
  | 'undefined-variable'
  | 'template-syntax'
  | 'context-too-large'
  | 'no-model'
  | 'cancelled';

/**
 * Misuse of the orchestrator or of its inputs: bad options, an unknown task or template, variables missing for
 * a template. `code` says which; the message names every offending field and the fix.
 */
export class OrchestratorError extends LlmoError {
  protected readonly [symbol] = true;
  readonly code: OrchestratorErrorCode;
  /** For `missing-variables`: every missing name. For `unknown-task` / `unknown-template`: the known ones. */
  readonly names: readonly string[];

  constructor(options: {
    code: OrchestratorErrorCode;
    message: string;
    names?: readonly string[];
    cause?: unknown;
  }) {
    super({ name: 'OrchestratorError', message: options.message, cause: options.cause });
    this.code = options.code;
    this.names = options.names ?? [];
  }

  static override isInstance(error: unknown): error is OrchestratorError {
    return LlmoError.hasMarker(error, marker);
  }
}
