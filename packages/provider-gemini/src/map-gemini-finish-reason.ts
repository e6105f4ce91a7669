import type { FinishReason } from '@llmo/core/provider';

/** Finish reasons that mean a safety or policy filter stopped the answer. */
export const BLOCKING_FINISH_REASONS: ReadonlySet<string> = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

/**
 * The candidate's `finishReason` → the contract's (js-genai `FinishReason` enum; unknown values are
 * `other`). A tool call ends with `STOP` (pitfall 8): `hasToolCalls`, read from the parts, makes it
 * `tool-calls`.
 */
export function mapGeminiFinishReason(
  reason: string | null | undefined,
  hasToolCalls: boolean,
): FinishReason {
  if (reason === null || reason === undefined) return 'unknown';
  if (reason === 'STOP') return hasToolCalls ? 'tool-calls' : 'stop';
  if (reason === 'MAX_TOKENS') return 'length';
  if (BLOCKING_FINISH_REASONS.has(reason)) return 'content-filter';
  if (
    reason === 'MALFORMED_FUNCTION_CALL' ||
    reason === 'UNEXPECTED_TOOL_CALL' ||
    reason === 'TOO_MANY_TOOL_CALLS'
  )
    return 'error';
  // FINISH_REASON_UNSPECIFIED, OTHER, LANGUAGE, NO_IMAGE, IMAGE_OTHER, and values added later.
  return 'other';
}
