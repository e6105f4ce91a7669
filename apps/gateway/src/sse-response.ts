import {
  estimatePromptTokens,
  estimateTokens,
  type Prompt,
  type RouteOptions,
  type RouteResult,
  readyPartsOf,
  type StreamCommitment,
  type StreamPart,
} from '@llmo/core';
import type { GatewayHttpError } from './gateway-http-error.js';
import type { RequestScope } from './request-scope.js';
import { toHttpError } from './to-http-error.js';

/** How one endpoint writes a routed stream as server-sent events (each string is one event's `data`). */
export interface SseRenderer {
  /** Events before the first part (e.g. OpenAI's role chunk). */
  start(): string[];
  /**
   * The event(s) for one part, or undefined to send nothing. `committed` names the provider the stream is
   * committed to (known from the first part on).
   */
  part(part: StreamPart, committed: StreamCommitment | undefined): string | readonly string[] | undefined;
  /** The closing events after a complete stream (finish, usage, `[DONE]`). */
  end(result: RouteResult): string[];
  /** The events for a failure after the stream began. */
  error(error: GatewayHttpError): string[];
}

const encoder = new TextEncoder();
const frame = (data: string) => `data: ${data}\n\n`;
const event = (data: string) => encoder.encode(frame(data));

const TURN = Symbol('turn');
/** Resolves on the next event-loop turn, after every microtask now queued (setImmediate on Node). */
const nextTurn = () =>
  new Promise<typeof TURN>((resolve) => {
    const later = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
    if (later) later(() => resolve(TURN));
    else setTimeout(() => resolve(TURN), 0);
  });

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/**
 * Routes a stream and answers it as SSE. The first part is awaited before the status is sent, so a request
 * that fails before any output (every provider down, a bad request) gets its proper status and JSON error,
 * like a non-streaming one. After that, the body is pulled part by part (backpressure: a slow client slows
 * the upstream read, never fills memory); a client that disconnects cancels the body, which aborts the
 * routed stream and so the upstream request, and the router still emits the attempt's usage record.
 */
export async function sseResponse(
  scope: RequestScope,
  prompt: Prompt,
  options: RouteOptions,
  renderer: SseRenderer,
  headers: Record<string, string>,
): Promise<Response> {
  const controller = new AbortController();
  const signal = AbortSignal.any([scope.signal, controller.signal]);
  const stream = scope.stream(prompt, options, signal);
  const iterator = stream.parts[Symbol.asyncIterator]();
  // Parts the router has ready (the rest of one upstream read) are taken without a read or a race each.
  const takeReady = readyPartsOf(iterator);
  let first: IteratorResult<StreamPart>;
  try {
    first = await iterator.next();
  } catch (error) {
    scope.failed(error, true);
    throw error;
  }

  scope.deferred = true;
  // Tokens of a stream that ends early (client gone, upstream broken) are still charged to the key's tpm
  // window: the upstream's usage when it reported one, else the prompt estimate plus ~4 characters a token of
  // what was streamed. Without this, abandoned streams would be free and a key could exceed its tpm at will.
  let streamedChars = 0;
  let reportedTokens: number | undefined;
  const seen = (part: StreamPart) => {
    if (part.type === 'text-delta') streamedChars += part.delta.length;
    else if (part.type === 'tool-call-delta') streamedChars += part.argumentsDelta.length;
    else if (part.type === 'finish' && part.usage?.totalTokens !== undefined) {
      reportedTokens = part.usage.totalTokens;
    }
  };
  const chargePartial = () => {
    const promptTokens = typeof prompt === 'string' ? estimateTokens(prompt) : estimatePromptTokens(prompt);
    scope.charge(reportedTokens ?? promptTokens + Math.ceil(streamedChars / 4));
  };
  let pending: StreamPart | undefined = first.done ? undefined : first.value;
  /** A read begun by a pull that sent its batch before the read finished. */
  let started: Promise<IteratorResult<StreamPart>> | undefined;
  let finished = false;
  const close = (status: number, clientClosed = false) => {
    if (finished) return;
    finished = true;
    if (clientClosed) scope.line.client_closed = true;
    scope.finish(status);
  };

  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (const data of renderer.start()) c.enqueue(event(data));
    },
    async pull(c) {
      // Events of parts that arrive together (one network read upstream) go out in one write: a burst is
      // gathered until reading the next part would wait for a new event-loop turn, so a 10-chunk answer is
      // one or two socket writes, not ten, and nothing is held back longer than that one turn.
      let text = '';
      try {
        // Bounded: each pull sends at least one event or ends the stream.
        for (let i = 0; i < 256; i++) {
          let step: IteratorResult<StreamPart>;
          const ready = pending || started ? undefined : takeReady?.();
          if (pending) {
            step = { done: false, value: pending };
            pending = undefined;
          } else if (ready) {
            step = ready;
          } else {
            const read = started ?? iterator.next();
            started = undefined;
            if (text !== '') {
              const winner = await Promise.race([read, nextTurn()]);
              if (winner === TURN) {
                read.catch(() => {}); // read again (and its error seen) by the next pull
                started = read;
                c.enqueue(encoder.encode(text));
                return;
              }
              step = winner as IteratorResult<StreamPart>;
            } else {
              step = await read;
            }
          }
          if (step.done) {
            const result = await stream.result;
            scope.succeeded(result, true);
            for (const data of renderer.end(result)) text += frame(data);
            c.enqueue(encoder.encode(text));
            c.close();
            close(200);
            return;
          }
          seen(step.value);
          const data = renderer.part(step.value, stream.committed);
          if (typeof data === 'string') text += frame(data);
          else if (data !== undefined) for (const d of data) text += frame(d);
        }
        if (text !== '') c.enqueue(encoder.encode(text));
      } catch (error) {
        if (finished) return;
        // Aborted by the gateway's shutdown: the client is still there and gets a final error event.
        const clientGone = signal.aborted && !scope.shutdown;
        chargePartial();
        scope.failed(error, true);
        if (clientGone) {
          scope.line.error_kind = 'cancelled';
          close(499, true);
          return;
        }
        for (const data of renderer.error(scope.shutdown ?? toHttpError(error))) text += frame(data);
        c.enqueue(encoder.encode(text));
        c.close();
        close(200);
      }
    },
    async cancel() {
      // The client went away: stop the routed stream (and with it the upstream request). A read in progress
      // then fails with the router's cancellation (which names the provider) and writes the line; bounded wait.
      controller.abort();
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        iterator.return?.().catch(() => {}),
        new Promise((resolve) => {
          timer = setTimeout(resolve, 5_000);
        }),
      ]);
      clearTimeout(timer);
      if (!finished) {
        chargePartial();
        scope.failed(new DOMException('client closed', 'AbortError'), true);
        scope.line.error_kind = 'cancelled';
        close(499, true);
      }
    },
  });
  // The first part is out, so the router has committed to a provider (it falls back only before that): its
  // name and model go in the headers, as for a non-streaming answer. Attempts and cost are known only at the
  // end; the last event carries them.
  const committed = stream.committed;
  const answeredBy: Record<string, string> = committed
    ? { 'x-llmo-provider': committed.provider, 'x-llmo-model': committed.model }
    : {};
  return new Response(body, { status: 200, headers: { ...SSE_HEADERS, ...headers, ...answeredBy } });
}
