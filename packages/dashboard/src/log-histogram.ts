/**
 * Fixed log-scale bins for latencies in milliseconds: bin i holds [GROWTH^i, GROWTH^(i+1)), so a quantile read
 * from the bins is within ±7.5 % of the true value, and a bucket costs the same 96 counters whatever the load
 * (a list of samples would grow with the request rate). Bin 0 also takes everything under 1 ms; the last bin
 * everything from ~11 minutes up.
 */
export const HISTOGRAM_BINS = 96;
const GROWTH = 1.15;
const LOG_GROWTH = Math.log(GROWTH);

export function binOf(ms: number): number {
  if (!(ms >= 1)) return 0; // also NaN and negatives: never an index out of range
  return Math.min(HISTOGRAM_BINS - 1, Math.floor(Math.log(ms) / LOG_GROWTH));
}

/** The geometric middle of a bin: what a quantile that falls in it reads as. */
function binValue(bin: number): number {
  return GROWTH ** (bin + 0.5);
}

/** The q-quantile (0 < q ≤ 1) of the counts, or null when there are none. */
export function quantile(bins: Uint32Array, total: number, q: number): number | null {
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let bin = 0; bin < bins.length; bin++) {
    seen += bins[bin]!;
    if (seen >= rank) return Math.round(binValue(bin) * 10) / 10;
  }
  return Math.round(binValue(bins.length - 1) * 10) / 10;
}
