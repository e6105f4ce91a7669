import {
  type CallSettingsRules,
  type CallWarning,
  type ChatRequest,
  checkCallSettings,
} from '@llmo/core/provider';
import { toOllamaMessages } from './ollama-messages.js';

export interface OllamaRequestOptions {
  model: string;
  provider: string;
  /** Default `keep_alive`: a duration string (`"5m"`) or a number of **seconds**. */
  keepAlive?: string | number;
  /** Extra model options (`num_ctx`, `top_k`, `repeat_penalty`…), merged under the request's own. */
  options?: Record<string, unknown>;
}

/**
 * Ollama's documented ranges: `temperature` ≥ 0 (no upper bound), `top_p` 0..1. `providerOptions.ollama` adds
 * fields (`think`, `keep_alive` for this request, `options.num_ctx`…), never replaces the ones below.
 */
export const OLLAMA_CALL_RULES = {
  api: 'Ollama',
  temperature: [0, Number.POSITIVE_INFINITY],
  topP: [0, 1],
  providerOptionsKey: 'ollama',
  ownedOptions: {
    model: 'the model setting of createOllama (one provider per model)',
    messages: 'request.messages',
    stream: 'provider.stream() (or generate() for one answer)',
    format: 'request.responseFormat',
    tools: 'request.tools',
    'options.temperature': 'request.temperature',
    'options.num_predict': 'request.maxTokens',
    'options.top_p': 'request.topP',
    'options.stop': 'request.stop',
    'options.seed': 'request.seed',
  },
} as const satisfies Omit<CallSettingsRules, 'provider'>;

/**
 * The `/api/chat` body. `stream` is always sent, because the server streams when it is omitted. Settings map
 * into `options`: temperature, num_predict (maxTokens), top_p, stop, seed.
 */
export function buildOllamaRequest(
  request: ChatRequest,
  settings: OllamaRequestOptions,
  stream: boolean,
): { body: Record<string, unknown>; warnings: CallWarning[] } {
  checkCallSettings(request, { provider: settings.provider, ...OLLAMA_CALL_RULES });
  const warnings: CallWarning[] = [];
  if (request.toolChoice !== undefined && request.toolChoice !== 'auto') {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'toolChoice',
      details: 'Ollama always chooses tools itself',
    });
  }
  const extra = (request.providerOptions?.ollama ?? {}) as Record<string, unknown>;
  const { options: extraOptions, ...extraTop } = extra as { options?: Record<string, unknown> };
  // The provider's options are defaults: a request's own value replaces one only when the request sets it.
  const fromRequest: Record<string, unknown> = {
    temperature: request.temperature,
    num_predict: request.maxTokens,
    top_p: request.topP,
    stop: request.stop,
    seed: request.seed,
  };
  for (const key of Object.keys(fromRequest)) if (fromRequest[key] === undefined) delete fromRequest[key];
  const options: Record<string, unknown> = { ...settings.options, ...extraOptions, ...fromRequest };
  const format =
    request.responseFormat?.type === 'json'
      ? 'json'
      : request.responseFormat?.type === 'json-schema'
        ? request.responseFormat.schema
        : undefined;
  const body: Record<string, unknown> = {
    model: settings.model,
    messages: toOllamaMessages(request.messages, settings.provider),
    stream,
    format,
    options: Object.keys(options).length > 0 ? options : undefined,
    keep_alive: settings.keepAlive,
    tools: request.tools?.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    })),
    ...extraTop,
  };
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return { body, warnings };
}
