function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/**
 * Maximal marginal relevance: picks `k` of the candidates, each time the one maximising
 * `lambda · sim(query, c) − (1 − lambda) · max sim(c, already picked)` (cosine similarity). lambda 1 is pure
 * relevance, 0 pure diversity. Returns indexes into `candidates`, in pick order.
 */
export function maximalMarginalRelevance(
  query: Float32Array,
  candidates: readonly Float32Array[],
  k: number,
  lambda: number,
): number[] {
  const relevance = candidates.map((c) => cosine(query, c));
  const picked: number[] = [];
  const maxSimilarity = new Float64Array(candidates.length).fill(Number.NEGATIVE_INFINITY);
  while (picked.length < Math.min(k, candidates.length)) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < candidates.length; i++) {
      if (picked.includes(i)) continue;
      const redundancy = picked.length === 0 ? 0 : maxSimilarity[i]!;
      const score = lambda * relevance[i]! - (1 - lambda) * redundancy;
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    picked.push(best);
    for (let i = 0; i < candidates.length; i++) {
      const similarity = cosine(candidates[i]!, candidates[best]!);
      if (similarity > maxSimilarity[i]!) maxSimilarity[i] = similarity;
    }
  }
  return picked;
}
