import {
  type CallSettingsRules,
  type CallWarning,
  type ChatRequest,
  checkCallSettings,
} from '@llmo/core/provider';
import { toGigaChatMessages } from './gigachat-messages.js';

/**
 * GigaChat's documented ranges: `temperature` is a number > 0 whose values 0..0.001 select the deterministic
 * mode, so 0 is accepted (as the same "deterministic" the contract means by it) and there is no upper bound;
 * `top_p` 0..1; `max_tokens` an int32. `providerOptions.gigachat` adds fields (repetition_penalty,
 * update_interval, profanity_check, flags…), never replaces the ones below.
 */
export const GIGACHAT_CALL_RULES = {
  api: 'GigaChat',
  temperature: [0, Number.POSITIVE_INFINITY],
  topP: [0, 1],
  maxTokens: 2_147_483_647,
  providerOptionsKey: 'gigachat',
  ownedOptions: {
    model: 'the model setting of createGigaChat (one provider per model)',
    messages: 'request.messages',
    stream: 'provider.stream() (or generate() for one answer)',
    temperature: 'request.temperature',
    top_p: 'request.topP',
    max_tokens: 'request.maxTokens',
    functions: 'request.tools',
    function_call: 'request.toolChoice',
    response_format: 'request.responseFormat',
  },
} as const satisfies Omit<CallSettingsRules, 'provider'>;

/**
 * The `/api/v1/chat/completions` body. GigaChat has no `stop`, `seed` or JSON mode: those become warnings.
 * `tools` map to `functions`, `toolChoice` to `function_call` ("required" is not offered: sent as "auto"), and
 * a JSON schema to the flat `{type: "json_schema", schema, strict}`.
 */
export function buildGigaChatRequest(
  request: ChatRequest,
  options: { model: string; provider: string },
  stream: boolean,
): { body: Record<string, unknown>; warnings: CallWarning[] } {
  checkCallSettings(request, { provider: options.provider, ...GIGACHAT_CALL_RULES });
  const { messages, warnings } = toGigaChatMessages(request.messages, options.provider);
  if (request.stop?.length) warnings.push({ type: 'unsupported-setting', setting: 'stop' });
  if (request.seed !== undefined) warnings.push({ type: 'unsupported-setting', setting: 'seed' });
  if (request.responseFormat?.type === 'json') {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'responseFormat',
      details: 'use { type: "json-schema", schema }',
    });
  }
  let functionCall: unknown;
  const choice = request.toolChoice;
  if (choice === 'required') {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'toolChoice',
      details: '"required" is not offered; sent "auto"',
    });
    functionCall = 'auto';
  } else if (typeof choice === 'object') {
    functionCall = { name: choice.name };
  } else {
    functionCall = choice;
  }
  const body: Record<string, unknown> = {
    model: options.model,
    messages,
    temperature: request.temperature,
    top_p: request.topP,
    max_tokens: request.maxTokens,
    stream: stream || undefined,
    functions: request.tools?.map((tool) => ({
      name: tool.name,
      description: tool.description,
      parameters: tool.parameters,
    })),
    function_call: request.tools?.length ? functionCall : undefined,
    response_format:
      request.responseFormat?.type === 'json-schema'
        ? {
            type: 'json_schema',
            schema: request.responseFormat.schema,
            strict: request.responseFormat.strict ?? true,
          }
        : undefined,
    // repetition_penalty, update_interval, profanity_check, flags… pass through here.
    ...request.providerOptions?.gigachat,
  };
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return { body, warnings };
}
