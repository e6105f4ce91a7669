import type { ErrorKind } from '@llmo/core';
import { createHistogram, merge, observe, quantile } from './log-histogram.js';

/** Currencies kept per bucket; a router prices in a handful (USD, RUB…), this only bounds a misconfiguration. */
const MAX_CURRENCIES = 16;

/** One time bucket of one provider. Slots are reused as time moves on, so memory is fixed at the capacity. */
class Bucket {
  /**
   * Absolute bucket number (`floor(ms / bucketMs)`); -Infinity when the slot has never been used (a window
   * that starts before the epoch has negative numbers, -1 included).
   */
  index = Number.NEGATIVE_INFINITY;
  requests = 0;
  errors = 0;
  callerErrors = 0;
  errorsByKind = new Map<ErrorKind, number>();
  latency: Uint32Array | undefined;
  latencyCount = 0;
  ttft: Uint32Array | undefined;
  ttftCount = 0;
  promptTokens = 0;
  completionTokens = 0;
  cost = new Map<string, number>();

  reset(index: number): void {
    this.index = index;
    this.requests = 0;
    this.errors = 0;
    this.callerErrors = 0;
    this.errorsByKind.clear();
    this.latency?.fill(0);
    this.latencyCount = 0;
    this.ttft?.fill(0);
    this.ttftCount = 0;
    this.promptTokens = 0;
    this.completionTokens = 0;
    this.cost.clear();
  }
}

/** What a bucket contributes to the snapshot's series. */
export interface BucketView {
  requests: number;
  errors: number;
  errorsByKind: ReadonlyMap<ErrorKind, number>;
  latencyP50: number | null;
  latencyP95: number | null;
  ttftP50: number | null;
  ttftP95: number | null;
  tokens: number;
  cost: ReadonlyMap<string, number>;
}

const EMPTY_BUCKET: BucketView = {
  requests: 0,
  errors: 0,
  errorsByKind: new Map(),
  latencyP50: null,
  latencyP95: null,
  ttftP50: null,
  ttftP95: null,
  tokens: 0,
  cost: new Map(),
};

/**
 * A provider's attempts over the history window, in a ring of `capacity` time buckets of `bucketMs` each:
 * counts, errors by kind, latency and TTFT histograms, tokens and cost per currency.
 */
export class ProviderBuckets {
  private readonly slots: Bucket[];

  constructor(
    readonly capacity: number,
    readonly bucketMs: number,
  ) {
    this.slots = Array.from({ length: capacity }, () => new Bucket());
  }

  /** How many slots exist (fixed; the memory bound the tests check). */
  get slotCount(): number {
    return this.slots.length;
  }

  /** The slot of absolute bucket number `index`; a clock near the epoch gives negative numbers (`%` keeps the sign). */
  private slot(index: number): Bucket {
    return this.slots[((index % this.capacity) + this.capacity) % this.capacity]!;
  }

  private slotAt(now: number): Bucket {
    const index = Math.floor(now / this.bucketMs);
    const slot = this.slot(index);
    if (slot.index !== index) slot.reset(index);
    return slot;
  }

  recordSuccess(
    now: number,
    attempt: {
      latencyMs: number;
      ttftMs?: number;
      promptTokens: number;
      completionTokens: number;
      cost: { amount: number; currency: string };
    },
  ): void {
    const slot = this.slotAt(now);
    slot.requests++;
    slot.latency ??= createHistogram();
    observe(slot.latency, attempt.latencyMs);
    slot.latencyCount++;
    if (attempt.ttftMs !== undefined) {
      slot.ttft ??= createHistogram();
      observe(slot.ttft, attempt.ttftMs);
      slot.ttftCount++;
    }
    slot.promptTokens += finite(attempt.promptTokens);
    slot.completionTokens += finite(attempt.completionTokens);
    const { amount, currency } = attempt.cost;
    if (Number.isFinite(amount) && amount !== 0) {
      if (slot.cost.has(currency) || slot.cost.size < MAX_CURRENCIES)
        slot.cost.set(currency, (slot.cost.get(currency) ?? 0) + amount);
    }
  }

  /**
   * A failed attempt. One that failed by the caller's fault (cancelled, a bad request, the caller's own
   * deadline) is an attempt but not an error: the router does not count it against the provider's health
   * either, and a user abandoning streams must not paint a healthy provider red.
   */
  recordError(now: number, kind: ErrorKind, callerFault = false): void {
    const slot = this.slotAt(now);
    slot.requests++;
    if (callerFault) {
      slot.callerErrors++;
      return;
    }
    slot.errors++;
    slot.errorsByKind.set(kind, (slot.errorsByKind.get(kind) ?? 0) + 1);
  }

  /** The bucket that starts at absolute bucket number `index`, or an empty one when it has no data. */
  view(index: number): BucketView {
    const slot = this.slot(index);
    if (slot.index !== index) return EMPTY_BUCKET;
    return {
      requests: slot.requests,
      errors: slot.errors,
      errorsByKind: slot.errorsByKind,
      latencyP50: slot.latency ? quantile(slot.latency, slot.latencyCount, 0.5) : null,
      latencyP95: slot.latency ? quantile(slot.latency, slot.latencyCount, 0.95) : null,
      ttftP50: slot.ttft ? quantile(slot.ttft, slot.ttftCount, 0.5) : null,
      ttftP95: slot.ttft ? quantile(slot.ttft, slot.ttftCount, 0.95) : null,
      tokens: slot.promptTokens + slot.completionTokens,
      cost: slot.cost,
    };
  }

  /** Totals over the buckets numbered `first`…`last` (the window), with quantiles of the merged histograms. */
  totals(first: number, last: number) {
    const latency = createHistogram();
    const ttft = createHistogram();
    let latencyCount = 0;
    let ttftCount = 0;
    const out = {
      requests: 0,
      errors: 0,
      callerErrors: 0,
      errorsByKind: {} as Partial<Record<ErrorKind, number>>,
      latencyP50: null as number | null,
      latencyP95: null as number | null,
      ttftP50: null as number | null,
      ttftP95: null as number | null,
      promptTokens: 0,
      completionTokens: 0,
      cost: {} as Record<string, number>,
    };
    for (const slot of this.slots) {
      if (slot.index < first || slot.index > last) continue;
      out.requests += slot.requests;
      out.errors += slot.errors;
      out.callerErrors += slot.callerErrors;
      for (const [kind, count] of slot.errorsByKind)
        out.errorsByKind[kind] = (out.errorsByKind[kind] ?? 0) + count;
      if (slot.latency) merge(latency, slot.latency);
      if (slot.ttft) merge(ttft, slot.ttft);
      latencyCount += slot.latencyCount;
      ttftCount += slot.ttftCount;
      out.promptTokens += slot.promptTokens;
      out.completionTokens += slot.completionTokens;
      for (const [currency, amount] of slot.cost) out.cost[currency] = (out.cost[currency] ?? 0) + amount;
    }
    out.latencyP50 = quantile(latency, latencyCount, 0.5);
    out.latencyP95 = quantile(latency, latencyCount, 0.95);
    out.ttftP50 = quantile(ttft, ttftCount, 0.5);
    out.ttftP95 = quantile(ttft, ttftCount, 0.95);
    return out;
  }

  /** True when no bucket in the window has data (a removed provider can then be forgotten). */
  isEmpty(first: number): boolean {
    return this.slots.every((slot) => slot.index < first);
  }
}

function finite(value: number): number {
  return Number.isFinite(value) ? value : 0;
}
