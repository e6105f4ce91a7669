import type { Answer } from './ask-until-valid.js';
import type { ProcessResult } from './orchestrator-options.js';
import type { PlannedFields } from './plan-request.js';

/** A result's fields that come from an answer: its value and text, who answered, what it spent, its route. */
export function fromAnswer(answer: Answer) {
  return {
    value: answer.value,
    text: answer.text,
    provider: answer.route.provider,
    model: answer.route.model,
    usage: { ...answer.usage },
    cost: { ...answer.cost },
    attempts: answer.attempts,
    validationRetries: answer.validationRetries,
    route: answer.route,
  };
}

/** The result of a request this caller asked itself: not cached (`off`) or not found in the cache (`miss`). */
export function freshResult(
  base: PlannedFields,
  answer: Answer,
  cache: 'off' | 'miss',
  latencyMs: number,
): ProcessResult {
  return {
    ...base,
    ...fromAnswer(answer),
    cache,
    cacheHit: false,
    latencyMs,
  };
}
