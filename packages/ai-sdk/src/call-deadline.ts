import { ProviderError } from '@llmo/core/provider';

/**
 * The signal an AI SDK call gets: the caller's, plus `timeoutMs` until `settle()` (the answer, or the stream,
 * has arrived). Tells a timeout of ours from the caller's own abort, which must stay `cancelled`.
 */
export class CallDeadline {
  readonly signal: AbortSignal | undefined;
  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #unlink: (() => void) | undefined;
  #timedOut = false;

  constructor(
    private readonly provider: string,
    callerSignal: AbortSignal | undefined,
    private readonly timeoutMs: number | undefined,
  ) {
    if (timeoutMs === undefined) {
      this.signal = callerSignal;
      return;
    }
    this.signal = this.#controller.signal;
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#controller.abort(new Error(`no response within ${timeoutMs} ms`));
    }, timeoutMs);
    if (callerSignal) {
      const forward = () => this.#controller.abort(callerSignal.reason);
      callerSignal.addEventListener('abort', forward, { once: true });
      this.#unlink = () => callerSignal.removeEventListener('abort', forward);
    }
  }

  /** Stops the clock (the caller's abort still reaches the call). */
  settle(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
  }

  /** Releases the link to the caller's signal: the call is over. */
  dispose(): void {
    this.settle();
    this.#unlink?.();
  }

  /** A `timeout` error when our clock fired; undefined otherwise. */
  timeoutError(cause: unknown): ProviderError | undefined {
    if (!this.#timedOut) return undefined;
    return new ProviderError({
      kind: 'timeout',
      provider: this.provider,
      message: `${this.provider}: no response within ${this.timeoutMs} ms`,
      cause,
    });
  }
}
