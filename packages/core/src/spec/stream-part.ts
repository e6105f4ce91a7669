import type { CallWarning } from './call-warning.js';
import type { ToolCall } from './chat-message.js';
import type { FinishReason } from './finish-reason.js';
import type { ProviderUsage } from './token-usage.js';

/**
 * Parts a provider stream yields, in this order:
 * `stream-start` → (`text-start` → (`text-delta` | `text-revision`)* → `text-end` | `tool-call-delta`* →
 * `tool-call`)* → `finish`. Exactly one `finish`, always last. Errors are thrown from the iterator, never
 * yielded.
 *
 * `text-revision` is for providers whose stream may rewrite text already sent (YandexGPT repeats the whole
 * text in every chunk, and the docs warn earlier text can change): `text` replaces everything the open
 * block `id` has streamed so far, and later `text-delta`s of that block append to it. Whoever assembles
 * text (the router's result, a UI) must apply it; a consumer that can only append (a terminal, LangChain's
 * chunk concatenation) must not ignore it.
 */
export type StreamPart =
  | { type: 'stream-start'; warnings: CallWarning[] }
  | { type: 'response-metadata'; id?: string; model?: string; requestId?: string }
  | { type: 'text-start'; id: string }
  | { type: 'text-delta'; id: string; delta: string }
  | { type: 'text-revision'; id: string; text: string }
  | { type: 'text-end'; id: string }
  | { type: 'tool-call-delta'; toolCallId: string; toolName: string; argumentsDelta: string }
  | ({ type: 'tool-call' } & ToolCall)
  | {
      type: 'finish';
      finishReason: FinishReason;
      usage?: ProviderUsage;
      providerMetadata?: Record<string, unknown>;
    };

/** True for the parts that carry generated content; the router's "first chunk". */
export function isContentPart(part: StreamPart): boolean {
  return (
    part.type === 'text-delta' ||
    part.type === 'text-revision' ||
    part.type === 'tool-call-delta' ||
    part.type === 'tool-call'
  );
}

/**
 * Optional on the iterator of a stream of parts (a provider's `stream()`, the router's `parts`): the next
 * result when it is ready without waiting (parts already read and mapped from a network read), or `undefined`
 * when the caller must `await next()`. It lets a consumer take the parts of one network read without a
 * promise per part (the router does, between its reads). Throws what `next()` would reject with. Call it only
 * when no `next()` is pending.
 */
export interface ReadyParts {
  takeReady(): IteratorResult<StreamPart> | undefined;
}

/** `iterator.takeReady` bound to it when the iterator has one (see `ReadyParts`). */
export function readyPartsOf(
  iterator: AsyncIterator<StreamPart>,
): (() => IteratorResult<StreamPart> | undefined) | undefined {
  const take = (iterator as Partial<ReadyParts>).takeReady;
  return typeof take === 'function' ? take.bind(iterator) : undefined;
}
