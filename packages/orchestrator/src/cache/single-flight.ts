import { OrchestratorError } from '../errors/orchestrator-error.js';
import { throwIfAborted } from '../errors/throw-if-aborted.js';

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
  /** The caller that started the run stopped waiting (its signal aborted) before the run ended. */
  ownerLeft: boolean;
  /** A joined caller has taken the run over from the owner that left (`inherited`). */
  claimed: boolean;
}

/**
 * Coalesces concurrent calls with the same key into one run. The run gets its own signal, aborted only when
 * every caller waiting on it has given up, so one caller's abort never fails the others; each caller still
 * stops waiting at once when its own signal aborts.
 */
export class SingleFlight<T> {
  readonly #flights = new Map<string, Flight<T>>();

  /** Runs in flight, and callers waiting on them (a run's first caller included). */
  stats(): { flights: number; waiters: number } {
    let waiters = 0;
    for (const flight of this.#flights.values()) waiters += flight.waiters;
    return { flights: this.#flights.size, waiters };
  }

  /** Whether a run under `key` is in flight (a call now would join it). */
  has(key: string): boolean {
    return this.#flights.has(key);
  }

  /**
   * Resolves with the run's result, whether this call joined a run already in flight, and whether it inherited
   * the run: the first joined caller to get the result of a run whose owner left, so that what the run spent is
   * counted by someone (the owner's failure could not count it: the run had not ended).
   */
  async run(
    key: string,
    signal: AbortSignal | undefined,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<{ value: T; joined: boolean; inherited: boolean }> {
    throwIfAborted(signal);
    let flight = this.#flights.get(key);
    const joined = flight !== undefined;
    if (!flight) {
      const controller = new AbortController();
      const created: Flight<T> = {
        controller,
        waiters: 0,
        ownerLeft: false,
        claimed: false,
        promise: undefined as unknown as Promise<T>,
      };
      created.promise = (async () => {
        try {
          return await work(controller.signal);
        } finally {
          this.#flights.delete(key);
        }
      })();
      // A flight whose every waiter left still settles; nobody reads its rejection.
      created.promise.catch(() => {});
      this.#flights.set(key, created);
      flight = created;
    }
    flight.waiters++;
    const current = flight;
    try {
      const value = await waitFor(current.promise, signal);
      const inherited = joined && current.ownerLeft && !current.claimed;
      if (inherited) current.claimed = true;
      return { value, joined, inherited };
    } finally {
      current.waiters--;
      if (!joined && signal?.aborted) current.ownerLeft = true;
      if (current.waiters === 0 && signal?.aborted) current.controller.abort(signal.reason);
    }
  }
}

/** `promise`, or a `cancelled` error as soon as `signal` aborts; the listener is removed either way. */
export function waitFor<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(
        new OrchestratorError({
          code: 'cancelled',
          message: 'the request was aborted',
          cause: signal.reason,
        }),
      );
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
