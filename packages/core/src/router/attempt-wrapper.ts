import type { WarningHandler } from './warnings.js';

/** The attempt an `AttemptWrapper` runs around. */
export interface AttemptInfo {
  requestId: string;
  streaming: boolean;
  provider: string;
  model: string;
  /** 0 for the provider's first try in this request, 1… for its retries. */
  retry: number;
}

/**
 * Runs around each provider call the router makes (`router.wrapAttempts`): `generate()`, or `stream()` and its
 * reads up to the first content part (the HTTP request happens there). It must call `run` once, synchronously
 * (before any `await` of its own: what runs inside is the call's start, and the context it sets then is what
 * the call's async work inherits); what `run` returns is the attempt's result whatever the wrapper returns. It
 * may be async (its promise is watched, never left unhandled). For context propagation: a tracer runs `run`
 * inside the attempt span's context (`context.with(…, run)`), so the spans a provider's HTTP client makes are
 * children of the attempt, not of the request.
 */
export type AttemptWrapper = (info: AttemptInfo, run: () => unknown) => unknown;

/**
 * `run` inside every wrapper (the first added outermost). A wrapper that throws, or never calls `run`, cannot
 * break the request: the call runs anyway (once) and the router warns.
 */
export function runWrapped<T>(
  wrappers: readonly AttemptWrapper[],
  info: AttemptInfo,
  run: () => T,
  warn: WarningHandler,
): T {
  const report = reporter(wrappers, warn);
  let call = run;
  for (let i = wrappers.length - 1; i >= 0; i--)
    call = wrapOne(wrappers[i] as AttemptWrapper, { ...info }, call, report);
  return call();
}

const failures = new WeakMap<readonly AttemptWrapper[], number>();

/**
 * Reports a wrapper's failure on the 1st, 10th, 100th… time for these wrappers (a wrapper that fails on every
 * attempt must not flood the log).
 */
function reporter(wrappers: readonly AttemptWrapper[], warn: WarningHandler): (message: string) => void {
  return (message) => {
    const count = (failures.get(wrappers) ?? 0) + 1;
    failures.set(wrappers, count);
    if (Number.isInteger(Math.log10(count)))
      warn({ code: 'attempt-wrapper-failed', message, details: { occurrences: count } });
  };
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === 'object' || typeof value === 'function') &&
  value !== null &&
  typeof (value as { then?: unknown }).then === 'function';

function wrapOne<T>(
  wrapper: AttemptWrapper,
  info: AttemptInfo,
  run: () => T,
  report: (message: string) => void,
): () => T {
  return () => {
    let called = false;
    let failed = false;
    let thrown: unknown;
    let result: T | undefined;
    /** What the call's own promise rejected with: the same error coming back from an async wrapper is no fault. */
    const rejections = new Set<unknown>();
    const once = (): T => {
      if (!called) {
        called = true;
        try {
          result = run();
          if (isThenable(result)) result.then(undefined, (error: unknown) => rejections.add(error));
        } catch (error) {
          failed = true;
          thrown = error;
        }
      }
      if (failed) throw thrown;
      return result as T;
    };
    let problem: string | undefined;
    try {
      const returned = wrapper(info, once);
      if (isThenable(returned)) {
        // An async wrapper's promise: never left unhandled (it rejects with the call's error when the call
        // fails); anything else it rejects with is the wrapper's own fault.
        Promise.resolve(returned).then(undefined, (error: unknown) => {
          if (!rejections.has(error) && !(failed && error === thrown))
            report(`An attempt wrapper rejected: ${String(error)}`);
        });
      }
    } catch (error) {
      // What `run` threw is the attempt's own error, passed on below; anything else is the wrapper's fault.
      if (!failed || error !== thrown) problem = `An attempt wrapper threw: ${String(error)}`;
    }
    if (!called) {
      problem = `${problem ?? 'An attempt wrapper did not call run() before returning (it must, synchronously)'}; the attempt ran without it.`;
    }
    if (problem !== undefined) report(problem);
    return once();
  };
}
