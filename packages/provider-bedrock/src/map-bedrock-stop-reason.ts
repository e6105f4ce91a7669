import type { FinishReason } from '@llmo/core/provider';

/** Converse `stopReason` → contract finish reason (Smithy `StopReason` enum; unknown values are `other`). */
export function mapBedrockStopReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content-filter';
    case null:
    case undefined:
      return 'unknown';
    default:
      // malformed_model_output, malformed_tool_use, and values added later.
      return 'other';
  }
}
