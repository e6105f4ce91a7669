import type { ChatMessage } from '@llmo/core';
import { type PrunedContext, pruneContext } from './context/prune-context.js';
import { type TrimmedHistory, trimHistory } from './context/trim-history.js';
import { OrchestratorError } from './errors/orchestrator-error.js';
import type { ProcessRequest } from './orchestrator-options.js';
import type { TaskConfig } from './tasks/task-config.js';
import { buildMessages } from './templates/build-messages.js';
import type { TemplateRegistry } from './templates/template-registry.js';
import { PER_MESSAGE, promptTokens, type TextTokenizer } from './tokens/token-counter.js';

/** What introduces the context in the system message. */
const CONTEXT_HEADING = 'Context:';

export interface PreparedPrompt {
  messages: ChatMessage[];
  template?: { id: string; version: string };
  history: TrimmedHistory;
  context: PrunedContext;
}

/**
 * Renders the request's template (or takes `variables.input` as the prompt) and fits history and context into
 * the task's token budget: the rendered prompt first (alone over the budget is an error, not a silent cut),
 * then history up to `historyShare` of what is left, newest turns first, then context items by the task's
 * strategy in the rest.
 */
export function preparePrompt(input: {
  taskType: string;
  task: TaskConfig;
  request: Pick<ProcessRequest, 'templateId' | 'templateVersion' | 'variables' | 'history' | 'context'>;
  templates: TemplateRegistry;
  tokenizer: TextTokenizer;
}): PreparedPrompt {
  const { taskType, task, request, tokenizer } = input;
  const templateId = request.templateId ?? task.templateId;
  const variables = request.variables ?? {};
  let system: string | undefined;
  let user: string;
  let template: PreparedPrompt['template'];
  if (templateId) {
    const rendered = input.templates.render(templateId, variables, request.templateVersion);
    system = rendered.system;
    user = rendered.user;
    template = { id: rendered.id, version: rendered.version };
  } else if (typeof variables.input === 'string') user = variables.input;
  else
    throw new OrchestratorError({
      code: 'invalid-options',
      message: `task "${taskType}" has no templateId and the request names none; pass templateId, or variables.input as the prompt`,
    });

  const budget = task.tokenBudget ?? Number.POSITIVE_INFINITY;
  const fixed = buildMessages({ ...(system !== undefined ? { system } : {}), user });
  const count = (text: string) => tokenizer.count(text);
  const fixedTokens = promptTokens(fixed, count);
  if (fixedTokens > budget)
    throw new OrchestratorError({
      code: 'context-too-large',
      message: `task "${taskType}": the rendered prompt alone takes ${fixedTokens} tokens${tokenizer.estimated ? ' (estimated)' : ''}, over the task's tokenBudget of ${budget}; shorten the variables or raise tokenBudget`,
    });
  const left = budget - fixedTokens;
  const historyMessages = request.history ?? [];
  const historyBudget =
    historyMessages.length === 0
      ? 0
      : Number.isFinite(left)
        ? Math.floor(left * (task.historyShare ?? 0.5))
        : left;
  const history = trimHistory(historyMessages, historyBudget, tokenizer);
  // The context's framing is charged too: its heading, the blank line joining it to the system text (or, with
  // no system text at all, the framing of the system message it becomes), and a blank line per item.
  const hasSystem = system !== undefined || history.messages.some((m) => m.role === 'system');
  const separator = count('\n\n');
  const contextFraming = count(`${CONTEXT_HEADING}\n`) + (hasSystem ? separator : PER_MESSAGE);
  const context = pruneContext(request.context ?? [], {
    budget: left - history.tokens - contextFraming,
    tokenizer,
    perItemTokens: separator,
    ...(task.contextStrategy ? { strategy: task.contextStrategy } : {}),
    ...(task.contextWeights ? { weights: task.contextWeights } : {}),
  });
  const compose = () =>
    buildMessages({
      ...(system !== undefined ? { system } : {}),
      context: context.included.map((s) => s.item.content),
      history: history.messages,
      user,
      contextHeading: CONTEXT_HEADING,
    });
  let messages = compose();
  // Pieces counted apart can tokenize a little differently once joined: the whole prompt is counted, and
  // while it is over the budget the least ranked context items go (bounded: at most every included item).
  for (
    let guard = Number.isFinite(budget) ? context.included.length : 0;
    guard > 0 && promptTokens(messages, count) > budget;
    guard--
  ) {
    const last = context.included.pop() as (typeof context.included)[number];
    context.dropped.unshift(last);
    context.tokens -= last.tokens + separator;
    messages = compose();
  }
  if (context.included.length === 0) context.tokens = 0;
  return { messages, ...(template ? { template } : {}), history, context };
}
