import { type Answer, askUntilValid } from './ask-until-valid.js';
import type { OrchestratorRouter, ProcessRequest } from './orchestrator-options.js';
import type { RequestPlan } from './plan-request.js';
import type { OutputSchema } from './response/output-schema.js';
import type { ResponseValidator } from './response/process-response.js';

const DEFAULT_RETRIES = 2;

export interface AskPlanInput {
  router: OrchestratorRouter;
  plan: RequestPlan;
  request: ProcessRequest<OutputSchema | undefined>;
  validators: readonly ResponseValidator[];
}

/**
 * Asks the router for a planned request (with the task's hints, sampling settings and validation retries) under
 * `signal`. The route options are built at each call, from the request and task as they are then.
 */
export function askPlan(input: AskPlanInput, signal: AbortSignal | undefined): Promise<Answer> {
  const { plan, request } = input;
  const { task, selection, promptTokens } = plan;
  return askUntilValid({
    router: input.router,
    taskType: plan.taskType,
    messages: plan.messages,
    format: plan.format,
    schema: plan.schema,
    responseFormat: plan.responseFormat,
    validators: input.validators,
    signal,
    routeOptions: {
      ...request.routeOptions,
      ...selection.hints,
      // A count from a real tokenizer lets the router itself skip a provider whose context window the
      // prompt cannot fit (and estimate maxCost from it); not with the default model, which is used anyway.
      ...(!promptTokens.estimated && !selection.usedDefault ? { promptTokens: promptTokens.tokens } : {}),
      ...(task.temperature !== undefined ? { temperature: task.temperature } : {}),
      ...(task.maxTokens !== undefined ? { maxTokens: task.maxTokens } : {}),
    },
    maxRetries: task.maxValidationRetries ?? DEFAULT_RETRIES,
    ...(task.codeLanguage ? { codeLanguage: task.codeLanguage } : {}),
  });
}
