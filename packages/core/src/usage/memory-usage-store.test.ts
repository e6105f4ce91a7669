import { describe, expect, it } from 'vitest';
import { MemoryUsageStore } from './memory-usage-store.js';
import { usageRecord } from './usage.test-helper.js';

describe('MemoryUsageStore', () => {
  it('hands out records oldest first, keeps leased ones until ack, and takes released ones again first', () => {
    const store = new MemoryUsageStore();
    const records = Array.from({ length: 5 }, (_, i) => usageRecord(i));
    for (const r of records) store.add(r);
    const first = store.take(2);
    expect(first).toEqual(records.slice(0, 2));
    expect(store.size()).toBe(5);
    const second = store.take(10);
    expect(second).toEqual(records.slice(2));
    expect(store.take(1)).toEqual([]);
    store.ack(first.map((r) => r.id));
    expect(store.size()).toBe(3);
    store.release([second[1]!.id]);
    store.add(records[0]!);
    expect(store.take(10)).toEqual([second[1], records[0]]);
    store.ack(records.map((r) => r.id));
    expect(store.size()).toBe(0);
  });

  it('stays correct across many adds and takes (the consumed prefix is compacted)', () => {
    const store = new MemoryUsageStore();
    let next = 0;
    let taken = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 100; i++) store.add(usageRecord(next++));
      const batch = store.take(70);
      for (const r of batch) expect(r.requestId).toBe(`req-${taken++}`);
      store.ack(batch.map((r) => r.id));
    }
    expect(store.size()).toBe(next - taken);
  });
});
