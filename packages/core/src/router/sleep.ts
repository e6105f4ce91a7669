import { onAbort } from '../provider-utils/on-abort.js';

/** Waits `ms`, rejecting with the signal's reason as soon as it aborts (backoff sleeps stay cancellable). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!signal) {
      setTimeout(resolve, ms);
      return;
    }
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      unlink();
      resolve();
    }, ms);
    // One listener on the signal however many sleeps share it (see `onAbort`).
    const unlink = onAbort(signal, (reason) => {
      clearTimeout(timer);
      reject(reason);
    });
  });
}
