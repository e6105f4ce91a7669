import {
  type CallSettingsRules,
  type CallWarning,
  type ChatRequest,
  checkCallSettings,
  type ResponseFormat,
  type ToolChoice,
} from '@llmo/core/provider';
import { toOpenAIMessages } from './openai-messages.js';

export interface OpenAIRequestOptions {
  /** The provider's name, for errors. */
  provider: string;
  model: string;
  /** Which field carries maxTokens: reasoning models need `max_completion_tokens`, many compatible servers know only `max_tokens`. */
  maxTokensParameter: 'max_completion_tokens' | 'max_tokens';
  /** Ask for the usage chunk on streams (`stream_options.include_usage`). */
  includeUsage: boolean;
  /** OpenAI itself accepts at most 4 stop sequences; compatible servers may take more. */
  maxStopSequences: number | undefined;
}

/**
 * Ranges from the Chat Completions reference (temperature 0–2, top_p 0–1), and the body fields the provider
 * writes itself: `providerOptions.openai` may add fields (logprobs, service_tier, reasoning_effort…), never
 * replace these.
 */
export const OPENAI_CALL_RULES = {
  api: 'OpenAI',
  temperature: [0, 2],
  topP: [0, 1],
  providerOptionsKey: 'openai',
  ownedOptions: {
    model: 'the model setting of createOpenAI (one provider per model)',
    messages: 'request.messages',
    stream: 'provider.stream() (or generate() for one answer)',
    'stream_options.include_usage': 'the includeUsage setting of createOpenAI',
    temperature: 'request.temperature',
    top_p: 'request.topP',
    max_tokens: 'request.maxTokens (and the maxTokensParameter setting)',
    max_completion_tokens: 'request.maxTokens (and the maxTokensParameter setting)',
    stop: 'request.stop',
    seed: 'request.seed',
    response_format: 'request.responseFormat',
    tools: 'request.tools',
    tool_choice: 'request.toolChoice',
  },
} as const satisfies Omit<CallSettingsRules, 'provider'>;

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

/**
 * The Chat Completions body for a request, and the warnings for settings that had to be changed. Throws a
 * `bad_request` `ProviderError` for out-of-range values and provider options that collide with owned fields.
 */
export function buildOpenAIRequest(
  request: ChatRequest,
  options: OpenAIRequestOptions,
  stream: boolean,
): { body: Record<string, unknown>; warnings: CallWarning[] } {
  checkCallSettings(request, { provider: options.provider, ...OPENAI_CALL_RULES });
  const extra = request.providerOptions?.openai;
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
    ...extra,
  };
  if (stream) {
    body.stream = true;
    // stream_options.include_obfuscation and the like pass through; include_usage is the setting's.
    const streamOptions = {
      ...(extra?.stream_options as Record<string, unknown> | undefined),
      ...(options.includeUsage ? { include_usage: true } : {}),
    };
    body.stream_options = Object.keys(streamOptions).length > 0 ? streamOptions : undefined;
  } else {
    // Only valid with stream: true; OpenAI answers 400 to it on a plain call.
    delete body.stream_options;
  }
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return { body, warnings };
}
