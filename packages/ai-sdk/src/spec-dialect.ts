import type { CallWarning, FinishReason, ProviderUsage, TokenUsage } from '@llmo/core';
import type {
  JSONObject,
  LanguageModelV2CallWarning,
  LanguageModelV2FinishReason,
  LanguageModelV2Usage,
  LanguageModelV3FinishReason,
  LanguageModelV3Usage,
  SharedV3Warning,
} from './ai-sdk-types.js';
import type { UnsupportedTool } from './to-route-options.js';

/**
 * What differs between the AI SDK specification versions on the way out of the router: how a finish reason,
 * token usage and a warning are shaped. Everything else (content, stream parts, prompts) is the same in V2 and
 * V3, so one model implementation serves both, parameterised by one of these.
 */
export interface SpecDialect<Finish, Usage, Warning> {
  readonly specificationVersion: 'v2' | 'v3';
  finishReason(reason: FinishReason): Finish;
  usage(usage: TokenUsage | ProviderUsage | undefined): Usage;
  warning(warning: CallWarning): Warning;
  unsupportedTool(tool: UnsupportedTool): Warning;
}

export const v3Dialect: SpecDialect<LanguageModelV3FinishReason, LanguageModelV3Usage, SharedV3Warning> = {
  specificationVersion: 'v3',
  // V3 has no `unknown`; the raw value keeps llmo's own reason for whoever wants it.
  finishReason: (reason) => ({ unified: reason === 'unknown' ? 'other' : reason, raw: reason }),
  usage(usage) {
    const input = usage?.promptTokens;
    const cacheRead = usage?.cacheReadTokens;
    const cacheWrite = usage?.cacheWriteTokens;
    return {
      inputTokens: {
        total: input,
        // Cached reads and writes are both part of the prompt count in llmo (see ProviderUsage).
        noCache: input === undefined ? undefined : Math.max(0, input - (cacheRead ?? 0) - (cacheWrite ?? 0)),
        cacheRead,
        cacheWrite,
      },
      outputTokens: { total: usage?.completionTokens, text: usage?.completionTokens, reasoning: undefined },
      ...(usage ? { raw: toJsonObject(usage) } : {}),
    };
  },
  warning: (warning) =>
    warning.type === 'unsupported-setting'
      ? {
          type: 'unsupported',
          feature: warning.setting,
          ...(warning.details ? { details: warning.details } : {}),
        }
      : { type: 'other', message: warning.message },
  unsupportedTool: (tool) => ({
    type: 'unsupported',
    feature: `provider-defined tool ${tool.id}`,
    details: `tool "${tool.name}" runs inside one provider's API; the llmo contract carries function tools only`,
  }),
};

export const v2Dialect: SpecDialect<
  LanguageModelV2FinishReason,
  LanguageModelV2Usage,
  LanguageModelV2CallWarning
> = {
  specificationVersion: 'v2',
  finishReason: (reason) => reason,
  usage: (usage) => ({
    inputTokens: usage?.promptTokens,
    outputTokens: usage?.completionTokens,
    totalTokens: usage?.totalTokens,
    ...(usage?.cacheReadTokens !== undefined ? { cachedInputTokens: usage.cacheReadTokens } : {}),
  }),
  warning: (warning) =>
    warning.type === 'unsupported-setting'
      ? {
          type: 'unsupported-setting',
          setting: warning.setting as never,
          ...(warning.details ? { details: warning.details } : {}),
        }
      : { type: 'other', message: warning.message },
  unsupportedTool: (tool) => ({
    type: 'other',
    message: `provider-defined tool ${tool.id} ("${tool.name}") is not supported: the llmo contract carries function tools only`,
  }),
};

/** A plain object made JSON-safe (undefined dropped), as the AI SDK's metadata types require. */
export function toJsonObject(value: object): JSONObject {
  return JSON.parse(JSON.stringify(value)) as JSONObject;
}
