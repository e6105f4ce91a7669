/** The names the AI SDK's `isAbortError` takes as "the caller stopped the call" (not a failure). */
const ABORT_NAMES = new Set(['AbortError', 'ResponseAborted', 'TimeoutError']);

/**
 * The error a model must reject (or error its stream) with when the caller's signal aborted the call: the AI
 * SDK recognises an abort only by the error's name, and only then emits an `abort` part, runs `onAbort` and
 * rejects `generateText` with an `AbortError`. llmo's own error (a `RouteFailedError`, a
 * `StreamInterruptedError` of kind `cancelled`) is kept as the `cause`, with the attempts the router recorded.
 *
 * The signal's reason is used when it already is such an error (`controller.abort()` gives a DOMException
 * `AbortError`, `AbortSignal.timeout()` a `TimeoutError`), so the caller gets back what it aborted with.
 */
export function toAbortError(signal: AbortSignal, cause: unknown): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && ABORT_NAMES.has(reason.name)) return reason;
  const message =
    reason instanceof Error
      ? reason.message
      : reason === undefined
        ? 'The operation was aborted.'
        : String(reason);
  // The two-argument constructor is the one every runtime has; `cause` is set after, for the same reason.
  const error = new DOMException(message, 'AbortError');
  Object.defineProperty(error, 'cause', { value: cause, configurable: true, writable: true });
  return error;
}
