import { onAbort } from '../provider-utils/on-abort.js';
import { setSignalDeadline } from '../provider-utils/signal-deadline.js';

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
  /** Races in progress (at most two: an attempt's, and a stream read inside it), rejected on abort. */
  private pending: ((reason: unknown) => void)[] | undefined;
  /** True once the scope's own timeout fired. */
  timedOut = false;

  constructor(parent: AbortSignal | undefined, timeoutMs: number | undefined, timeoutReason?: () => unknown) {
    if (parent) {
      if (parent.aborted) this.abort(parent.reason);
      // One listener on the caller's signal however many requests share it (see `onAbort`).
      else this.cleanups.push(onAbort(parent, (reason) => this.abort(reason)));
    }
    if (timeoutMs !== undefined && !this.signal.aborted) {
      // Providers under this signal skip a header timer that could only fire later (see signal-deadline.ts).
      setSignalDeadline(this.signal, Date.now() + timeoutMs);
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
    const pending = this.pending;
    this.pending = undefined;
    if (pending) for (const reject of pending) reject(reason);
    const slot = this.slotReject;
    this.slotResolve = this.slotReject = undefined;
    slot?.(reason);
  }

  /** Settles with `promise`, or rejects with the abort reason as soon as the scope aborts. */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.signal.aborted) {
      promise.catch(() => {});
      return Promise.reject(this.signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      if (!this.pending) this.pending = [];
      const pending = this.pending;
      pending.push(reject);
      const forget = () => {
        const index = pending.indexOf(reject);
        if (index !== -1) pending.splice(index, 1);
      };
      promise.then(
        (value) => {
          forget();
          resolve(value);
        },
        (error: unknown) => {
          forget();
          reject(error);
        },
      );
    });
  }

  private slotResolve: ((value: unknown) => void) | undefined;
  private slotReject: ((reason: unknown) => void) | undefined;
  private readonly onSlotValue = (value: unknown): void => {
    const resolve = this.slotResolve;
    this.slotResolve = this.slotReject = undefined;
    resolve?.(value);
  };
  private readonly onSlotError = (error: unknown): void => {
    const reject = this.slotReject;
    this.slotResolve = this.slotReject = undefined;
    reject?.(error);
  };

  /**
   * `race` for a loop that has one race in flight at a time (a committed stream's reads): its handlers are
   * made once per scope, not per call, which matters at one call per chunk.
   */
  raceOne<T>(promise: Promise<T>): Promise<T> {
    if (this.signal.aborted) {
      promise.catch(() => {});
      return Promise.reject(this.signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      this.slotResolve = resolve as (value: unknown) => void;
      this.slotReject = reject;
      promise.then(this.onSlotValue, this.onSlotError);
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
