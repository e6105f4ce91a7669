import {
  type CallSettingsRules,
  type CallWarning,
  type ChatRequest,
  checkCallSettings,
  type ResponseFormat,
  type ToolChoice,
} from '@llmo/core/provider';
import { type GeminiToolCallMemory, toGeminiPrompt } from './gemini-messages.js';
import { toGeminiParameters, toGeminiSchema } from './gemini-schema.js';

/**
 * The resource path of a model (pitfall 2): a bare id gets `models/`; an id with a `/` (`tunedModels/x`,
 * `models/gemini-2.5-flash`) is used as it is. Each segment is URL-encoded, the slash kept.
 */
export function modelPath(model: string): string {
  const name = model.includes('/') ? model : `models/${model}`;
  return name.split('/').map(encodeURIComponent).join('/');
}

/** The Gemini API accepts at most 5 stop sequences. */
export const MAX_STOP_SEQUENCES = 5;

/**
 * Ranges from the API reference (temperature 0–2, topP 0–1), and the body fields the provider writes:
 * `providerOptions.gemini` may add top-level fields (`safetySettings`, `cachedContent`…) and
 * `generationConfig` fields (`topK`, `thinkingConfig`, `candidateCount`…), never replace these.
 */
export const GEMINI_CALL_RULES = {
  api: 'Gemini',
  temperature: [0, 2],
  topP: [0, 1],
  providerOptionsKey: 'gemini',
  ownedOptions: {
    model: 'the model setting of createGemini (one provider per model; it is in the URL)',
    contents: 'request.messages',
    systemInstruction: 'a system message in request.messages',
    tools: 'request.tools',
    toolConfig: 'request.toolChoice',
    'generationConfig.temperature': 'request.temperature',
    'generationConfig.topP': 'request.topP',
    'generationConfig.maxOutputTokens': 'request.maxTokens',
    'generationConfig.stopSequences': 'request.stop',
    'generationConfig.seed': 'request.seed',
    'generationConfig.responseMimeType': 'request.responseFormat',
    'generationConfig.responseSchema': 'request.responseFormat',
    'generationConfig.responseJsonSchema': 'request.responseFormat',
  },
} as const satisfies Omit<CallSettingsRules, 'provider'>;

function toolConfig(choice: ToolChoice | undefined): Record<string, unknown> | undefined {
  if (choice === undefined) return undefined;
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.name] } };
}

function responseFormat(
  format: ResponseFormat | undefined,
  warnings: CallWarning[],
): Record<string, unknown> | undefined {
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json') return { responseMimeType: 'application/json' };
  const { schema, dropped } = toGeminiSchema(format.schema);
  if (dropped.length > 0)
    warnings.push({
      type: 'unsupported-setting',
      setting: 'responseFormat',
      details: `responseSchema takes an OpenAPI subset of JSON Schema; dropped: ${dropped.join(', ')}`,
    });
  // `description` on the format describes the whole answer: it goes on the schema's root.
  if (format.description && schema.description === undefined) schema.description = format.description;
  return { responseMimeType: 'application/json', responseSchema: schema };
}

export interface GeminiRequestOptions {
  provider: string;
  model: string;
  memory?: GeminiToolCallMemory;
  /** Default `safetySettings` (the settings'), sent unless `providerOptions.gemini` sets its own. */
  safetySettings?: readonly { category: string; threshold: string }[];
}

/**
 * The `generateContent` / `streamGenerateContent` body (both take the same one) and the warnings for
 * settings that had to change. camelCase everywhere (pitfall 1). Throws a `bad_request` `ProviderError` for
 * out-of-range values and for provider options that collide with owned fields.
 */
export function buildGeminiRequest(
  request: ChatRequest,
  options: GeminiRequestOptions,
): { body: Record<string, unknown>; warnings: CallWarning[] } {
  checkCallSettings(request, { provider: options.provider, ...GEMINI_CALL_RULES });
  const warnings: CallWarning[] = [];
  const extra = { ...request.providerOptions?.gemini } as Record<string, unknown>;
  const extraConfig = extra.generationConfig as Record<string, unknown> | undefined;
  delete extra.generationConfig;

  let stop = request.stop?.length ? request.stop : undefined;
  if (stop && stop.length > MAX_STOP_SEQUENCES) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'stop',
      details: `Gemini accepts at most ${MAX_STOP_SEQUENCES} stop sequences; the first ${MAX_STOP_SEQUENCES} were sent`,
    });
    stop = stop.slice(0, MAX_STOP_SEQUENCES);
  }

  const tools = request.tools?.map((tool) => {
    const { parameters, dropped } = toGeminiParameters(tool.parameters);
    if (dropped.length > 0)
      warnings.push({
        type: 'unsupported-setting',
        setting: 'tools',
        details: `the parameters of "${tool.name}" use JSON Schema keywords Gemini does not take; dropped: ${dropped.join(', ')}`,
      });
    return { name: tool.name, description: tool.description, parameters };
  });

  const generationConfig: Record<string, unknown> = {
    ...extraConfig,
    temperature: request.temperature,
    topP: request.topP,
    maxOutputTokens: request.maxTokens,
    stopSequences: stop,
    seed: request.seed,
    ...responseFormat(request.responseFormat, warnings),
  };
  for (const key of Object.keys(generationConfig))
    if (generationConfig[key] === undefined) delete generationConfig[key];

  const { systemInstruction, contents } = toGeminiPrompt(request.messages, options);
  const body: Record<string, unknown> = {
    contents,
    systemInstruction,
    generationConfig: Object.keys(generationConfig).length > 0 ? generationConfig : undefined,
    safetySettings: options.safetySettings?.length ? options.safetySettings : undefined,
    tools: tools?.length ? [{ functionDeclarations: tools }] : undefined,
    toolConfig: tools?.length ? toolConfig(request.toolChoice) : undefined,
    // Escape hatch for what the contract does not name: safetySettings, cachedContent, labels…
    ...extra,
  };
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return { body, warnings };
}
