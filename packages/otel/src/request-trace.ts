import type { RouteOptions } from '@llmo/core';
import {
  type Attributes,
  type Context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { ATTR, EVENT, genAiFinishReason } from './gen-ai-attributes.js';
import { inputMessagesJson, outputMessagesJson } from './gen-ai-messages.js';
import type { CallOutcome, TracedCall } from './traced-call.js';

/** Wall-clock milliseconds with sub-millisecond precision, as OpenTelemetry takes an explicit end time. */
export const now = (): number => performance.timeOrigin + performance.now();

export interface TraceSettings {
  tracer: Tracer;
  captureContent: boolean;
  /** `gen_ai.provider.name` of a router provider (by its llmo name), from its provider type. */
  providerNameOf: (provider: string) => string | undefined;
}

interface OpenAttempt {
  span: Span;
  provider: string;
}

/**
 * The spans of one routed request: the request span (INTERNAL) and one CLIENT span per attempt, its children.
 *
 * When the request was made through the patched `route`/`routeStream` (a `TracedCall` is present), the request
 * span and the answering attempt's span stay open past `route-end` until the call settles, so that they can carry
 * what only the answer knows (finish reasons, the model the provider reported, the response id, and the output
 * when content capture is on); their end times are still those of the router's events. Every path ends every
 * span: a call that never settles is finalised on the next macrotask after `route-end`.
 */
export class RequestTrace {
  readonly span: Span;
  readonly context: Context;
  #attempt: OpenAttempt | undefined;
  /** The answering attempt, kept open for the outcome. */
  #answered: { span: Span; endTime: number } | undefined;
  #previous: { provider: string; errorType: string } | undefined;
  #ended = false;
  #routeEndTime: number | undefined;

  constructor(
    private readonly settings: TraceSettings,
    requestId: string,
    streaming: boolean,
    candidates: readonly string[],
    parent: Context,
    private readonly call: TracedCall | undefined,
  ) {
    const attributes: Attributes = {
      [ATTR.operationName]: 'chat',
      [ATTR.requestId]: requestId,
      [ATTR.streaming]: streaming,
      [ATTR.candidates]: [...candidates],
      ...(call ? requestAttributes(call.options) : {}),
    };
    this.span = settings.tracer.startSpan('llmo.route', { kind: SpanKind.INTERNAL, attributes }, parent);
    this.context = trace.setSpan(parent, this.span);
    if (call && settings.captureContent && this.span.isRecording())
      this.span.setAttribute(ATTR.inputMessages, inputMessagesJson(call.prompt));
    if (call) call.onOutcome = (outcome) => this.#onOutcome(outcome);
  }

  attemptStart(provider: string, model: string, retry: number): void {
    this.#endOpenAttempt();
    if (retry > 0) {
      this.span.addEvent(EVENT.retry, { [ATTR.provider]: provider, [ATTR.retry]: retry });
    } else if (this.#previous && this.#previous.provider !== provider) {
      this.span.addEvent(EVENT.fallback, {
        [ATTR.fallbackFrom]: this.#previous.provider,
        [ATTR.fallbackTo]: provider,
        [ATTR.errorType]: this.#previous.errorType,
      });
    }
    const genAiProvider = this.settings.providerNameOf(provider);
    const span = this.settings.tracer.startSpan(
      `chat ${model}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [ATTR.operationName]: 'chat',
          [ATTR.requestModel]: model,
          [ATTR.provider]: provider,
          [ATTR.retry]: retry,
          ...(genAiProvider !== undefined
            ? { [ATTR.providerName]: genAiProvider, [ATTR.system]: genAiProvider }
            : {}),
          ...(this.call ? requestAttributes(this.call.options) : {}),
        },
      },
      this.context,
    );
    this.#attempt = { span, provider };
  }

  /**
   * The context with the open attempt's span active, for the router to run the provider call in (see
   * `wrapAttempts`): spans the provider's HTTP client makes become the attempt's children.
   */
  attemptContext(provider: string): Context | undefined {
    const attempt = this.#attempt;
    return attempt?.provider === provider ? trace.setSpan(this.context, attempt.span) : undefined;
  }

  firstChunk(provider: string, ttftMs: number): void {
    this.#attempt?.span.setAttribute(ATTR.ttftMs, ttftMs);
    this.span.addEvent(EVENT.firstChunk, { [ATTR.provider]: provider, [ATTR.ttftMs]: ttftMs });
  }

  attemptError(event: {
    provider: string;
    errorKind: string;
    callerFault: boolean;
    status?: number;
    latencyMs: number;
    willRetry: boolean;
    delayMs?: number;
  }): void {
    const attempt = this.#attempt;
    this.#attempt = undefined;
    this.#previous = { provider: event.provider, errorType: event.errorKind };
    if (!attempt) return;
    attempt.span.setAttributes({
      [ATTR.errorType]: event.errorKind,
      [ATTR.callerFault]: event.callerFault,
      [ATTR.willRetry]: event.willRetry,
      [ATTR.latencyMs]: event.latencyMs,
      ...(event.status !== undefined ? { [ATTR.httpStatusCode]: event.status } : {}),
      ...(event.delayMs !== undefined ? { [ATTR.retryDelayMs]: event.delayMs } : {}),
    });
    attempt.span.setStatus({ code: SpanStatusCode.ERROR, message: event.errorKind });
    attempt.span.end();
  }

  attemptSkipped(provider: string, reason: string): void {
    this.span.addEvent(EVENT.skipped, { [ATTR.provider]: provider, [ATTR.skipReason]: reason });
    this.#previous = { provider, errorType: reason };
  }

  attemptEnd(event: {
    latencyMs: number;
    ttftMs?: number;
    usage: { promptTokens: number; completionTokens: number; estimated: boolean };
    cost: { amount: number; currency: string };
    model: string;
  }): void {
    const attempt = this.#attempt;
    this.#attempt = undefined;
    if (!attempt) return;
    const usage: Attributes = {
      [ATTR.usageInputTokens]: event.usage.promptTokens,
      [ATTR.usageOutputTokens]: event.usage.completionTokens,
      [ATTR.usageEstimated]: event.usage.estimated,
      [ATTR.costAmount]: event.cost.amount,
      [ATTR.costCurrency]: event.cost.currency,
    };
    attempt.span.setAttributes({
      ...usage,
      [ATTR.responseModel]: event.model,
      [ATTR.latencyMs]: event.latencyMs,
      ...(event.ttftMs !== undefined ? { [ATTR.ttftMs]: event.ttftMs } : {}),
    });
    // The request span reports the answer: the answering attempt's tokens and cost.
    this.span.setAttributes(usage);
    if (this.call && !this.call.settled) this.#answered = { span: attempt.span, endTime: now() };
    else attempt.span.end();
  }

  routeEnd(event: {
    success: boolean;
    provider?: string;
    model?: string;
    latencyMs: number;
    attempts: number;
    fallbacks: number;
    retries: number;
    errorKind?: string;
  }): void {
    this.#endOpenAttempt();
    const genAiProvider =
      event.provider !== undefined ? this.settings.providerNameOf(event.provider) : undefined;
    this.span.setAttributes({
      [ATTR.latencyMs]: event.latencyMs,
      [ATTR.attempts]: event.attempts,
      [ATTR.fallbacks]: event.fallbacks,
      [ATTR.retries]: event.retries,
      ...(event.provider !== undefined ? { [ATTR.provider]: event.provider } : {}),
      ...(event.model !== undefined ? { [ATTR.responseModel]: event.model } : {}),
      ...(genAiProvider !== undefined
        ? { [ATTR.providerName]: genAiProvider, [ATTR.system]: genAiProvider }
        : {}),
    });
    if (!event.success) {
      this.span.setAttribute(ATTR.errorType, event.errorKind ?? '_OTHER');
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: event.errorKind ?? 'failed' });
    }
    this.#routeEndTime = now();
    if (event.success && this.call && !this.call.settled) {
      // The outcome follows within microtasks (route() resolving, the stream's `finish` part): wait for it,
      // but never past the next macrotask.
      setTimeout(() => this.#finish(undefined), 0);
      return;
    }
    this.#finish(undefined);
  }

  /** Ends whatever is open (the router closed, or the trace is being dropped). */
  abandon(reason: string): void {
    this.#endOpenAttempt(reason);
    if (!this.#ended) this.span.setAttribute(ATTR.errorType, reason);
    this.#finish(undefined);
  }

  #onOutcome(outcome: CallOutcome | undefined): void {
    if (this.#routeEndTime !== undefined) this.#finish(outcome);
    else if (outcome) this.#pending = outcome; // a stream's finish part is read before route-end returns
  }

  #pending: CallOutcome | undefined;

  #finish(outcome: CallOutcome | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    const result = outcome ?? this.#pending;
    if (result) {
      const answer: Attributes = {
        [ATTR.responseFinishReasons]: [genAiFinishReason(result.finishReason)],
        ...(result.responseModel !== undefined ? { [ATTR.responseModel]: result.responseModel } : {}),
        ...(result.responseId !== undefined ? { [ATTR.responseId]: result.responseId } : {}),
      };
      this.span.setAttributes(answer);
      this.#answered?.span.setAttributes(answer);
      if (this.settings.captureContent && this.span.isRecording()) {
        this.span.setAttribute(
          ATTR.outputMessages,
          outputMessagesJson(result.text, result.toolCalls, genAiFinishReason(result.finishReason)),
        );
      }
    }
    this.#answered?.span.end(this.#answered.endTime);
    this.#answered = undefined;
    this.span.end(this.#routeEndTime);
  }

  #endOpenAttempt(errorType?: string): void {
    const attempt = this.#attempt;
    if (!attempt) return;
    this.#attempt = undefined;
    if (errorType) {
      attempt.span.setAttribute(ATTR.errorType, errorType);
      attempt.span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
    }
    attempt.span.end();
  }
}

/** The request's settings as `gen_ai.request.*` attributes (never its content). */
function requestAttributes(options: RouteOptions): Attributes {
  const attributes: Attributes = {};
  if (options.temperature !== undefined) attributes[ATTR.requestTemperature] = options.temperature;
  if (options.topP !== undefined) attributes[ATTR.requestTopP] = options.topP;
  if (options.maxTokens !== undefined) attributes[ATTR.requestMaxTokens] = options.maxTokens;
  if (options.stop !== undefined) attributes[ATTR.requestStopSequences] = [...options.stop];
  if (options.seed !== undefined) attributes[ATTR.requestSeed] = options.seed;
  const format = options.responseFormat?.type;
  if (format !== undefined) attributes[ATTR.outputType] = format === 'text' ? 'text' : 'json';
  return attributes;
}
