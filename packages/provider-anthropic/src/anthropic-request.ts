import {
  type CallSettingsRules,
  type CallWarning,
  type ChatRequest,
  checkCallSettings,
  type ToolChoice,
} from '@llmo/core/provider';
import { toAnthropicPrompt } from './anthropic-messages.js';

/** The `anthropic-version` header the official SDK sends on every request. */
export const ANTHROPIC_VERSION = '2023-06-01';

/**
 * Most output tokens each model family may generate (docs "Models overview"), longest prefix first. An id
 * not matched here (a newer model) gets `FALLBACK_MAX_TOKENS`: pass `maxTokens` or `defaultMaxTokens` to use
 * more.
 */
const MAX_OUTPUT_TOKENS: [prefix: string, maxTokens: number][] = [
  ['claude-opus-4-5', 64_000],
  ['claude-opus-4-1', 32_000],
  ['claude-opus-4', 32_000],
  ['claude-sonnet-4', 64_000],
  ['claude-haiku-4', 64_000],
  ['claude-3-7-sonnet', 64_000],
  ['claude-3-5', 8_192],
  ['claude-3-', 4_096],
];
export const FALLBACK_MAX_TOKENS = 4_096;
/**
 * The largest default for a non-streaming call: the official SDK refuses non-streaming calls it expects to
 * run past 10 minutes (60 min × max_tokens / 128,000), i.e. above 21,333 tokens.
 */
export const NON_STREAMING_MAX_TOKENS = 21_333;

/**
 * `max_tokens` when the request does not set it (the API requires it, pitfall 1): the model's output limit,
 * capped at `NON_STREAMING_MAX_TOKENS` for `generate`.
 */
export function defaultMaxTokens(model: string, stream: boolean): number {
  const limit = MAX_OUTPUT_TOKENS.find(([prefix]) => model.startsWith(prefix))?.[1] ?? FALLBACK_MAX_TOKENS;
  return stream ? limit : Math.min(limit, NON_STREAMING_MAX_TOKENS);
}

export interface AnthropicRequestOptions {
  provider: string;
  model: string;
  /** The `defaultMaxTokens` setting, used instead of the per-model default. */
  defaultMaxTokens: number | undefined;
}

/** Ranges from the Messages API reference (temperature 0–1, top_p 0–1), and the fields the provider owns. */
export const ANTHROPIC_CALL_RULES = {
  api: 'Anthropic',
  temperature: [0, 1],
  topP: [0, 1],
  providerOptionsKey: 'anthropic',
  ownedOptions: {
    model: 'the model setting of createAnthropic (one provider per model)',
    messages: 'request.messages',
    system: 'a system message in request.messages',
    stream: 'provider.stream() (or generate() for one answer)',
    max_tokens: 'request.maxTokens (or the defaultMaxTokens setting)',
    temperature: 'request.temperature',
    top_p: 'request.topP',
    stop_sequences: 'request.stop',
    tools: 'request.tools',
    tool_choice: 'request.toolChoice',
  },
} as const satisfies Omit<CallSettingsRules, 'provider'>;

function toolChoice(choice: ToolChoice | undefined): Record<string, unknown> | undefined {
  if (choice === undefined) return undefined;
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any' };
  return { type: 'tool', name: choice.name };
}

/**
 * The Messages API body for a request and the warnings for settings it cannot honour (`seed`,
 * `responseFormat`). Throws a `bad_request` `ProviderError` for out-of-range values and provider options
 * that collide with owned fields. Sampling parameters are sent only when the request sets them (newer
 * models reject any but the defaults: pitfall 4).
 */
export function buildAnthropicRequest(
  request: ChatRequest,
  options: AnthropicRequestOptions,
  stream: boolean,
): { body: Record<string, unknown>; warnings: CallWarning[] } {
  checkCallSettings(request, { provider: options.provider, ...ANTHROPIC_CALL_RULES });
  const warnings: CallWarning[] = [];
  if (request.seed !== undefined)
    warnings.push({ type: 'unsupported-setting', setting: 'seed', details: 'the Messages API has no seed' });
  if (request.responseFormat && request.responseFormat.type !== 'text')
    warnings.push({
      type: 'unsupported-setting',
      setting: 'responseFormat',
      details:
        'the Messages API has no JSON mode; ask for JSON in the prompt, or force a tool call whose input_schema is the schema',
    });
  const { system, messages } = toAnthropicPrompt(request.messages, options.provider);
  const body: Record<string, unknown> = {
    model: options.model,
    max_tokens: request.maxTokens ?? options.defaultMaxTokens ?? defaultMaxTokens(options.model, stream),
    system,
    messages,
    temperature: request.temperature,
    top_p: request.topP,
    stop_sequences: request.stop?.length ? request.stop : undefined,
    tools: request.tools?.map((tool) => ({
      name: tool.name,
      description: tool.description,
      input_schema: tool.parameters,
    })),
    tool_choice: request.tools?.length ? toolChoice(request.toolChoice) : undefined,
    // Escape hatch for what the contract does not name: top_k, metadata, thinking, service_tier…
    ...request.providerOptions?.anthropic,
  };
  if (stream) body.stream = true;
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return { body, warnings };
}
