import { LlmoError } from '@llmo/core';

const marker = 'llmo.error.ResponseValidationError';
const symbol = Symbol.for(marker);

/** One problem with an answer: where in the value (empty for the whole answer) and what is wrong. */
export interface ValidationIssue {
  path: readonly (string | number)[];
  message: string;
}

/** One answer that did not parse or validate: its raw text, the provider that wrote it, and why. */
export interface ResponseAttempt {
  /** The answer as the model wrote it. */
  raw: string;
  provider: string;
  model: string;
  /** `parse`: no value of the format could be read; `validate`: the value broke the schema or a validator. */
  stage: 'parse' | 'validate';
  issues: ValidationIssue[];
}

/**
 * Every answer failed to parse or validate, after the bounded number of asks. Holds each answer's raw text
 * and issues, in order, so the caller can log, show or repair them.
 */
export class ResponseValidationError extends LlmoError {
  protected readonly [symbol] = true;
  readonly attempts: readonly ResponseAttempt[];
  readonly taskType: string;
  readonly requestId: string;
  /** Tokens of every ask, summed: the answers were paid for even though none passed. */
  readonly usage: { promptTokens: number; completionTokens: number; totalTokens: number; estimated: boolean };
  /** Cost of every ask, summed (undefined when no ask got an answer). */
  readonly cost: { amount: number; currency: string; known: boolean } | undefined;

  constructor(options: {
    taskType: string;
    requestId: string;
    attempts: readonly ResponseAttempt[];
    usage?: ResponseValidationError['usage'];
    cost?: { amount: number; currency: string; known: boolean };
  }) {
    const last = options.attempts.at(-1);
    const summary = last ? last.issues.map(formatIssue).join('; ') : 'no answer';
    super({
      name: 'ResponseValidationError',
      message: `task "${options.taskType}": ${options.attempts.length} answer(s) failed to parse or validate (request ${options.requestId}); last: ${summary}`,
    });
    this.attempts = options.attempts;
    this.taskType = options.taskType;
    this.requestId = options.requestId;
    this.usage = options.usage ?? { promptTokens: 0, completionTokens: 0, totalTokens: 0, estimated: false };
    this.cost = options.cost;
  }

  static override isInstance(error: unknown): error is ResponseValidationError {
    return LlmoError.hasMarker(error, marker);
  }
}

/** `items.0.name: expected string` or the bare message for the whole value. */
export function formatIssue(issue: ValidationIssue): string {
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}
