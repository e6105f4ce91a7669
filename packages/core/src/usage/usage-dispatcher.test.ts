import { describe, expect, it, vi } from 'vitest';
import { RouterError } from '../errors/router-error.js';
import { MemoryUsageStore } from './memory-usage-store.js';
import { usageRecord } from './usage.test-helper.js';
import { UsageDispatcher } from './usage-dispatcher.js';
import type { UsageDeliveryEvent } from './usage-events.js';
import type { UsageRecord } from './usage-record.js';
import type { UsageStore } from './usage-store.js';

const quickRetry = { maxAttempts: 5, initialDelayMs: 1, maxDelayMs: 5 };

/** A promise with its resolve function outside. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('UsageDispatcher with a callback', () => {
  it('is disabled without a sink, and then does nothing', async () => {
    const d = new UsageDispatcher({});
    expect(d.enabled).toBe(false);
    d.deliver(usageRecord());
    await d.flush();
    expect(d.stats()).toEqual({ queued: 0, inFlight: 0, delivered: 0, retries: 0, dropped: 0, failed: 0 });
    expect(await d.close()).toEqual({ drained: true, pending: 0, delivered: 0, failed: 0, dropped: 0 });
  });

  it('delivers each record once, after the caller has gone on (a microtask later)', async () => {
    const got: UsageRecord[] = [];
    const d = new UsageDispatcher({ callback: (r) => void got.push(r) });
    const records = [usageRecord(1), usageRecord(2), usageRecord(3)];
    for (const r of records) d.deliver(r);
    expect(got).toEqual([]);
    await d.flush();
    expect(got).toEqual(records);
    expect(d.stats()).toMatchObject({ delivered: 3, queued: 0, inFlight: 0, failed: 0 });
  });

  it('gives a record without an id one', async () => {
    const got: UsageRecord[] = [];
    const d = new UsageDispatcher({ callback: (r) => void got.push(r) });
    d.deliver({ ...usageRecord(), id: '' });
    await d.flush();
    expect(got[0]?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('retries a failing callback with the same record (same id) until it succeeds', async () => {
    const ids: string[] = [];
    let calls = 0;
    const d = new UsageDispatcher({
      retry: quickRetry,
      callback: (r) => {
        ids.push(r.id);
        if (++calls < 3) throw new Error('billing down');
      },
    });
    const record = usageRecord();
    d.deliver(record);
    await d.flush();
    expect(ids).toEqual([record.id, record.id, record.id]);
    expect(d.stats()).toMatchObject({ delivered: 1, retries: 2, failed: 0 });
  });

  it('times out a callback that never settles, counts it as a failed try and retries', async () => {
    let calls = 0;
    const d = new UsageDispatcher({
      timeoutMs: 20,
      retry: quickRetry,
      callback: () => (++calls === 1 ? new Promise<void>(() => {}) : Promise.resolve()),
    });
    d.deliver(usageRecord());
    await d.flush();
    expect(calls).toBe(2);
    expect(d.stats()).toMatchObject({ delivered: 1, retries: 1, failed: 0 });
  });

  it('gives a record up after the retry budget, and says so (event, count, one warning)', async () => {
    const events: UsageDeliveryEvent[] = [];
    const warnings: { code: string; message: string }[] = [];
    let calls = 0;
    const d = new UsageDispatcher({
      retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 },
      callback: () => {
        calls++;
        return Promise.reject(new Error('billing down'));
      },
      onEvent: (e) => events.push(e),
      warn: (w) => warnings.push(w),
    });
    const record = usageRecord();
    d.deliver(record);
    await d.flush();
    expect(calls).toBe(3);
    expect(events).toEqual([
      {
        type: 'usage-failed',
        reason: 'retries-exhausted',
        record,
        attempts: 3,
        message: 'the usage callback failed: billing down',
      },
    ]);
    expect(d.stats()).toMatchObject({ delivered: 0, retries: 2, failed: 1 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'usage-delivery-failed' });
    expect(warnings[0]?.message).toMatch(/Usage record for a was not delivered: .*billing down \(3 tries/);
  });

  it('does not retry an error marked retryable: false', async () => {
    let calls = 0;
    const events: UsageDeliveryEvent[] = [];
    const d = new UsageDispatcher({
      retry: quickRetry,
      callback: () => {
        calls++;
        throw Object.assign(new Error('invalid record'), { retryable: false });
      },
      onEvent: (e) => events.push(e),
    });
    d.deliver(usageRecord());
    await d.flush();
    expect(calls).toBe(1);
    expect(events[0]).toMatchObject({ type: 'usage-failed', reason: 'rejected', attempts: 1 });
  });

  it('warns on the 1st, 10th and 100th failure only, never per record', async () => {
    const warnings: string[] = [];
    const d = new UsageDispatcher({
      // Short gates: a sink failing everything is paced, and 120 records go through ~30 gate openings.
      retry: { maxAttempts: 1, initialDelayMs: 1, maxDelayMs: 1 },
      callback: () => Promise.reject(new Error('no')),
      warn: (w) => warnings.push(w.message),
    });
    for (let i = 0; i < 120; i++) d.deliver(usageRecord(i));
    await d.flush();
    expect(d.stats().failed).toBe(120);
    expect(warnings.map((w) => /(\d+) not delivered so far/.exec(w)?.[1])).toEqual(['1', '10', '100']);
  });

  it('keeps at most `concurrency` callbacks running', async () => {
    let running = 0;
    let most = 0;
    const d = new UsageDispatcher({
      concurrency: 3,
      callback: async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 1));
        running--;
      },
    });
    for (let i = 0; i < 50; i++) d.deliver(usageRecord(i));
    await d.flush();
    expect(most).toBe(3);
    expect(d.stats().delivered).toBe(50);
  });

  it('retries a failed batch at once, before new ones, when the sink fails only now and then (no slot held for a backoff)', async () => {
    const calls: string[] = [];
    const failOnce = new Set(['req-0', 'req-3']);
    const d = new UsageDispatcher({
      concurrency: 1,
      // A backoff per batch (the old design) would park the only slot for 30 s here.
      retry: { maxAttempts: 5, initialDelayMs: 60_000, maxDelayMs: 60_000 },
      random: () => 0.5,
      callback: (r) => {
        calls.push(r.requestId);
        if (failOnce.delete(r.requestId)) throw new Error('blip');
      },
    });
    for (let i = 0; i < 5; i++) d.deliver(usageRecord(i));
    await d.flush();
    expect(calls).toEqual(['req-0', 'req-0', 'req-1', 'req-2', 'req-3', 'req-3', 'req-4']);
    expect(d.stats()).toMatchObject({ delivered: 5, retries: 2, failed: 0 });
  });

  it('after 3 failures in a row holds every try back until the gate opens: untried records spend no attempt; close() puts back the waiting batch', async () => {
    const store = new MemoryUsageStore();
    const calls: string[] = [];
    const d = new UsageDispatcher({
      store,
      concurrency: 2,
      retry: { maxAttempts: 20, initialDelayMs: 60_000, maxDelayMs: 60_000 },
      random: () => 1,
      callback: (r) => {
        calls.push(r.requestId);
        throw new Error('down');
      },
    });
    for (let i = 0; i < 6; i++) d.deliver(usageRecord(i));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Two tries and their retries (started before the 3rd failure), then the gate (60 s): no other try.
    expect(calls).toEqual(['req-0', 'req-1', 'req-0', 'req-1']);
    expect(d.stats()).toMatchObject({ queued: 4, inFlight: 2, retries: 4, delivered: 0, failed: 0 });
    const report = await d.close({ timeoutMs: 30 });
    expect(report).toEqual({ drained: false, pending: 6, delivered: 0, failed: 0, dropped: 0 });
    expect(calls).toHaveLength(4);
    expect(store.size()).toBe(6);
    expect(store.take(6).map((r) => r.requestId)).toHaveLength(6);
    // That close() clears the gate's timer is asserted in sink-pacer.test.ts, without counting the
    // process's timers (other work in the same process would make that count flaky).
  });

  it('a full queue drops new records and tells: event, count, warning; nothing silent', async () => {
    const events: UsageDeliveryEvent[] = [];
    const warnings: string[] = [];
    const held = gate();
    const d = new UsageDispatcher({
      maxQueueSize: 5,
      concurrency: 1,
      callback: () => held.opened,
      onEvent: (e) => events.push(e),
      warn: (w) => warnings.push(w.code),
    });
    const records = Array.from({ length: 8 }, (_, i) => usageRecord(i));
    for (const r of records) d.deliver(r);
    expect(d.stats()).toMatchObject({ queued: 5, dropped: 3 });
    expect(events).toEqual(
      records.slice(5).map((record) => ({
        type: 'usage-dropped',
        reason: 'queue-full',
        record,
        message: expect.stringMatching(/queue is full \(5 records held/),
      })),
    );
    expect(warnings).toEqual(['usage-dropped']);
    held.open();
    await d.flush();
    expect(d.stats()).toMatchObject({ delivered: 5, dropped: 3, queued: 0, inFlight: 0 });
  });

  it('batchCallback receives batches; a per-record callback one record per call', async () => {
    const batches: number[] = [];
    const d = new UsageDispatcher({
      batchSize: 10,
      maxBatchWaitMs: 5,
      concurrency: 1,
      batchCallback: (records) => void batches.push(records.length),
    });
    for (let i = 0; i < 25; i++) d.deliver(usageRecord(i));
    await d.flush();
    expect(batches.reduce((a, b) => a + b, 0)).toBe(25);
    expect(Math.max(...batches)).toBe(10);

    const single: UsageRecord[] = [];
    const one = new UsageDispatcher({ batchSize: 10, callback: (r) => void single.push(r) });
    for (let i = 0; i < 3; i++) one.deliver(usageRecord(i));
    await one.flush();
    expect(single).toHaveLength(3);
  });

  it('flush waits for the records queued before it, not for later ones', async () => {
    const done: string[] = [];
    const never = gate();
    const d = new UsageDispatcher({
      callback: async (r) => {
        if (r.requestId === 'req-2') await never.opened;
        await new Promise((resolve) => setTimeout(resolve, 5));
        done.push(r.requestId);
      },
    });
    d.deliver(usageRecord(1));
    const flushed = d.flush();
    d.deliver(usageRecord(2));
    await flushed;
    expect(done).toEqual(['req-1']);
    never.open();
    await d.flush();
    expect(done).toEqual(['req-1', 'req-2']);
  });

  it('close() drains, then refuses new records as dropped with reason closed', async () => {
    const got: UsageRecord[] = [];
    const events: UsageDeliveryEvent[] = [];
    const d = new UsageDispatcher({
      callback: async (r) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        got.push(r);
      },
      onEvent: (e) => events.push(e),
    });
    d.deliver(usageRecord(1));
    d.deliver(usageRecord(2));
    const report = await d.close({ timeoutMs: 5_000 });
    expect(report).toEqual({ drained: true, pending: 0, delivered: 2, failed: 0, dropped: 0 });
    expect(got).toHaveLength(2);
    const late = usageRecord(3);
    d.deliver(late);
    expect(events).toEqual([
      { type: 'usage-dropped', reason: 'closed', record: late, message: expect.stringMatching(/closed/) },
    ]);
    expect(d.stats().dropped).toBe(1);
    expect(await d.close()).toBe(report);
  });

  it('close() with a sink that never answers reports drained: false at its timeout and leaves records in the store', async () => {
    const store = new MemoryUsageStore();
    const d = new UsageDispatcher({
      store,
      timeoutMs: 60_000,
      callback: () => new Promise<void>(() => {}),
    });
    for (let i = 0; i < 6; i++) d.deliver(usageRecord(i));
    const report = await d.close({ timeoutMs: 50 });
    expect(report).toEqual({ drained: false, pending: 6, delivered: 0, failed: 0, dropped: 0 });
    await d.flush(); // stopped: returns at once instead of hanging
    expect(store.size()).toBe(6);
  });

  it('leaves no timer behind when idle', async () => {
    // Fake timers: only the dispatcher's are counted (vitest's own real timers would make a count flaky).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
    let calls = 0;
    const d = new UsageDispatcher({
      batchSize: 4,
      maxBatchWaitMs: 5,
      timeoutMs: 1_000,
      retry: quickRetry,
      batchCallback: async () => {
        if (++calls === 1) throw new Error('once');
      },
    });
    for (let i = 0; i < 10; i++) d.deliver(usageRecord(i));
    const flushed = d.flush();
    await vi.runAllTimersAsync();
    await flushed;
    expect(d.stats()).toMatchObject({ delivered: 10, retries: 1 });
    expect(vi.getTimerCount()).toBe(0);
    vi.useRealTimers();
  });

  it('deliver() never throws, even when the event handler and the store do', async () => {
    const warnings: string[] = [];
    const broken: UsageStore = {
      add: () => {
        throw new Error('disk full');
      },
      take: () => [],
      ack: () => {},
      release: () => {},
      size: () => 0,
    };
    const d = new UsageDispatcher({
      store: broken,
      callback: () => {},
      onEvent: () => {
        throw new Error('handler bug');
      },
      warn: (w) => warnings.push(w.code),
    });
    expect(() => d.deliver(usageRecord())).not.toThrow();
    await d.flush();
    expect(d.stats()).toMatchObject({ dropped: 1 });
    expect(warnings).toEqual(['usage-event-listener-failed', 'usage-dropped']);
  });

  it('works with an asynchronous (durable-style) store and delivers what it held from an earlier run', async () => {
    const inner = new MemoryUsageStore();
    const leftover = usageRecord(0);
    inner.add(leftover);
    const later = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), 1));
    const store: UsageStore = {
      add: (r) => later(inner.add(r)),
      take: (n) => later(inner.take(n)),
      ack: (ids) => later(inner.ack(ids)),
      release: (ids) => later(inner.release(ids)),
      size: () => later(inner.size()),
    };
    const got: string[] = [];
    const d = new UsageDispatcher({ store, callback: (r) => void got.push(r.requestId) });
    d.deliver(usageRecord(1));
    d.deliver(usageRecord(2));
    const report = await d.close({ timeoutMs: 5_000 });
    expect(report).toMatchObject({ drained: true, pending: 0, delivered: 3 });
    expect(got.sort()).toEqual(['req-0', 'req-1', 'req-2']);
    expect(inner.size()).toBe(0);
  });

  it('rejects bad options with the fix, and two sinks at once', () => {
    expect(() => new UsageDispatcher({ callback: () => {}, concurrency: 0 })).toThrow(
      /concurrency: must be ≥ 1 \(concurrent deliveries, e\.g\. 4\)/,
    );
    expect(() => new UsageDispatcher({ callback: () => {}, url: 'http://x.example' })).toThrow(RouterError);
  });
});
