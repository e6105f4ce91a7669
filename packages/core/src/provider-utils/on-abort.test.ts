import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { fail, fakeProvider, fastRetry } from '../router/fake-provider.test-helper.js';
import { Router } from '../router/router.js';
import { onAbort } from './on-abort.js';

const listeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

describe('onAbort', () => {
  it('one listener however many follow a signal; each follower called once; none left after', () => {
    const controller = new AbortController();
    const calls: unknown[] = [];
    const unlinks = Array.from({ length: 50 }, (_, i) =>
      onAbort(controller.signal, (reason) => calls.push([i, reason])),
    );
    expect(listeners(controller.signal)).toBe(1);
    unlinks[0]?.(); // stops following: not called
    unlinks[0]?.(); // idempotent
    controller.abort('stop');
    expect(calls).toHaveLength(49);
    expect(calls[0]).toEqual([1, 'stop']);
    expect(listeners(controller.signal)).toBe(0);
  });

  it('the listener goes when the last follower stops, and comes back for the next one', () => {
    const controller = new AbortController();
    const a = onAbort(controller.signal, () => {});
    const b = onAbort(controller.signal, () => {});
    a();
    expect(listeners(controller.signal)).toBe(1);
    b();
    expect(listeners(controller.signal)).toBe(0);
    let called = false;
    onAbort(controller.signal, () => {
      called = true;
    });
    expect(listeners(controller.signal)).toBe(1);
    controller.abort();
    expect(called).toBe(true);
  });
});

describe('many concurrent requests sharing one caller signal', () => {
  it('no MaxListenersExceededWarning, one listener while they run, none after; an abort cancels them all', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const router = new Router({ retry: fastRetry, onWarning: false }).addProvider(
        fakeProvider('p', (call) => (call < 3 ? { error: fail('server') } : { delayMs: 5 })),
      );
      const shared = new AbortController();
      // Some calls retry (a backoff sleep on the signal too), all follow the same signal.
      const done = Promise.all(
        Array.from({ length: 40 }, () => router.route('hi', { signal: shared.signal })),
      );
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(listeners(shared.signal)).toBeLessThanOrEqual(1);
      await done;
      expect(listeners(shared.signal)).toBe(0);

      const slow = new Router({ retry: fastRetry, onWarning: false }).addProvider(
        fakeProvider('s', [{ delayMs: 10_000 }]),
      );
      const aborting = new AbortController();
      const pending = Array.from({ length: 30 }, () =>
        slow.route('hi', { signal: aborting.signal }).then(
          () => 'answered',
          (error: { kind?: string; name?: string }) => error.name ?? error.kind,
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 5));
      aborting.abort();
      const outcomes = await Promise.all(pending);
      expect(outcomes.every((o) => o !== 'answered')).toBe(true);
      expect(listeners(aborting.signal)).toBe(0);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
