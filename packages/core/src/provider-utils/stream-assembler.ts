import { ProviderError } from '../errors/provider-error.js';
import type { ToolCall } from '../spec/chat-message.js';
import type { FinishReason } from '../spec/finish-reason.js';
import type { StreamPart } from '../spec/stream-part.js';
import type { ProviderUsage } from '../spec/token-usage.js';

/** One piece of a tool call as a streaming wire format sends it (OpenAI's `delta.tool_calls[]` shape). */
export interface ToolCallFragment {
  /** The call's position; several OpenAI-compatible servers omit it (see {@link StreamAssembler.toolCallFragment}). */
  index?: number | null;
  id?: string | null;
  name?: string | null;
  argumentsDelta?: string | null;
}

export interface StreamAssemblerOptions {
  /** The provider's configured name, for error messages. */
  provider: string;
  /**
   * Completes "`<provider>`: the stream ended …" in the truncation error, naming what the wire format ends
   * with, e.g. `'before its finish_reason or [DONE]'`. Default: `'before a finish reason'`.
   */
  endedEarly?: string;
  /**
   * What to do with a tool call whose assembled arguments are not JSON: pass them on as they are (`'keep'`,
   * the default: the caller sees what the model produced) or fail the stream with an `invalid_response`
   * error (`'error'`).
   */
  invalidToolArguments?: 'keep' | 'error';
  /** The response's request id, put on the errors the assembler raises (so a support ticket can cite it). */
  requestId?: string;
}

export interface FinishOptions {
  /** The mapped finish reason, if the wire sent one. */
  finishReason: FinishReason | undefined;
  /**
   * The wire's own end marker arrived (`[DONE]`): the stream is complete even without a finish reason,
   * which is then `unknown`. Without a reason and without this, the stream was truncated.
   */
  complete?: boolean;
  /** Copied onto the finish part as given (a key given as `undefined` stays on the part). */
  usage?: ProviderUsage;
  providerMetadata?: Record<string, unknown>;
}

interface PendingToolCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * The bookkeeping every stream mapper repeats, in one place, so a provider's `*-stream.ts` only maps its wire
 * events. Each method returns the contract parts to yield, in order (`yield* assembler.text(delta)`):
 *
 * - text blocks: a block opens on the first non-empty text, and closes before the first tool-call part (the
 *   order `stream-part.ts` prescribes) and at the end; text after a tool call opens the next block (`'1'`, …);
 * - text snapshots (providers that resend the whole text): a delta when the text extends what was sent, a
 *   `text-revision` when it does not;
 * - tool calls sent whole (`toolCall`), or in fragments assembled by index (`toolCallFragment`), flushed as
 *   `tool-call` parts at the finish;
 * - the finish part, and the truncation error when the stream ended before the wire said it was done.
 *
 * One assembler per stream. Errors thrown by the wire format stay the mapper's business.
 */
export class StreamAssembler {
  readonly provider: string;
  private readonly endedEarly: string;
  private readonly invalidToolArguments: 'keep' | 'error';
  private readonly requestId: string | undefined;
  private openTextId: string | undefined;
  private textBlocks = 0;
  /** The whole text sent so far through `textSnapshot`. */
  private snapshot = '';
  private revisionCount = 0;
  private readonly pending = new Map<number, PendingToolCall>();
  /** The index of the call the last fragment went to: a fragment without `index` continues it or not. */
  private lastIndex: number | undefined;
  private wholeCalls = 0;
  private finished = false;

  constructor(options: StreamAssemblerOptions) {
    this.provider = options.provider;
    this.endedEarly = options.endedEarly ?? 'before a finish reason';
    this.invalidToolArguments = options.invalidToolArguments ?? 'keep';
    this.requestId = options.requestId;
  }

  /** How many `text-revision` parts were sent. */
  get revisions(): number {
    return this.revisionCount;
  }

  /** How many tool calls were seen so far (whole calls and assembled ones). */
  get toolCallCount(): number {
    return this.wholeCalls + this.pending.size;
  }

  /** A piece of text to append; an empty one yields nothing. */
  text(delta: string | null | undefined): StreamPart[] {
    if (!delta) return [];
    const parts = this.openText();
    parts.push({ type: 'text-delta', id: this.openTextId!, delta });
    return parts;
  }

  /**
   * The whole text so far, for wire formats that resend it in every event (YandexGPT). What extends the text
   * already sent goes out as a delta; anything else (the provider rewrote earlier text) as a `text-revision`
   * carrying the text now. Meant for one text block: the revision replaces the open block's text.
   */
  textSnapshot(text: string): StreamPart[] {
    if (text === this.snapshot) return [];
    const parts = this.openText();
    const id = this.openTextId!;
    if (text.startsWith(this.snapshot)) {
      parts.push({ type: 'text-delta', id, delta: text.slice(this.snapshot.length) });
    } else {
      this.revisionCount++;
      parts.push({ type: 'text-revision', id, text });
    }
    this.snapshot = text;
    return parts;
  }

  /** Closes the open text block, if any. */
  endText(): StreamPart[] {
    if (this.openTextId === undefined) return [];
    const id = this.openTextId;
    this.openTextId = undefined;
    return [{ type: 'text-end', id }];
  }

  /** A tool call that arrived whole: its `tool-call-delta` (all arguments) and `tool-call`, at once. */
  toolCall(call: ToolCall): StreamPart[] {
    this.checkArguments(call);
    this.wholeCalls++;
    return [
      ...this.endText(),
      { type: 'tool-call-delta', toolCallId: call.id, toolName: call.name, argumentsDelta: call.arguments },
      { type: 'tool-call', ...call },
    ];
  }

  /**
   * A fragment of a streamed tool call. Fragments are assembled by `index`; a fragment without one continues
   * the call the previous fragment went to, unless it starts another (a new `id`, or a name when that call
   * has one already), which takes the next free index — otherwise two calls would merge into one. A call
   * without an id gets `call_<index>`. Yields a `tool-call-delta` per non-empty arguments piece; the
   * `tool-call` parts come at the finish (arguments that stayed empty become `{}`).
   */
  toolCallFragment(fragment: ToolCallFragment): StreamPart[] {
    const parts = this.endText();
    const index = fragment.index ?? this.indexWithout(fragment);
    this.lastIndex = index;
    let call = this.pending.get(index);
    if (!call) {
      call = { id: fragment.id ?? `call_${index}`, name: fragment.name ?? '', arguments: '' };
      this.pending.set(index, call);
    }
    if (fragment.name && !call.name) call.name = fragment.name;
    const argumentsDelta = fragment.argumentsDelta ?? '';
    call.arguments += argumentsDelta;
    if (argumentsDelta)
      parts.push({ type: 'tool-call-delta', toolCallId: call.id, toolName: call.name, argumentsDelta });
    return parts;
  }

  /** The error for a stream that ended before the wire said it was done: retryable, kind `network`. */
  truncated(): ProviderError {
    return new ProviderError({
      kind: 'network',
      provider: this.provider,
      requestId: this.requestId,
      message: `${this.provider}: the stream ended ${this.endedEarly}`,
    });
  }

  /**
   * The end of the stream: throws {@link truncated} when there is neither a finish reason nor `complete`;
   * otherwise closes the text block, flushes the assembled tool calls (in the order they started) and ends
   * with the one `finish` part. Call it once, after the wire loop.
   */
  finish(options: FinishOptions): StreamPart[] {
    if (this.finished) throw new Error('StreamAssembler.finish called twice');
    const { finishReason, complete, ...rest } = options;
    if (finishReason === undefined && !complete) throw this.truncated();
    this.finished = true;
    const parts = this.endText();
    for (const call of this.pending.values()) {
      // A call streamed without arguments (Anthropic's lone `""` fragment) has none: `{}`, which is JSON.
      if (call.arguments.trim() === '') call.arguments = '{}';
      this.checkArguments(call);
      parts.push({ type: 'tool-call', id: call.id, name: call.name, arguments: call.arguments });
    }
    parts.push({ type: 'finish', finishReason: finishReason ?? 'unknown', ...rest });
    return parts;
  }

  private openText(): StreamPart[] {
    if (this.openTextId !== undefined) return [];
    this.openTextId = String(this.textBlocks++);
    return [{ type: 'text-start', id: this.openTextId }];
  }

  private indexWithout(fragment: ToolCallFragment): number {
    const last = this.lastIndex === undefined ? undefined : this.pending.get(this.lastIndex);
    const startsAnother =
      !last ||
      (fragment.id != null && fragment.id !== last.id) ||
      (fragment.id == null && Boolean(fragment.name) && last.name !== '');
    if (!startsAnother) return this.lastIndex!;
    let next = 0;
    for (const key of this.pending.keys()) next = Math.max(next, key + 1);
    return next;
  }

  private checkArguments(call: PendingToolCall): void {
    if (this.invalidToolArguments === 'keep') return;
    try {
      JSON.parse(call.arguments || '{}');
    } catch (cause) {
      throw new ProviderError({
        kind: 'invalid_response',
        provider: this.provider,
        requestId: this.requestId,
        message: `${this.provider}: arguments of tool call "${call.name}" are not JSON`,
        cause,
      });
    }
  }
}

/**
 * Where a tool call's JSON arguments (text, as the contract carries them) become an object for a wire format
 * that wants one. Empty arguments are `{}`. Text that is not JSON is the caller's mistake: `bad_request`,
 * with `message` (default: `arguments of "<name>" are not JSON`).
 */
export function parseToolArguments(
  call: Pick<ToolCall, 'name' | 'arguments'>,
  context: { provider: string; message?: string },
): unknown {
  try {
    return JSON.parse(call.arguments || '{}');
  } catch (cause) {
    throw new ProviderError({
      kind: 'bad_request',
      provider: context.provider,
      message: `${context.provider}: ${context.message ?? `arguments of "${call.name}" are not JSON`}`,
      cause,
    });
  }
}
