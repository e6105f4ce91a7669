import type { CallWarning, ChatRequest } from '@llmo/core/provider';
import { toGigaChatMessages } from './gigachat-messages.js';

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
