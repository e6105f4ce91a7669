import type { FinishReason } from '@llmo/core/provider';

/** `stop_reason` → contract finish reason (SDK `StopReason` enum; unknown values are `other`). */
export function mapAnthropicStopReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    case null:
    case undefined:
      return 'unknown';
    default:
      // pause_turn (a server tool paused a long turn) and values added later.
      return 'other';
  }
}
