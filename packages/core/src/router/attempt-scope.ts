/**
 * The cancellation scope of one attempt (or of one request, for its deadline): one AbortController that
 * aborts when the parent signal does or the timeout fires, and a `race` that settles as soon as the scope
 * aborts, so a provider that ignores its signal cannot hang the router.
 *
 * Why not AbortSignal.any() plus a listener per awaited promise: profiling showed signal creation and
 * event listeners were most of the router's own cost; one controller per attempt and plain callbacks for
 * `race` cut route() overhead several-fold (see the package README's benchmark).
 */
export class AttemptScope {
  private readonly controller = new AbortController();
  private readonly cleanups: (() => void)[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private rejectPending: ((reason: unknown) => void) | undefined;
  /** True once the scope's own timeout fired. */
  timedOut = false;

  constructor(parent: AbortSignal | undefined, timeoutMs: number | undefined, timeoutReason?: () => unknown) {
    if (parent) {
      if (parent.aborted) this.abort(parent.reason);
      else {
        const onAbort = () => this.abort(parent.reason);
        parent.addEventListener('abort', onAbort, { once: true });
        this.cleanups.push(() => parent.removeEventListener('abort', onAbort));
      }
    }
    if (timeoutMs !== undefined && !this.signal.aborted) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.abort(timeoutReason?.() ?? new Error(`timed out after ${timeoutMs} ms`));
      }, timeoutMs);
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(reason: unknown): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
    const reject = this.rejectPending;
    this.rejectPending = undefined;
    reject?.(reason);
  }

  /** Settles with `promise`, or rejects with the abort reason as soon as the scope aborts. */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.signal.aborted) {
      promise.catch(() => {});
      return Promise.reject(this.signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      this.rejectPending = reject;
      promise.then(
        (value) => {
          this.rejectPending = undefined;
          resolve(value);
        },
        (error: unknown) => {
          this.rejectPending = undefined;
          reject(error);
        },
      );
    });
  }

  /** Stops the timeout but keeps following the parent (a committed stream outlives its first-chunk timeout). */
  stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.idle = undefined;
  }

  private idle: { ms: number; reason: () => unknown; since: number; waiting: boolean } | undefined;

  /**
   * Replaces the timeout by an idle timeout: the scope aborts when a wait between `waitStarted()` and
   * `waitEnded()` lasts `ms`. Time the consumer spends between two reads does not count. One timer, re-armed
   * lazily when it fires early, rather than a new timer per chunk.
   */
  startIdleTimeout(ms: number, reason: () => unknown): void {
    this.stopTimer();
    this.idle = { ms, reason, since: 0, waiting: false };
  }

  waitStarted(): void {
    const idle = this.idle;
    if (!idle) return;
    idle.since = Date.now();
    idle.waiting = true;
    if (this.timer === undefined) this.armIdle(idle.ms);
  }

  waitEnded(): void {
    if (this.idle) this.idle.waiting = false;
  }

  private armIdle(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const idle = this.idle;
      if (!idle?.waiting) return;
      const waited = Date.now() - idle.since;
      if (waited < idle.ms) {
        this.armIdle(idle.ms - waited);
        return;
      }
      this.timedOut = true;
      this.abort(idle.reason());
    }, ms);
  }

  dispose(): void {
    this.stopTimer();
    for (const cleanup of this.cleanups) cleanup();
    this.cleanups.length = 0;
  }
}
