import {
  type CallSettingsRules,
  type CallWarning,
  type ChatRequest,
  checkCallSettings,
  type ToolChoice,
} from '@llmo/core/provider';
import { toBedrockPrompt } from './bedrock-messages.js';

/** Converse ranges (temperature and topP 0–1 across the model families) and the fields the provider owns. */
export const BEDROCK_CALL_RULES = {
  api: 'Bedrock Converse',
  temperature: [0, 1],
  topP: [0, 1],
  providerOptionsKey: 'bedrock',
  ownedOptions: {
    modelId: 'the model setting of createBedrock (it is the URL path, not a body field)',
    messages: 'request.messages',
    system: 'a system message in request.messages',
    inferenceConfig:
      'request.maxTokens, temperature, topP and stop (model-specific knobs go in additionalModelRequestFields)',
    toolConfig: 'request.tools and request.toolChoice',
  },
} as const satisfies Omit<CallSettingsRules, 'provider'>;

/** Converse's `toolChoice`; `none` has no counterpart (the caller drops the tools instead). */
function toolChoice(choice: ToolChoice | undefined): Record<string, unknown> | undefined {
  switch (choice) {
    case undefined:
    case 'none':
      return undefined;
    case 'auto':
      return { auto: {} };
    case 'required':
      return { any: {} };
    default:
      return { tool: { name: choice.name } };
  }
}

/**
 * The Converse (and ConverseStream: same members) body for a request, and the warnings for settings it cannot
 * honour. `inferenceConfig` holds only `maxTokens`, `temperature`, `topP`, `stopSequences`; anything
 * model-native (Anthropic `top_k`, `thinking`…) goes in `providerOptions.bedrock.additionalModelRequestFields`,
 * and the other Converse members (`guardrailConfig`, `performanceConfig`, `requestMetadata`…) in
 * `providerOptions.bedrock` too.
 */
export function buildBedrockRequest(
  request: ChatRequest,
  options: { provider: string },
): { body: Record<string, unknown>; warnings: CallWarning[] } {
  checkCallSettings(request, { provider: options.provider, ...BEDROCK_CALL_RULES });
  const warnings: CallWarning[] = [];
  if (request.seed !== undefined)
    warnings.push({ type: 'unsupported-setting', setting: 'seed', details: 'Converse has no seed' });
  if (request.responseFormat && request.responseFormat.type !== 'text')
    warnings.push({
      type: 'unsupported-setting',
      setting: 'responseFormat',
      details:
        'Converse has no JSON mode for every model; ask for JSON in the prompt, or force a tool call whose inputSchema is the schema',
    });
  const { system, messages, hasToolBlocks } = toBedrockPrompt(request.messages, options.provider);
  const inferenceConfig: Record<string, unknown> = {
    maxTokens: request.maxTokens,
    temperature: request.temperature,
    topP: request.topP,
    stopSequences: request.stop?.length ? request.stop : undefined,
  };
  for (const key of Object.keys(inferenceConfig))
    if (inferenceConfig[key] === undefined) delete inferenceConfig[key];

  let toolConfig: Record<string, unknown> | undefined;
  const tools = request.tools ?? [];
  if (tools.length > 0 && (request.toolChoice !== 'none' || hasToolBlocks)) {
    // Converse has no "none": the tools stay (a history with tool blocks needs a toolConfig), unforced.
    if (request.toolChoice === 'none')
      warnings.push({
        type: 'unsupported-setting',
        setting: 'toolChoice',
        details: 'Converse has no toolChoice "none"; the tools were sent with the model free to call them',
      });
    toolConfig = {
      tools: tools.map((tool) => ({
        toolSpec: {
          name: tool.name,
          description: tool.description,
          inputSchema: { json: tool.parameters },
        },
      })),
      toolChoice: toolChoice(request.toolChoice),
    };
  }

  const body: Record<string, unknown> = {
    messages,
    system,
    inferenceConfig: Object.keys(inferenceConfig).length ? inferenceConfig : undefined,
    toolConfig,
    // Escape hatch: additionalModelRequestFields, guardrailConfig, performanceConfig, requestMetadata…
    ...request.providerOptions?.bedrock,
  };
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return { body, warnings };
}
