import {
  type CallWarning,
  type GenerateResult,
  ProviderError,
  readJsonResponse,
  type ToolCall,
} from '@llmo/core/provider';
import { type AnthropicMessageResponse, messageSchema } from './anthropic-api.js';
import type { AnthropicModelPricing } from './anthropic-pricing.js';
import { withRateLimits } from './anthropic-rate-limits.js';
import { mergeUsage, toProviderUsage, usageMetadata } from './anthropic-usage.js';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';

export interface AnthropicResultContext {
  provider: string;
  requestId?: string;
  pricing?: AnthropicModelPricing;
  warnings: CallWarning[];
  /** The response's rate-limit headers (the Anthropic API sends them; Vertex does not). */
  rateLimits?: Record<string, number | string>;
}

/**
 * A Messages API response → the contract's result: text blocks joined, `tool_use` blocks as tool calls (their
 * `input` serialised), usage and cost in `providerMetadata.anthropic`. A message with neither content nor a
 * `stop_reason` is `invalid_response`. Shared by `createAnthropic` and Claude on Vertex
 * (`@llmo/provider-anthropic/protocol`), which answer the same JSON.
 */
export function anthropicGenerateResult(
  json: AnthropicMessageResponse,
  context: AnthropicResultContext,
): GenerateResult {
  const { provider: name, requestId } = context;
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const block of json.content) {
    if (block.type === 'text') text += block.text ?? '';
    else if (block.type === 'tool_use')
      toolCalls.push({
        id: block.id ?? `toolu_${toolCalls.length}`,
        name: block.name ?? '',
        arguments: JSON.stringify(block.input ?? {}),
      });
  }
  if (!json.stop_reason && json.content.length === 0) {
    throw new ProviderError({
      kind: 'invalid_response',
      provider: name,
      requestId,
      message: `${name}: the message has neither content nor a stop_reason`,
    });
  }
  const usage = mergeUsage(undefined, json.usage);
  return {
    text,
    toolCalls: toolCalls.length ? toolCalls : undefined,
    finishReason: mapAnthropicStopReason(json.stop_reason),
    usage: toProviderUsage(usage),
    warnings: context.warnings,
    response: { id: json.id ?? undefined, model: json.model ?? undefined, requestId },
    providerMetadata: withRateLimits(usageMetadata(usage, context.pricing), context.rateLimits),
  };
}

/** Reads a Messages API response body (`invalid_response` when it is not a message) and maps it. */
export async function readAnthropicResult(
  response: Response,
  context: AnthropicResultContext & { signal?: AbortSignal },
): Promise<GenerateResult> {
  const json = await readJsonResponse(response, messageSchema, {
    provider: context.provider,
    what: 'message',
    signal: context.signal,
  });
  return anthropicGenerateResult(json, context);
}
