import type { Attempt } from '../errors/attempt.js';
import type { CallWarning } from '../spec/call-warning.js';
import type { ToolCall } from '../spec/chat-message.js';
import type { FinishReason } from '../spec/finish-reason.js';
import type { TokenUsage } from '../spec/token-usage.js';

/** What `route()` returns and `routeStream().result` resolves to. */
export interface RouteResult {
  /** The router's id for this request (also in events, logs and usage records). */
  requestId: string;
  text: string;
  toolCalls: ToolCall[];
  /** Name of the provider that answered. */
  provider: string;
  model: string;
  usage: TokenUsage;
  /** `known: false` when the model has no price: the amount is then 0 but means unknown, not free. */
  cost: { amount: number; currency: string; known: boolean };
  finishReason: FinishReason;
  /** Wall time of the whole request, retries and fallbacks included. */
  latencyMs: number;
  /** Time to first token of the answering attempt (streams only). */
  ttftMs?: number;
  /** Every try, in order, including the successful one. */
  attempts: Attempt[];
  warnings: CallWarning[];
  response?: { id?: string; model?: string; requestId?: string };
  providerMetadata?: Record<string, unknown>;
}
