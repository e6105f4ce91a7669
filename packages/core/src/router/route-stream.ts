import { LlmoError } from '../errors/llmo-error.js';
import { readyPartsOf, type StreamPart } from '../spec/stream-part.js';
import type { StreamCommitment, StreamSettle } from './execute-stream.js';
import type { RouteResult } from './route-result.js';

/**
 * What `routeStream()` returns: an async iterable of text deltas, which also exposes the typed parts
 * (`parts`) and a promise of the final result (`result`). The stream can be consumed once, as text or as
 * parts. Awaiting `result` alone consumes it in the background.
 */
export class RouteStream implements AsyncIterable<string> {
  private readonly resultPromise: Promise<RouteResult>;
  private resolve!: (result: RouteResult) => void;
  private reject!: (error: unknown) => void;
  private claimed = false;
  private commitment: StreamCommitment | undefined;
  private drainScheduled = false;

  constructor(private readonly start: (settle: StreamSettle) => AsyncIterator<StreamPart>) {
    this.resultPromise = new Promise<RouteResult>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Mark as handled: a caller who only iterates gets the error from the iterator, not an unhandled rejection.
    this.resultPromise.catch(() => {});
  }

  /**
   * Resolves with the same `RouteResult` as `route()` once the stream has ended; rejects if it failed.
   * If nothing starts iterating the stream by the next macrotask, reading `result` consumes it in the background.
   */
  get result(): Promise<RouteResult> {
    this.scheduleDrain();
    return this.resultPromise;
  }

  /**
   * The provider the stream is committed to, once its first part has been handed out (fallback happens only
   * before that); undefined until then, and for a stream that failed before committing. Lets a server put
   * the answering provider in its response headers before writing the body.
   */
  get committed(): StreamCommitment | undefined {
    return this.commitment;
  }

  /** The provider's typed parts (text deltas, tool calls…) ending with one `finish` part with full usage. */
  get parts(): AsyncIterable<StreamPart> {
    return { [Symbol.asyncIterator]: () => this.claim() };
  }

  /** Text deltas only. */
  get textStream(): AsyncIterable<string> {
    // An iterator over the parts' iterator rather than an async generator: one `.then` per part, not a resume.
    // Through `parts` (not `claim()` directly): whatever observes `parts` sees a text consumer's stream too.
    const parts = this.parts;
    return { [Symbol.asyncIterator]: () => textDeltas(parts[Symbol.asyncIterator]()) };
  }

  [Symbol.asyncIterator](): AsyncIterator<string> {
    return this.textStream[Symbol.asyncIterator]();
  }

  private claim(): AsyncIterator<StreamPart> {
    if (this.claimed) {
      throw new LlmoError({
        message:
          'This stream is already being consumed; iterate it once (as text, as parts, or by awaiting result).',
      });
    }
    this.claimed = true;
    return this.start({
      resolve: (result) => this.resolve(result),
      reject: (error) => this.reject(error),
      commit: (commitment) => {
        this.commitment = commitment;
      },
    });
  }

  private scheduleDrain(): void {
    if (this.drainScheduled || this.claimed) return;
    this.drainScheduled = true;
    setTimeout(() => {
      if (this.claimed) return;
      void (async () => {
        try {
          for await (const _ of this.parts) {
            // draining
          }
        } catch {
          // the result promise carries the error
        }
      })();
    }, 0);
  }
}

/**
 * The text deltas of a parts iterator; `return()` closes the parts. Parts the iterator has ready (see
 * `ReadyParts`) are skipped or taken without a promise each.
 */
function textDeltas(parts: AsyncIterator<StreamPart>): AsyncIterator<string> & ReadyText {
  const take = readyPartsOf(parts);
  const pick = (
    step: IteratorResult<StreamPart>,
  ): IteratorResult<string> | Promise<IteratorResult<string>> => {
    let current = step;
    while (true) {
      if (current.done) return { done: true, value: undefined };
      if (current.value.type === 'text-delta') return { done: false, value: current.value.delta };
      const ready = take?.();
      if (ready === undefined) return parts.next().then(pick);
      current = ready;
    }
  };
  const takeReady = (): IteratorResult<string> | undefined => {
    let step = take?.();
    while (step !== undefined) {
      if (step.done) return { done: true, value: undefined };
      if (step.value.type === 'text-delta') return { done: false, value: step.value.delta };
      step = take?.();
    }
    return undefined;
  };
  return {
    next: () => {
      let ready: IteratorResult<string> | undefined;
      try {
        ready = takeReady();
      } catch (error) {
        return Promise.reject(error);
      }
      return ready ? Promise.resolve(ready) : parts.next().then(pick);
    },
    takeReady,
    return: async () => {
      await parts.return?.();
      return { done: true, value: undefined };
    },
  };
}

/** `ReadyParts` for a text iterator: the next delta when it needs no read. */
interface ReadyText {
  takeReady(): IteratorResult<string> | undefined;
}
