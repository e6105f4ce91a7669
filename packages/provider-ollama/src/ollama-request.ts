import type { CallWarning, ChatRequest } from '@llmo/core/provider';
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
 * The `/api/chat` body. `stream` is always sent, because the server streams when it is omitted. Settings map
 * into `options`: temperature, num_predict (maxTokens), top_p, stop, seed.
 */
export function buildOllamaRequest(
  request: ChatRequest,
  settings: OllamaRequestOptions,
  stream: boolean,
): { body: Record<string, unknown>; warnings: CallWarning[] } {
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
  const options: Record<string, unknown> = {
    ...settings.options,
    ...extraOptions,
    temperature: request.temperature,
    num_predict: request.maxTokens,
    top_p: request.topP,
    stop: request.stop,
    seed: request.seed,
  };
  for (const key of Object.keys(options)) if (options[key] === undefined) delete options[key];
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
