import type { FinishReason, ProviderUsage, ToolCall } from '@llmo/core/provider';
import type { OllamaChatResponse } from './ollama-api.js';

const NS_PER_MS = 1e6;

export function mapOllamaDoneReason(reason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  if (hasToolCalls) return 'tool-calls';
  if (reason === 'stop') return 'stop';
  if (reason === 'length') return 'length';
  return reason ? 'other' : 'stop';
}

/** `prompt_eval_count` / `eval_count` as usage; both are omitted upstream when zero or unknown. */
export function ollamaUsage(response: OllamaChatResponse): ProviderUsage | undefined {
  if (response.prompt_eval_count == null && response.eval_count == null) return undefined;
  const promptTokens = response.prompt_eval_count ?? 0;
  const completionTokens = response.eval_count ?? 0;
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
}

/** Timings converted from nanoseconds to milliseconds, and generation speed. */
export function ollamaMetadata(response: OllamaChatResponse): Record<string, unknown> {
  const ms = (ns: number | null | undefined) => (ns == null ? undefined : ns / NS_PER_MS);
  return {
    ollama: {
      totalDurationMs: ms(response.total_duration),
      loadDurationMs: ms(response.load_duration),
      promptEvalDurationMs: ms(response.prompt_eval_duration),
      evalDurationMs: ms(response.eval_duration),
      tokensPerSecond:
        response.eval_count && response.eval_duration
          ? (response.eval_count / response.eval_duration) * 1e9
          : undefined,
      doneReason: response.done_reason ?? undefined,
    },
  };
}

/** Ollama tool calls carry no ids and object arguments: give them ids and JSON text. */
export function ollamaToolCalls(response: OllamaChatResponse, firstIndex = 0): ToolCall[] {
  return (response.message?.tool_calls ?? []).map((call, i) => ({
    id: `call_${firstIndex + i}`,
    name: call.function.name,
    arguments:
      typeof call.function.arguments === 'string'
        ? call.function.arguments
        : JSON.stringify(call.function.arguments ?? {}),
  }));
}
