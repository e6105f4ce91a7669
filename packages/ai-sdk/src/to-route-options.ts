import type { CallWarning, ProviderOptions, RouteOptions, ToolDefinition } from '@llmo/core';
import type { LanguageModelV2CallOptions, LanguageModelV3CallOptions } from './ai-sdk-types.js';

/** The key of the AI SDK's `providerOptions` that carries llmo's routing hints for one call. */
export const LLMO_OPTIONS_KEY = 'llmo';

/** A tool the llmo contract cannot carry (a provider-executed tool such as `openai.web_search`). */
export interface UnsupportedTool {
  name: string;
  id: string;
}

export interface RouteCall {
  options: RouteOptions;
  /** Settings of the call that no llmo provider can honour (AI SDK warnings, never exceptions). */
  warnings: CallWarning[];
  unsupportedTools: UnsupportedTool[];
}

/**
 * The AI SDK call options (V2 and V3 share them) as llmo route options, over the model's defaults.
 *
 * `providerOptions.llmo` holds routing hints for this call (`preferredProvider`, `excludeProviders`,
 * `deadlineMs`, `tenantId`…: any llmo `RouteOptions` key; the router rejects unknown ones with a suggestion).
 * Every other `providerOptions` key passes through as llmo's `providerOptions`, which are namespaced by provider
 * type exactly like the AI SDK's (`{ openai: { … } }`), so each llmo provider still reads only its own.
 */
export function toRouteCall(
  call: LanguageModelV3CallOptions | LanguageModelV2CallOptions,
  defaults: RouteOptions,
): RouteCall {
  const warnings: CallWarning[] = [];
  const unsupportedTools: UnsupportedTool[] = [];
  const { [LLMO_OPTIONS_KEY]: hints, ...passThrough } = call.providerOptions ?? {};
  const options: RouteOptions = { ...defaults, ...(hints as RouteOptions | undefined) };

  if (call.maxOutputTokens !== undefined) options.maxTokens = call.maxOutputTokens;
  if (call.temperature !== undefined) options.temperature = call.temperature;
  if (call.topP !== undefined) options.topP = call.topP;
  if (call.stopSequences !== undefined) options.stop = call.stopSequences;
  if (call.seed !== undefined) options.seed = call.seed;
  for (const setting of ['topK', 'presencePenalty', 'frequencyPenalty'] as const) {
    if (call[setting] !== undefined)
      warnings.push({
        type: 'unsupported-setting',
        setting,
        details: 'the llmo provider contract has no such setting',
      });
  }

  const format = call.responseFormat;
  if (format?.type === 'json') {
    options.responseFormat = format.schema
      ? {
          type: 'json-schema',
          schema: format.schema as Record<string, unknown>,
          ...(format.name !== undefined ? { name: format.name } : {}),
          ...(format.description !== undefined ? { description: format.description } : {}),
        }
      : { type: 'json' };
  } else if (format?.type === 'text') {
    options.responseFormat = { type: 'text' };
  }

  if (call.tools && call.tools.length > 0) {
    const tools: ToolDefinition[] = [];
    for (const tool of call.tools) {
      if (tool.type === 'function') {
        tools.push({
          name: tool.name,
          ...(tool.description !== undefined ? { description: tool.description } : {}),
          parameters: tool.inputSchema as Record<string, unknown>,
        });
      } else {
        unsupportedTools.push({ name: tool.name, id: tool.id });
      }
    }
    if (tools.length > 0) options.tools = tools;
  }
  const choice = call.toolChoice;
  if (choice && options.tools) {
    options.toolChoice = choice.type === 'tool' ? { type: 'tool', name: choice.toolName } : choice.type;
  }

  if (call.abortSignal) options.signal = call.abortSignal;
  if (call.headers) {
    const headers: Record<string, string> = { ...defaults.headers };
    for (const [name, value] of Object.entries(call.headers)) if (value !== undefined) headers[name] = value;
    options.headers = headers;
  }
  if (Object.keys(passThrough).length > 0) {
    options.providerOptions = { ...defaults.providerOptions, ...(passThrough as ProviderOptions) };
  }
  return { options, warnings, unsupportedTools };
}
