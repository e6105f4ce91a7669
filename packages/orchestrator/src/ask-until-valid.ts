import type { ChatMessage, ResponseFormat, RouteOptions, RouteResult } from '@llmo/core';
import { type ResponseAttempt, ResponseValidationError } from './errors/response-validation-error.js';
import { throwIfAborted } from './errors/throw-if-aborted.js';
import type { OrchestratorRouter } from './orchestrator-options.js';
import { feedbackMessage } from './response/feedback-message.js';
import type { CompiledSchema } from './response/output-schema.js';
import { processResponse, type ResponseValidator } from './response/process-response.js';
import type { OutputFormat } from './tasks/task-config.js';

/** What one ask-and-check loop produced: shared by every caller of a coalesced request. */
export interface Answer {
  value: unknown;
  text: string;
  /** The last ask's route result. */
  route: RouteResult;
  /** Summed over every ask. */
  usage: { promptTokens: number; completionTokens: number; totalTokens: number; estimated: boolean };
  cost: { amount: number; currency: string; known: boolean };
  attempts: RouteResult['attempts'];
  validationRetries: number;
}

export interface AskInput {
  router: OrchestratorRouter;
  taskType: string;
  messages: readonly ChatMessage[];
  format: OutputFormat;
  schema: CompiledSchema | undefined;
  responseFormat: ResponseFormat | undefined;
  validators: readonly ResponseValidator[];
  signal: AbortSignal | undefined;
  routeOptions: RouteOptions;
  maxRetries: number;
  codeLanguage?: string;
}

/**
 * Routes, checks the answer, and when it does not parse or validate asks again with the answer and its
 * problems appended to the conversation, at most `maxRetries` more times; then a ResponseValidationError
 * holding every answer. Usage, cost and attempts are summed over the asks: the caller paid for all of them.
 */
export async function askUntilValid(input: AskInput): Promise<Answer> {
  const failures: ResponseAttempt[] = [];
  const attempts: RouteResult['attempts'] = [];
  const usage = { promptTokens: 0, completionTokens: 0, totalTokens: 0, estimated: false };
  let cost: Answer['cost'] | undefined;
  let messages = input.messages;
  let requestId = '';
  for (let ask = 0; ask <= input.maxRetries; ask++) {
    let route: RouteResult;
    try {
      throwIfAborted(input.signal);
      route = await input.router.route(messages, {
        ...input.routeOptions,
        ...(input.responseFormat ? { responseFormat: input.responseFormat } : {}),
        ...(input.signal ? { signal: input.signal } : {}),
      });
    } catch (error) {
      // A re-ask that fails (the provider down, an abort) loses nothing of what the earlier asks spent.
      if (cost) noteSpend(error, { usage, cost, asks: ask + 1 });
      throw error;
    }
    requestId = route.requestId;
    attempts.push(...route.attempts);
    usage.promptTokens += route.usage.promptTokens;
    usage.completionTokens += route.usage.completionTokens;
    usage.totalTokens += route.usage.totalTokens;
    usage.estimated ||= route.usage.estimated;
    cost = addCost(cost, route.cost);
    const processed = await processResponse(route.text, {
      format: input.format,
      ...(input.schema ? { schema: input.schema } : {}),
      validators: input.validators,
      taskType: input.taskType,
      ...(input.codeLanguage ? { codeLanguage: input.codeLanguage } : {}),
    });
    if (processed.ok)
      return {
        value: processed.value,
        text: route.text,
        route,
        usage,
        cost,
        attempts,
        validationRetries: ask,
      };
    failures.push({
      raw: route.text,
      provider: route.provider,
      model: route.model,
      stage: processed.stage,
      issues: processed.issues,
    });
    messages = [
      ...messages,
      { role: 'assistant', content: route.text },
      { role: 'user', content: feedbackMessage(input.format, processed.stage, processed.issues) },
    ];
  }
  throw new ResponseValidationError({
    taskType: input.taskType,
    requestId,
    attempts: failures,
    usage,
    ...(cost ? { cost } : {}),
  });
}

/** What a request spent before it failed: summed usage and cost, and how many asks it made. */
export interface Spend {
  usage: Answer['usage'];
  cost: Answer['cost'];
  asks: number;
}

// Errors the router threw on a re-ask, with what the earlier asks spent: kept beside the error (not on it,
// and not by wrapping it, so a RouteFailedError stays one) for the request's metrics and log line.
const spent = new WeakMap<object, Spend>();

function noteSpend(error: unknown, spend: Spend): void {
  if (typeof error === 'object' && error !== null) spent.set(error, spend);
}

/** What the request spent before `error`: a ResponseValidationError's own sums, or a failed re-ask's. */
export function spendBefore(error: unknown): Spend | undefined {
  if (ResponseValidationError.isInstance(error) && error.cost)
    return { usage: error.usage, cost: error.cost, asks: error.attempts.length };
  return typeof error === 'object' && error !== null ? spent.get(error) : undefined;
}

function addCost(total: Answer['cost'] | undefined, next: RouteResult['cost']): Answer['cost'] {
  if (!total) return { ...next };
  // Asks may land on providers priced in different currencies; the sum is kept in the first one's currency
  // only when they agree, else it is marked unknown rather than adding roubles to dollars.
  if (total.currency !== next.currency)
    return { amount: total.amount, currency: total.currency, known: false };
  return {
    amount: Math.round((total.amount + next.amount) * 1e10) / 1e10,
    currency: total.currency,
    known: total.known && next.known,
  };
}
