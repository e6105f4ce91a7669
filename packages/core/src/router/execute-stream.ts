import { computeCost } from '../cost/resolve-pricing.js';
import { resolveUsage } from '../cost/resolve-usage.js';
import { LlmoError } from '../errors/llmo-error.js';
import { ProviderError } from '../errors/provider-error.js';
import { StreamInterruptedError } from '../errors/stream-interrupted-error.js';
import { SerialCalls } from '../provider-utils/serial-calls.js';
import type { CallWarning } from '../spec/call-warning.js';
import type { ToolCall } from '../spec/chat-message.js';
import type { FinishReason } from '../spec/finish-reason.js';
import type { ProviderV1 } from '../spec/provider-v1.js';
import { isContentPart, type ReadyParts, readyPartsOf, type StreamPart } from '../spec/stream-part.js';
import type { ProviderUsage, TokenUsage } from '../spec/token-usage.js';
import { recordError, recordSuccess } from './attempt-recorder.js';
import type { AttemptScope } from './attempt-scope.js';
import { emitRouteFailure, routeEndCounts } from './execute-generate.js';
import { judgeError } from './judge-error.js';
import { endTurn } from './provider-turn.js';
import type { RouteResult } from './route-result.js';
import type { RequestContext, RouterRuntime } from './router-runtime.js';
import { type AttemptSuccess, runAttempts } from './run-attempts.js';

/** A provider stream opened and read up to its first content part (or its end). */
interface OpenedStream {
  iterator: AsyncIterator<StreamPart>;
  buffered: StreamPart[];
  ttftMs: number | undefined;
  ended: boolean;
}

async function openUntilFirstChunk(
  provider: ProviderV1,
  request: RequestContext['request'],
  scope: AttemptScope,
): Promise<OpenedStream> {
  const startedAt = performance.now();
  // Called inside the attempt: a provider that throws while building the request is judged like any failure.
  const iterator = provider.stream({ ...request, signal: scope.signal })[Symbol.asyncIterator]();
  const buffered: StreamPart[] = [];
  try {
    while (true) {
      const next = await scope.race(iterator.next());
      if (next.done) throw truncated(provider, 'before its finish part');
      assertPart(provider, next.value);
      buffered.push(next.value);
      if (isContentPart(next.value))
        return { iterator, buffered, ttftMs: performance.now() - startedAt, ended: false };
      if (next.value.type === 'finish') {
        // Nothing generated and no reason why: a malformed answer (e.g. chunks without `choices`, then a
        // clean end), not an empty success. A reasoned empty answer (`stop`, `length`…) stays a success.
        if (next.value.finishReason === 'unknown')
          throw truncated(provider, 'with no content and no finish reason');
        return { iterator, buffered, ttftMs: undefined, ended: true };
      }
    }
  } catch (error) {
    void Promise.resolve(iterator.return?.()).catch(() => {});
    throw error;
  }
}

/** A part that is not a stream part at all (a provider bug or a garbled stream): a malformed answer. */
function assertPart(provider: ProviderV1, part: unknown): asserts part is StreamPart {
  if (typeof part !== 'object' || part === null || typeof (part as StreamPart).type !== 'string') {
    throw new ProviderError({
      kind: 'invalid_response',
      provider: provider.name,
      message: `${provider.name}: the stream yielded something that is not a stream part`,
    });
  }
}

/** A stream that broke the part contract (exactly one `finish`, last): a malformed answer, retried once. */
function truncated(provider: ProviderV1, how: string): ProviderError {
  return new ProviderError({
    kind: 'invalid_response',
    provider: provider.name,
    message: `${provider.name}: the stream ended ${how}`,
  });
}

/** How `executeStream` settles the stream's result promise (`RouteStream.result`). */
export interface StreamSettle {
  resolve(result: RouteResult): void;
  reject(error: unknown): void;
  /** The stream is committed to a provider (its first content part, or its end, arrived). */
  commit?(committed: StreamCommitment): void;
}

/** Which provider a stream is committed to: known once its first part is handed out. */
export interface StreamCommitment {
  provider: string;
  model: string;
}

/** What the router lends a stream: its provider order, and the start and end of the request's bookkeeping. */
export interface StreamHooks {
  order(): Promise<readonly ProviderV1[]>;
  /** Called when the stream is first read; throws to refuse it (a closed router). */
  start(): void;
  /**
   * Called once the request's work is over: before the last part is handed out (a consumer may stop there)
   * and in every other way the stream can end. Must be idempotent.
   */
  done(): void;
}

/**
 * `routeStream()`'s engine. Falls back only before the first content chunk; from then on the stream is
 * committed to one provider, and a failure ends it with a `StreamInterruptedError` carrying the text so far.
 * Hands out the provider's parts, its `finish` replaced by the router's (complete usage), and settles the
 * stream's result promise through `settle`.
 */
export function executeStream(
  runtime: RouterRuntime,
  context: RequestContext,
  hooks: StreamHooks,
  settle: StreamSettle,
): AsyncIterableIterator<StreamPart> {
  return new RouterStream(runtime, context, hooks, settle);
}

type Phase = 'new' | 'open' | 'finished' | 'closed';
const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * The stream as one iterator rather than an async generator: a generator costs a promise, a resume and an
 * `await` of a raced read per part; this hands a part on with one `.then` on the raced read (measured in
 * bench/http: about half the router's CPU per chunk). The semantics are the generator's it replaced: calls are
 * served in order (`SerialCalls`), `return()` while committed closes the provider stream and records the
 * attempt as cancelled, and everything that ends the request happens before the last part is handed out.
 */
class RouterStream implements AsyncIterableIterator<StreamPart>, ReadyParts {
  private phase: Phase = 'new';
  private readonly calls = new SerialCalls();
  private opened!: AttemptSuccess<OpenedStream>;
  private bufferIndex = 0;
  /** The provider's stream has given its `finish`. */
  private ended = false;
  private read!: () => Promise<IteratorResult<StreamPart>>;
  /** The provider stream's `takeReady` (see `ReadyParts`), when it has one. */
  private take: (() => IteratorResult<StreamPart> | undefined) | undefined;

  private text = '';
  /** Where the open text block starts in `text`: a `text-revision` replaces everything after it. */
  private blockStart = 0;
  private revisions = 0;
  private readonly toolCalls: ToolCall[] = [];
  private readonly warnings: CallWarning[] = [];
  private finishReason: FinishReason = 'unknown';
  private reported: ProviderUsage | undefined;
  private response: RouteResult['response'];
  private providerMetadata: Record<string, unknown> | undefined;
  /** The attempt has its outcome (success or failure) recorded: nothing more to record. */
  private recorded = false;
  /** The result promise is settled. */
  private delivered = false;

  constructor(
    private readonly runtime: RouterRuntime,
    private readonly context: RequestContext,
    private readonly hooks: StreamHooks,
    private readonly settle: StreamSettle,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<StreamPart>> {
    return this.calls.busy ? this.calls.after(this.nextNow) : this.nextNow();
  }

  return(): Promise<IteratorResult<StreamPart>> {
    return this.calls.busy ? this.calls.after(this.close) : this.close();
  }

  /** The next result if it needs no read (see `ReadyParts`); throws what `next()` would reject with. */
  takeReady(): IteratorResult<StreamPart> | undefined {
    if (this.calls.busy) return undefined;
    switch (this.phase) {
      case 'open':
        return this.ready();
      case 'new':
        return undefined;
      default:
        return DONE;
    }
  }

  private readonly nextNow = (): Promise<IteratorResult<StreamPart>> => {
    switch (this.phase) {
      case 'new':
        return this.calls.track(this.open());
      case 'open':
        return this.advance();
      default:
        return Promise.resolve(DONE);
    }
  };

  /** The request: the attempts up to a first content part, then the first part. */
  private async open(): Promise<IteratorResult<StreamPart>> {
    const { runtime, context, hooks, settle } = this;
    this.phase = 'open';
    try {
      hooks.start();
    } catch (error) {
      this.phase = 'closed';
      settle.reject(error);
      throw error;
    }
    try {
      const order = await hooks.order();
      const timeoutMs =
        context.options.firstChunkTimeoutMs ??
        context.options.timeoutMs ??
        runtime.firstChunkTimeoutMs ??
        runtime.timeoutMs;
      this.opened = await runAttempts(runtime, context, order, timeoutMs, (provider, scope) =>
        openUntilFirstChunk(provider, context.request, scope),
      );
    } catch (error) {
      this.phase = 'closed';
      context.dispose();
      hooks.done();
      settle.reject(error);
      emitRouteFailure(runtime, context, error);
      throw error;
    }
    this.commit();
    return this.advance();
  }

  /** The stream is committed to the provider that gave the first chunk: timeouts from now on, the event. */
  private commit(): void {
    const { runtime, context } = this;
    const { turn, scope, value } = this.opened;
    const { provider } = turn;
    this.ended = value.ended;
    this.settle.commit?.({ provider: provider.name, model: provider.model });
    // A probe's first chunk proves the provider is back; settling it now means a consumer that abandons the
    // stream can never strand the half-open circuit. (Other permits get their verdict at the end.)
    if (turn.permit?.probe) endTurn(turn, 'success');
    // From the first chunk on, the stream is bounded by silence, not by its total length.
    const idleMs = context.options.idleTimeoutMs ?? runtime.idleTimeoutMs;
    if (idleMs > 0) {
      scope.startIdleTimeout(
        idleMs,
        () =>
          new ProviderError({
            kind: 'timeout',
            provider: provider.name,
            message: `${provider.name}: the stream sent nothing for ${idleMs} ms (idleTimeoutMs)`,
          }),
      );
    } else scope.stopTimer();
    const { iterator } = value;
    this.take = readyPartsOf(iterator);
    // With no timeout, no caller signal and no deadline nothing can abort the stream: skip the race per part.
    this.read =
      idleMs > 0 || context.signal !== undefined
        ? () => {
            scope.waitStarted();
            return scope.raceOne(iterator.next());
          }
        : () => iterator.next();
    if (value.ttftMs !== undefined) {
      runtime.events.emit('first-chunk', {
        requestId: context.requestId,
        streaming: true,
        provider: provider.name,
        model: provider.model,
        ttftMs: value.ttftMs,
      });
    }
  }

  /** The next part: one that needs no read, else one read of the provider's stream. */
  private advance(): Promise<IteratorResult<StreamPart>> {
    let result: IteratorResult<StreamPart> | undefined;
    try {
      result = this.ready();
    } catch (error) {
      return Promise.reject(error);
    }
    if (result) return Promise.resolve(result);
    return this.calls.track(this.read().then(this.onStep, this.onReadError));
  }

  /**
   * The next result without waiting: a part read while opening, the router's `finish` once the provider's
   * came, or a part the provider has ready from its last network read (taken without a promise or a race:
   * nothing is awaited, so no timeout applies; an aborted scope goes through the raced read, which rejects).
   * `undefined` when a read is needed. Throws as `fail` does.
   */
  private ready(): IteratorResult<StreamPart> | undefined {
    const { buffered } = this.opened.value;
    while (this.bufferIndex < buffered.length) {
      const part = buffered[this.bufferIndex++] as StreamPart;
      if (this.absorb(part)) return { done: false, value: part };
    }
    if (this.ended) {
      try {
        return this.complete();
      } catch (error) {
        return this.fail(error);
      }
    }
    if (this.take === undefined || this.opened.scope.signal.aborted) return undefined;
    let step: IteratorResult<StreamPart> | undefined;
    try {
      step = this.take();
    } catch (error) {
      return this.fail(error);
    }
    return step === undefined ? undefined : this.onStep(step);
  }

  private readonly onStep = (step: IteratorResult<StreamPart>): IteratorResult<StreamPart> => {
    // Between two reads the consumer's time is its own, not the provider's silence.
    this.opened.scope.waitEnded();
    try {
      if (step.done) throw truncated(this.opened.turn.provider, 'before its finish part');
      assertPart(this.opened.turn.provider, step.value);
      if (this.absorb(step.value)) return step;
      return this.complete();
    } catch (error) {
      return this.fail(error);
    }
  };

  private readonly onReadError = (error: unknown): never => this.fail(error);

  /** Folds a part into the result; false for the provider's `finish` (replaced by the router's). */
  private absorb(part: StreamPart): boolean {
    switch (part.type) {
      case 'text-delta':
        this.text += part.delta;
        return true;
      case 'text-start':
        this.blockStart = this.text.length;
        return true;
      case 'text-revision':
        this.text = this.text.slice(0, this.blockStart) + part.text;
        this.revisions++;
        return true;
      case 'tool-call':
        this.toolCalls.push({ id: part.id, name: part.name, arguments: part.arguments });
        return true;
      case 'stream-start':
        this.warnings.push(...part.warnings);
        return true;
      case 'response-metadata':
        this.response = { id: part.id, model: part.model, requestId: part.requestId };
        return true;
      case 'finish':
        this.finishReason = part.finishReason;
        this.reported = part.usage;
        this.providerMetadata = part.providerMetadata;
        this.ended = true;
        return false;
      default:
        return true;
    }
  }

  /** The provider finished: the attempt's success, the result, and the router's `finish` part. */
  private complete(): IteratorResult<StreamPart> {
    const { runtime, context, opened, warnings, revisions, text, finishReason } = this;
    const { turn, retry, startedAt } = opened;
    const { provider } = turn;
    const latencyMs = performance.now() - startedAt;
    if (revisions > 0) {
      // Visible to a caller who iterated plain text, which cannot take text back.
      warnings.push({
        type: 'other',
        message: `${provider.name} revised text it had already streamed (${revisions} time${revisions === 1 ? '' : 's'}); result.text is the final text, the parts carry each text-revision`,
      });
    }
    const usage = resolveUsage(this.reported, context.request.messages, text);
    const cost = computeCost(usage, runtime.pricingFor(provider));
    this.recorded = true;
    const ttftMs = opened.value.ttftMs;
    recordSuccess(runtime, context, turn, {
      retry,
      latencyMs,
      ttftMs,
      usage,
      cost,
      finishReason,
      response: this.response,
    });
    const result: RouteResult = {
      requestId: context.requestId,
      text,
      toolCalls: this.toolCalls,
      provider: provider.name,
      model: provider.model,
      usage,
      cost,
      finishReason,
      latencyMs: performance.now() - context.startedAt,
      ttftMs,
      attempts: context.attempts,
      warnings,
      response: this.response,
      providerMetadata: this.providerMetadata,
    };
    // Everything that ends the request happens before the last part: a consumer may stop at `finish`.
    this.release();
    this.delivered = true;
    this.phase = 'finished';
    this.settle.resolve(result);
    runtime.events.emit('route-end', {
      requestId: context.requestId,
      streaming: true,
      success: true,
      provider: provider.name,
      model: provider.model,
      latencyMs: result.latencyMs,
      ...routeEndCounts(context),
    });
    return { done: false, value: { type: 'finish', finishReason, usage } };
  }

  /** A committed stream failed (or broke the part contract): recorded, the request ended, the error thrown. */
  private fail(raw: unknown): never {
    if (this.delivered) throw raw;
    const interrupted = this.recorded
      ? raw
      : recordInterruption(this.runtime, this.context, this.opened, this.text, this.reported, raw);
    this.recorded = true;
    this.release();
    this.delivered = true;
    this.phase = 'closed';
    this.settle.reject(interrupted);
    emitRouteFailure(this.runtime, this.context, interrupted);
    if (!this.ended) this.closeProvider();
    throw interrupted;
  }

  /** The consumer stopped: before reading (nothing ran), while committed (cancelled), or after the end. */
  private readonly close = async (): Promise<IteratorResult<StreamPart>> => {
    const { phase } = this;
    this.phase = 'closed';
    if (phase === 'new') {
      this.delivered = true;
      this.settle.reject(new LlmoError({ message: 'The stream was closed before it was read.' }));
      return DONE;
    }
    if (phase !== 'open') return DONE;
    this.release();
    if (this.recorded) {
      if (!this.ended) this.closeProvider();
      return DONE;
    }
    // The consumer stopped early: close the provider stream and count the attempt as cancelled.
    const { runtime, context, opened } = this;
    const { turn, retry, startedAt } = opened;
    this.recorded = true;
    this.closeProvider();
    const error = new ProviderError({
      kind: 'cancelled',
      provider: turn.provider.name,
      message: 'Stream closed by the consumer',
    });
    endTurn(turn, 'caller-fault');
    recordError(
      runtime,
      context,
      turn,
      { error, fault: 'caller' },
      {
        retry,
        latencyMs: performance.now() - startedAt,
        ttftMs: opened.value.ttftMs,
        willRetry: false,
        consumed: consumedSoFar(runtime, context, turn.provider, this.reported, this.text),
      },
    );
    this.delivered = true;
    this.settle.reject(new LlmoError({ message: 'The stream was closed before it finished.', cause: error }));
    emitRouteFailure(runtime, context, error);
    return DONE;
  };

  private closeProvider(): void {
    const { iterator } = this.opened.value;
    void Promise.resolve(iterator.return?.()).catch(() => {});
  }

  /** Ends the request's work: timers, the caller-signal listener, the router's in-flight count. */
  private release(): void {
    this.opened.scope.dispose();
    this.context.dispose();
    this.hooks.done();
  }
}

/** A committed stream failed: the verdict, the attempt's record, and the error the caller gets. */
function recordInterruption(
  runtime: RouterRuntime,
  context: RequestContext,
  opened: AttemptSuccess<OpenedStream>,
  text: string,
  reported: ProviderUsage | undefined,
  raw: unknown,
): StreamInterruptedError {
  const { turn, retry, startedAt, scope } = opened;
  const judged = judgeError(raw, turn.provider, context, scope.timedOut);
  endTurn(turn, judged.fault === 'caller' ? 'caller-fault' : 'provider-fault');
  recordError(runtime, context, turn, judged, {
    retry,
    latencyMs: performance.now() - startedAt,
    ttftMs: opened.value.ttftMs,
    willRetry: false,
    consumed: consumedSoFar(runtime, context, turn.provider, reported, text),
  });
  return new StreamInterruptedError({
    provider: turn.provider.name,
    textSoFar: text,
    kind: judged.error.kind,
    attempts: context.attempts,
    cause: judged.error,
  });
}

/**
 * What a committed stream consumed when it ends without finishing (it broke off, or the consumer stopped): the
 * prompt was read and the text so far generated, and the upstream bills them. The provider's own count when it
 * sent one, else estimated (and marked so); the usage record carries it rather than zero.
 */
function consumedSoFar(
  runtime: RouterRuntime,
  context: RequestContext,
  provider: ProviderV1,
  reported: ProviderUsage | undefined,
  text: string,
): { usage: TokenUsage; cost: { amount: number; currency: string; known: boolean } } {
  const usage = resolveUsage(reported, context.request.messages, text);
  return { usage, cost: computeCost(usage, runtime.pricingFor(provider)) };
}
