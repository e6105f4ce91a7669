import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SinkPacer } from './sink-pacer.js';

// Fake timers: only the pacer's are counted (vitest's own real timers would make a count flaky), and a
// closed gate cannot open early because the machine stalled.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});
const timers = () => vi.getTimerCount();

/** A pacer whose backoff is always its full ceiling; `draws` counts backoffs drawn (gate closings). */
function pacer(policy = { maxAttempts: 20, initialDelayMs: 60_000, maxDelayMs: 600_000 }) {
  const counts = { draws: 0, opened: 0 };
  const p = new SinkPacer(
    policy,
    () => {
      counts.draws++;
      return 1;
    },
    () => counts.opened++,
  );
  return { p, counts };
}

describe('SinkPacer', () => {
  it('stays open below 3 failures in a row, closes at the 3rd, and a delivery reopens it and resets the count', () => {
    const { p } = pacer();
    p.failed(p.epoch);
    p.failed(p.epoch);
    expect(p.mayStart()).toBe(true);
    p.failed(p.epoch);
    expect(p.closedForMs).toBeGreaterThan(50_000);
    const before = timers();
    expect(p.mayStart()).toBe(false);
    expect(p.mayStart()).toBe(false);
    expect(timers()).toBe(before + 1); // one gate timer, however often it is asked
    p.succeeded();
    expect(p.mayStart()).toBe(true);
    expect(timers()).toBe(before);
    p.failed(p.epoch);
    p.failed(p.epoch);
    expect(p.consecutiveFailures).toBe(2);
    expect(p.mayStart()).toBe(true);
  });

  it('grows the backoff once per closing: failures of tries started before it do not close it again', () => {
    const { p, counts } = pacer({ maxAttempts: 20, initialDelayMs: 1_000, maxDelayMs: 600_000 });
    // Four tries started together at an open gate, all failing (a sink that is down).
    const together = p.epoch;
    for (let i = 0; i < 4; i++) p.failed(together);
    expect(counts.draws).toBe(1);
    expect(p.closedForMs).toBeLessThanOrEqual(1_000);
    // The tries of the next opening: the first failure doubles the ceiling, the others only count.
    const next = p.epoch;
    for (let i = 0; i < 4; i++) p.failed(next);
    expect(counts.draws).toBe(2);
    expect(p.closedForMs).toBeGreaterThan(1_000);
    expect(p.closedForMs).toBeLessThanOrEqual(2_000);
    expect(p.consecutiveFailures).toBe(8);
    p.cancel();
  });

  it('closes for a Retry-After even below the threshold, capped at maxDelayMs, and a delivery does not reopen it', () => {
    const { p, counts } = pacer({ maxAttempts: 20, initialDelayMs: 10, maxDelayMs: 30_000 });
    p.failed(p.epoch, 3_600_000);
    expect(counts.draws).toBe(0);
    expect(p.closedForMs).toBeGreaterThan(29_000);
    expect(p.closedForMs).toBeLessThanOrEqual(30_000);
    p.succeeded();
    expect(p.mayStart()).toBe(false);
    p.cancel();
    const zero = pacer().p;
    zero.failed(zero.epoch, 0);
    expect(zero.mayStart()).toBe(true);
  });

  it('calls onOpen when the gate opens, and keeps no timer after', async () => {
    const before = timers();
    let opened!: () => void;
    const open = new Promise<void>((resolve) => {
      opened = resolve;
    });
    const p = new SinkPacer({ maxAttempts: 20, initialDelayMs: 5, maxDelayMs: 5 }, () => 1, opened);
    for (let i = 0; i < 3; i++) p.failed(p.epoch);
    expect(p.mayStart()).toBe(false);
    await vi.advanceTimersByTimeAsync(5);
    await open;
    expect(p.mayStart()).toBe(true);
    expect(timers()).toBe(before);
  });
});
