import type { UsageMetadata } from '@langchain/core/messages';
import type { RouteResult } from '@llmo/core';

/** Token counts in LangChain's shape. */
export function toUsageMetadata(result: RouteResult): UsageMetadata {
  return {
    input_tokens: result.usage.promptTokens,
    output_tokens: result.usage.completionTokens,
    total_tokens: result.usage.totalTokens,
  };
}

/** What the router knows about the answer: who answered, what it cost, and every attempt on the way. */
export function toResponseMetadata(result: RouteResult): Record<string, unknown> {
  return {
    provider: result.provider,
    model: result.model,
    model_name: result.model,
    cost: result.cost,
    attempts: result.attempts,
    requestId: result.requestId,
    finishReason: result.finishReason,
    latencyMs: result.latencyMs,
    ...(result.ttftMs !== undefined ? { ttftMs: result.ttftMs } : {}),
    usageEstimated: result.usage.estimated,
    ...(result.warnings.length > 0 ? { warnings: result.warnings } : {}),
  };
}
