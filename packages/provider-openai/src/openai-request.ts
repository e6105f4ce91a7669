import type { CallWarning, ChatRequest, ResponseFormat, ToolChoice } from '@llmo/core/provider';
import { toOpenAIMessages } from './openai-messages.js';

export interface OpenAIRequestOptions {
  model: string;
  /** Which field carries maxTokens: reasoning models need `max_completion_tokens`, many compatible servers know only `max_tokens`. */
  maxTokensParameter: 'max_completion_tokens' | 'max_tokens';
  /** Ask for the usage chunk on streams (`stream_options.include_usage`). */
  includeUsage: boolean;
  /** OpenAI itself accepts at most 4 stop sequences; compatible servers may take more. */
  maxStopSequences: number | undefined;
}

const SCHEMA_NAME = /[^a-zA-Z0-9_-]/g;

function responseFormat(format: ResponseFormat | undefined): Record<string, unknown> | undefined {
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json') return { type: 'json_object' };
  return {
    type: 'json_schema',
    json_schema: {
      // Required, at most 64 characters of [a-zA-Z0-9_-].
      name: (format.name ?? 'response').replace(SCHEMA_NAME, '_').slice(0, 64),
      description: format.description,
      schema: format.schema,
      strict: format.strict ?? true,
    },
  };
}

function toolChoice(choice: ToolChoice | undefined): unknown {
  if (choice === undefined || typeof choice === 'string') return choice;
  return { type: 'function', function: { name: choice.name } };
}

/** The Chat Completions body for a request, and the warnings for settings that had to be changed. */
export function buildOpenAIRequest(
  request: ChatRequest,
  options: OpenAIRequestOptions,
  stream: boolean,
): { body: Record<string, unknown>; warnings: CallWarning[] } {
  const warnings: CallWarning[] = [];
  let stop = request.stop;
  if (stop && options.maxStopSequences !== undefined && stop.length > options.maxStopSequences) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'stop',
      details: `at most ${options.maxStopSequences} stop sequences; the first ${options.maxStopSequences} were sent`,
    });
    stop = stop.slice(0, options.maxStopSequences);
  }
  const body: Record<string, unknown> = {
    model: options.model,
    messages: toOpenAIMessages(request.messages),
    temperature: request.temperature,
    top_p: request.topP,
    [options.maxTokensParameter]: request.maxTokens,
    stop,
    seed: request.seed,
    response_format: responseFormat(request.responseFormat),
    tools: request.tools?.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    })),
    tool_choice: toolChoice(request.toolChoice),
    // Escape hatch for settings the contract does not name (logprobs, service_tier, reasoning_effort…).
    ...request.providerOptions?.openai,
  };
  if (stream) {
    body.stream = true;
    if (options.includeUsage) body.stream_options = { include_usage: true };
  }
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return { body, warnings };
}
