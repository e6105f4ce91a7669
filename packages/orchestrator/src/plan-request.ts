import type { ChatMessage, ResponseFormat } from '@llmo/core';
import { checkInput } from './check-input.js';
import { OrchestratorError } from './errors/orchestrator-error.js';
import { throwIfAborted } from './errors/throw-if-aborted.js';
import type { RequestProgress } from './metrics/describe-request.js';
import type {
  OrchestratorOptions,
  OrchestratorRouter,
  ProcessRequest,
  ProcessResult,
} from './orchestrator-options.js';
import { preparePrompt } from './prepare-prompt.js';
import { processRequestSchema } from './process-request-schema.js';
import { type CompiledSchema, compileSchema, type OutputSchema } from './response/output-schema.js';
import { type ModelSelection, selectModels } from './tasks/select-models.js';
import type { OutputFormat, TaskConfig } from './tasks/task-config.js';
import type { TaskRegistry } from './tasks/task-registry.js';
import type { TemplateRegistry } from './templates/template-registry.js';
import type { TokenCount, TokenCounter } from './tokens/token-counter.js';

/** The fields every result of a request shares, however it was answered (asked, cached or coalesced). */
export type PlannedFields = Pick<
  ProcessResult,
  'requestId' | 'taskType' | 'template' | 'format' | 'promptTokens' | 'context' | 'selection' | 'warnings'
>;

/** Everything decided about a request before it is asked or looked up in the cache. */
export interface RequestPlan {
  taskType: string;
  task: TaskConfig;
  format: OutputFormat;
  /** The prompt as it will be sent (first ask). */
  messages: ChatMessage[];
  template?: { id: string; version: string };
  /** Counted with the tokenizer of the model the router tries first. */
  promptTokens: TokenCount;
  /** The selection made knowing the prompt's size. */
  selection: ModelSelection;
  schema: CompiledSchema | undefined;
  responseFormat: ResponseFormat | undefined;
  base: PlannedFields;
}

export interface PlanRequestInput {
  request: ProcessRequest<OutputSchema | undefined>;
  requestId: string;
  tasks: TaskRegistry;
  templates: TemplateRegistry;
  tokenCounter: TokenCounter;
  router: OrchestratorRouter;
  /** Read for `defaultModel` at each selection. */
  options: Pick<OrchestratorOptions, 'defaultModel'>;
  /** Filled in as the plan goes (the template, whether the default model was used) for a failure's event. */
  progress: RequestProgress;
  /** Prints a warning once per distinct message. */
  warnOnce: (message: string) => void;
}

/**
 * Checks a request and plans it: selects the models, renders the template and fits history and context into
 * the task's budget, selects again knowing the prompt's size, and compiles the schema into a response format.
 */
export async function planRequest(input: PlanRequestInput): Promise<RequestPlan> {
  const { request, router, tokenCounter, progress } = input;
  // Checked, not parsed: the request is used as given (context items keep the caller's own fields).
  checkInput(processRequestSchema(), request, 'process');
  throwIfAborted(request.signal);
  const { taskType } = request;
  const task = input.tasks.get(taskType);
  const format: OutputFormat =
    request.outputFormat ?? (request.schema ? 'json' : (task.outputFormat ?? 'text'));
  if (request.schema && format !== 'json')
    throw new OrchestratorError({
      code: 'invalid-options',
      message: `process: a schema validates JSON answers; outputFormat is "${format}" (use "json" or drop the schema)`,
    });
  const warnings: string[] = [];
  const defaultModel = (): { defaultModel?: string } =>
    input.options.defaultModel ? { defaultModel: input.options.defaultModel } : {};

  // 1. The models the task allows; the first one's tokenizer counts the prompt.
  const preliminary = selectModels(taskType, task, router, defaultModel());
  const firstModel = router.getProviders().find((p) => p.name === preliminary.candidates[0])?.model;
  const tokenizer = await tokenCounter.forModel(firstModel);

  // 2. The template, then history and context within the budget.
  const {
    messages,
    template,
    history: trimmed,
    context: pruned,
  } = preparePrompt({
    taskType,
    task,
    request,
    templates: input.templates,
    tokenizer,
  });
  if (template) progress.template = template;
  let promptTokens = await tokenCounter.countMessages(messages, firstModel);

  // 3. Routing hints, now that the prompt's size is known (context windows).
  const selection = selectModels(taskType, task, router, {
    ...defaultModel(),
    promptTokens: promptTokens.tokens,
  });
  progress.usedDefault = selection.usedDefault;
  // The first preferred model may not fit the prompt (its context window) and drop out: then the model the
  // router tries first counts it, for the result and for the router's own context-window check. The budget
  // was fitted with the first model's tokenizer; encodings differ by a few percent.
  const routedModel = router.getProviders().find((p) => p.name === selection.candidates[0])?.model;
  if (routedModel !== firstModel) promptTokens = await tokenCounter.countMessages(messages, routedModel);
  warnings.push(...selection.warnings);
  // Routing warnings hold for every request of the task until the router changes: printed once each (every
  // result still lists them), not once per request.
  for (const warning of selection.warnings) input.warnOnce(warning);

  // 4. Format and schema.
  const schema: CompiledSchema | undefined = request.schema ? compileSchema(request.schema) : undefined;
  const responseFormat: ResponseFormat | undefined =
    format !== 'json'
      ? undefined
      : schema?.jsonSchema
        ? {
            type: 'json-schema',
            schema: schema.jsonSchema,
            name: taskType,
            strict: task.strictSchema ?? false,
          }
        : { type: 'json' };

  const base: PlannedFields = {
    requestId: input.requestId,
    taskType,
    ...(template ? { template } : {}),
    format,
    promptTokens,
    context: {
      included: pruned.included.map((s) => s.item),
      dropped: pruned.dropped.map((s) => s.item),
      historyDropped: trimmed.dropped.length,
      tokens: pruned.tokens + trimmed.tokens,
      estimated: tokenizer.estimated,
    },
    selection: {
      candidates: selection.candidates,
      removed: selection.removed,
      usedDefault: selection.usedDefault,
    },
    warnings,
  };
  return {
    taskType,
    task,
    format,
    messages,
    ...(template ? { template } : {}),
    promptTokens,
    selection,
    schema,
    responseFormat,
    base,
  };
}
