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
 * reads up to the first content part (the HTTP request happens there). It must call `run` once; what `run`
 * returns is the attempt's result whatever the wrapper returns. For context propagation: a tracer runs `run`
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
  let call = run;
  for (let i = wrappers.length - 1; i >= 0; i--)
    call = wrapOne(wrappers[i] as AttemptWrapper, info, call, warn);
  return call();
}

function wrapOne<T>(wrapper: AttemptWrapper, info: AttemptInfo, run: () => T, warn: WarningHandler): () => T {
  return () => {
    let called = false;
    let failed = false;
    let thrown: unknown;
    let result: T | undefined;
    const once = (): T => {
      if (!called) {
        called = true;
        try {
          result = run();
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
      wrapper(info, once);
    } catch (error) {
      // What `run` threw is the attempt's own error, passed on below; anything else is the wrapper's fault.
      if (!failed || error !== thrown) problem = `An attempt wrapper threw: ${String(error)}`;
    }
    if (!called)
      problem = `${problem ?? 'An attempt wrapper did not call run()'}; the attempt ran without it.`;
    if (problem !== undefined) warn({ code: 'attempt-wrapper-failed', message: problem });
    return once();
  };
}
