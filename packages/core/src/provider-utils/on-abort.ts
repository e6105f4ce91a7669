/** The callbacks following one signal, behind its one listener. */
interface Followers {
  callbacks: Set<{ call: (reason: unknown) => void }>;
  listener: () => void;
}

const followed = new WeakMap<AbortSignal, Followers>();

/**
 * Calls `callback` once when `signal` aborts; returns the function that stops following it. However many
 * calls follow one signal at once, it carries one listener: an application that passes the same signal to
 * many concurrent requests (a shutdown signal, a request-scoped one shared by parallel calls) would otherwise
 * pass Node's limit of 10 listeners and get a `MaxListenersExceededWarning` that names a leak which is not
 * one, and every call would pay for adding and removing an EventTarget listener. The listener is removed
 * when the last follower stops, so a long-lived signal keeps none between requests.
 */
export function onAbort(signal: AbortSignal, callback: (reason: unknown) => void): () => void {
  let followers = followed.get(signal);
  if (!followers) {
    const created: Followers = {
      callbacks: new Set(),
      listener: () => {
        followed.delete(signal);
        const callbacks = [...created.callbacks];
        created.callbacks.clear();
        for (const entry of callbacks) entry.call(signal.reason);
      },
    };
    followers = created;
    followed.set(signal, created);
    signal.addEventListener('abort', created.listener, { once: true });
  }
  const current = followers;
  const entry = { call: callback };
  current.callbacks.add(entry);
  return () => {
    if (!current.callbacks.delete(entry) || current.callbacks.size > 0) return;
    signal.removeEventListener('abort', current.listener);
    if (followed.get(signal) === current) followed.delete(signal);
  };
}
