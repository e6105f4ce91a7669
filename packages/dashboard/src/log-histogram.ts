/**
 * Fixed log-scale bins for latencies in milliseconds: bin i holds [MIN_MS·GROWTH^i, MIN_MS·GROWTH^(i+1)), so a
 * quantile read from the bins is within ±7.5 % of the true value, and a bucket costs the same 128 counters
 * whatever the load (a list of samples would grow with the request rate). The bins span 0.1 ms to ~85 minutes
 * (a streamed attempt's latency is the whole stream's duration): bin 0 also takes everything under 0.1 ms,
 * and the last bin everything from ~85 minutes up, where a quantile reads as the largest value seen (kept in
 * one more cell), not as the bin's middle.
 */
export const HISTOGRAM_BINS = 128;
const MIN_MS = 0.1;
const GROWTH = 1.15;
const LOG_GROWTH = Math.log(GROWTH);
/** The cell after the bins: the largest value seen, in whole ms rounded up (a Uint32 holds 49 days). */
const MAX_CELL = HISTOGRAM_BINS;

/** A histogram: HISTOGRAM_BINS counters and the largest value seen. */
export function createHistogram(): Uint32Array {
  return new Uint32Array(HISTOGRAM_BINS + 1);
}

export function binOf(ms: number): number {
  if (!(ms >= MIN_MS)) return 0; // also NaN and negatives: never an index out of range
  return Math.min(HISTOGRAM_BINS - 1, Math.floor(Math.log(ms / MIN_MS) / LOG_GROWTH));
}

export function observe(histogram: Uint32Array, ms: number): void {
  histogram[binOf(ms)]!++;
  if (Number.isFinite(ms) && ms > histogram[MAX_CELL]!)
    histogram[MAX_CELL] = Math.min(2 ** 32 - 1, Math.ceil(ms));
}

/** Adds `from`'s counts into `into` (and keeps the larger maximum). */
export function merge(into: Uint32Array, from: Uint32Array): void {
  for (let bin = 0; bin < HISTOGRAM_BINS; bin++) into[bin]! += from[bin]!;
  into[MAX_CELL] = Math.max(into[MAX_CELL]!, from[MAX_CELL]!);
}

/** The geometric middle of a bin: what a quantile that falls in it reads as. */
function binValue(bin: number): number {
  return MIN_MS * GROWTH ** (bin + 0.5);
}

/** The q-quantile (0 < q ≤ 1) of the counts, or null when there are none. */
export function quantile(histogram: Uint32Array, total: number, q: number): number | null {
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let bin = 0; bin < HISTOGRAM_BINS; bin++) {
    seen += histogram[bin]!;
    if (seen >= rank) return bin === HISTOGRAM_BINS - 1 ? histogram[MAX_CELL]! : round(binValue(bin));
  }
  return histogram[MAX_CELL]!;
}

/** Three significant digits: 0.123 ms, 12.3 ms, 1230 ms (the bins are 15 % wide; more digits are noise). */
function round(value: number): number {
  return Number(value.toPrecision(3));
}
