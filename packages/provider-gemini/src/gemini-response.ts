import { ProviderError, type ToolCall } from '@llmo/core/provider';
import type { GeminiCandidate, GeminiPart, GeminiResponse, GeminiSafetyRating } from './gemini-api.js';
import type { GeminiToolCallMemory } from './gemini-messages.js';

/** What one response (or stream chunk) holds, read safely (pitfall 10: never index blindly). */
export interface GeminiPiece {
  kind: 'text' | 'tool-call';
  text?: string;
  call?: ToolCall;
}

/** Ids for calls that arrive without one: unique per response (its `responseId`) and per position. */
export class ToolCallIds {
  private count = 0;
  private readonly prefix: string;

  constructor(responseId: string | null | undefined, fallback: () => string) {
    this.prefix = responseId ? `gemini-call-${responseId}` : fallback();
  }

  next(): string {
    return `${this.prefix}-${this.count++}`;
  }
}

/**
 * The parts of a candidate as text and whole tool calls, in order. Thought summaries (`thought: true`) are
 * not answer text and are skipped; so are parts the contract cannot carry (inline data, executable code).
 * A `functionCall` arrives whole, its `args` an object (§5.1); its id may be absent and is then made up. The
 * call's `thoughtSignature` and whether its id came from the wire are remembered for later turns (pitfall 9).
 */
export function candidatePieces(
  candidate: GeminiCandidate | undefined,
  ids: ToolCallIds,
  memory: GeminiToolCallMemory | undefined,
): GeminiPiece[] {
  const pieces: GeminiPiece[] = [];
  for (const part of (candidate?.content?.parts ?? []) as GeminiPart[]) {
    if (part.functionCall) {
      const wireId = part.functionCall.id ?? undefined;
      const id = wireId || ids.next();
      memory?.remember(id, { signature: part.thoughtSignature ?? undefined, wireId: Boolean(wireId) });
      pieces.push({
        kind: 'tool-call',
        call: {
          id,
          name: part.functionCall.name ?? '',
          arguments: JSON.stringify(part.functionCall.args ?? {}),
        },
      });
    } else if (typeof part.text === 'string' && part.text !== '' && part.thought !== true) {
      pieces.push({ kind: 'text', text: part.text });
    }
  }
  return pieces;
}

const blockedCategories = (ratings: GeminiSafetyRating[] | null | undefined) =>
  (ratings ?? [])
    .filter((r) => r.blocked === true || r.probability === 'HIGH')
    .map((r) => r.category)
    .filter(Boolean);

/**
 * The error for a blocked prompt (pitfall 10): no candidates, only `promptFeedback.blockReason`. Nothing
 * was generated, so it is an error (kind `content_filter`, code the block reason, not retryable: the same
 * prompt is blocked again) that lets a router try another provider.
 */
export function blockedPromptError(
  response: GeminiResponse,
  provider: string,
  requestId?: string,
): ProviderError | undefined {
  const feedback = response.promptFeedback;
  if (!feedback?.blockReason || (response.candidates?.length ?? 0) > 0) return undefined;
  const categories = blockedCategories(feedback.safetyRatings);
  return new ProviderError({
    kind: 'content_filter',
    provider,
    requestId,
    code: feedback.blockReason,
    retryable: false,
    message: `${provider}: the prompt was blocked (${feedback.blockReason})${categories.length ? ` for ${categories.join(', ')}` : ''}${feedback.blockReasonMessage ? `: ${feedback.blockReasonMessage}` : ''}`,
  });
}

/**
 * The error for an answer blocked before any of it was produced (a blocking `finishReason` such as `SAFETY`
 * with no parts; pitfall 10). An answer blocked part-way is a result with finish reason `content-filter`
 * instead: the text so far is the caller's.
 */
export function blockedAnswerError(
  candidate: GeminiCandidate,
  provider: string,
  requestId?: string,
): ProviderError {
  const reason = candidate.finishReason ?? 'SAFETY';
  const categories = blockedCategories(candidate.safetyRatings);
  return new ProviderError({
    kind: 'content_filter',
    provider,
    requestId,
    code: reason,
    retryable: false,
    message: `${provider}: the answer was blocked (finishReason ${reason})${categories.length ? ` for ${categories.join(', ')}` : ''}${candidate.finishMessage ? `: ${candidate.finishMessage}` : ''}`,
  });
}

/** Safety ratings as reported (only the fields the contract's metadata keeps). */
export function safetyRatings(ratings: GeminiSafetyRating[] | null | undefined) {
  return ratings?.length
    ? ratings.map((r) => ({ category: r.category, probability: r.probability, blocked: r.blocked }))
    : undefined;
}
