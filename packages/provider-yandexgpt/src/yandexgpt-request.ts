import {
  type CallSettingsRules,
  type CallWarning,
  type ChatRequest,
  checkCallSettings,
  type ToolChoice,
} from '@llmo/core/provider';
import { toYandexMessages } from './yandexgpt-messages.js';

/**
 * YandexGPT's documented range: `completionOptions.temperature` 0 to 1 inclusive (`maxTokens` an int64, sent
 * as a string). `topP` has no field here (a warning), but a value outside 0..1 is still a caller's mistake.
 * `providerOptions.yandexgpt` adds fields (`completionOptions.reasoningOptions`, `parallelToolCalls`…), never
 * replaces the ones below.
 */
export const YANDEXGPT_CALL_RULES = {
  api: 'YandexGPT',
  temperature: [0, 1],
  topP: [0, 1],
  providerOptionsKey: 'yandexgpt',
  ownedOptions: {
    modelUri: 'the model and folderId settings of createYandexGPT',
    messages: 'request.messages',
    'completionOptions.stream': 'provider.stream() (or generate() for one answer)',
    'completionOptions.temperature': 'request.temperature',
    'completionOptions.maxTokens': 'request.maxTokens',
    tools: 'request.tools',
    toolChoice: 'request.toolChoice',
    jsonObject: 'request.responseFormat ({ type: "json" })',
    jsonSchema: 'request.responseFormat ({ type: "json-schema", schema })',
  },
} as const satisfies Omit<CallSettingsRules, 'provider'>;

function toolChoice(choice: ToolChoice | undefined): unknown {
  if (choice === undefined) return undefined;
  if (typeof choice === 'object') return { functionName: choice.name };
  return { mode: choice.toUpperCase() };
}

/**
 * The `/foundationModels/v1/completion` body. `maxTokens` goes as a string (int64 in proto3 JSON). The native
 * API has only temperature and maxTokens among sampling settings: topP, stop and seed become warnings.
 */
export function buildYandexRequest(
  request: ChatRequest,
  options: { modelUri: string; provider: string },
  stream: boolean,
): { body: Record<string, unknown>; warnings: CallWarning[] } {
  checkCallSettings(request, { provider: options.provider, ...YANDEXGPT_CALL_RULES });
  const warnings: CallWarning[] = [];
  if (request.topP !== undefined) warnings.push({ type: 'unsupported-setting', setting: 'topP' });
  if (request.stop?.length) warnings.push({ type: 'unsupported-setting', setting: 'stop' });
  if (request.seed !== undefined) warnings.push({ type: 'unsupported-setting', setting: 'seed' });
  const extra = (request.providerOptions?.yandexgpt ?? {}) as {
    completionOptions?: Record<string, unknown>;
  } & Record<string, unknown>;
  const { completionOptions: extraCompletion, ...extraTop } = extra;
  const completionOptions: Record<string, unknown> = {
    stream,
    temperature: request.temperature,
    maxTokens: request.maxTokens === undefined ? undefined : String(request.maxTokens),
    ...extraCompletion,
  };
  for (const key of Object.keys(completionOptions))
    if (completionOptions[key] === undefined) delete completionOptions[key];
  const format = request.responseFormat;
  const body: Record<string, unknown> = {
    modelUri: options.modelUri,
    completionOptions,
    messages: toYandexMessages(request.messages, options.provider),
    tools: request.tools?.map((tool) => ({
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    })),
    toolChoice: request.tools?.length ? toolChoice(request.toolChoice) : undefined,
    jsonObject: format?.type === 'json' ? true : undefined,
    jsonSchema: format?.type === 'json-schema' ? { schema: format.schema } : undefined,
    ...extraTop,
  };
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return { body, warnings };
}
