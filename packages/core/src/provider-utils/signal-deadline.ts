/**
 * When a signal will abort by itself at the latest (a router attempt's timeout), known to whoever made it. A
 * provider's call under such a signal needs no header timer of its own when the signal's deadline comes first:
 * it passes the signal straight to the transport instead of deriving a new one (an `AbortSignal` and a
 * listener cost about 11 µs per call on Node 20, a large part of what the router adds to a call).
 */
// A symbol-keyed property rather than a WeakMap: one entry per attempt in a WeakMap measured as a few µs per
// routed call (ephemeron bookkeeping in every GC), a property on the signal as nothing.
const DEADLINE = Symbol('llmo.signalDeadline');

/** Declares that `signal` aborts at `at` (`Date.now()` time) at the latest. */
export function setSignalDeadline(signal: AbortSignal, at: number): void {
  (signal as AbortSignal & { [DEADLINE]?: number })[DEADLINE] = at;
}

/** The time `signal` aborts by at the latest, when its maker declared one. */
export function signalDeadline(signal: AbortSignal): number | undefined {
  return (signal as AbortSignal & { [DEADLINE]?: number })[DEADLINE];
}
