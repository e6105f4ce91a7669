import type { TextTokenizer } from '../tokens/token-counter.js';

/** One piece of context: a retrieved passage, a document, a fact about the user. */
export interface ContextItem {
  content: string;
  /** 0..1, higher is more relevant (a retriever's similarity). Missing counts as 0. */
  relevance?: number;
  /** When it was written: ms since the epoch, or a Date. Missing counts as the oldest. */
  timestamp?: number | Date;
  /** Free label (`document`, `memory`…), kept in the result. */
  kind?: string;
  /** Your id, kept in the result so you can tell what was dropped. */
  id?: string;
}

export type ContextStrategy = 'relevance' | 'recency' | 'hybrid';

export interface PruneContextOptions {
  /** Tokens the kept items may use together. */
  budget: number;
  tokenizer: TextTokenizer;
  /** Default `hybrid`. */
  strategy?: ContextStrategy;
  /** For `hybrid`: default `{ relevance: 0.7, recency: 0.3 }`, the seed's weights. */
  weights?: { relevance: number; recency: number };
  /**
   * Charged on top of each item's own count (default 0): what joining it to the prompt costs, such as the
   * blank line between two items. Counted in `tokens`; `ScoredItem.tokens` stays the item's own count.
   */
  perItemTokens?: number;
}

export interface ScoredItem {
  item: ContextItem;
  tokens: number;
  score: number;
}

export interface PrunedContext {
  /** Kept items, best first. */
  included: ScoredItem[];
  /** Items left out whole (never cut mid-sentence): each with its size, so you can see why. */
  dropped: ScoredItem[];
  /** Tokens of the kept items. */
  tokens: number;
  /** True when the counts are estimates (the model's tokenizer is not known). */
  estimated: boolean;
}

const time = (t: ContextItem['timestamp']): number =>
  t === undefined ? Number.NEGATIVE_INFINITY : t instanceof Date ? t.getTime() : t;

/**
 * Keeps the best items that fit the budget: items are ranked by the strategy, then taken in order; an item
 * that does not fit is skipped whole and smaller ones after it may still fit. Recency is the item's place
 * between the oldest (0) and newest (1) timestamp, so relevance and recency are on the same 0..1 scale.
 * Ties keep the caller's order.
 */
export function pruneContext(items: readonly ContextItem[], options: PruneContextOptions): PrunedContext {
  const strategy = options.strategy ?? 'hybrid';
  const weights = options.weights ?? { relevance: 0.7, recency: 0.3 };
  // A loop, not Math.min(...times): spreading some 125k arguments overflows the stack.
  let oldest = Number.POSITIVE_INFINITY;
  let newest = Number.NEGATIVE_INFINITY;
  for (const item of items) {
    const t = time(item.timestamp);
    if (!Number.isFinite(t)) continue;
    if (t < oldest) oldest = t;
    if (t > newest) newest = t;
  }
  const span = newest - oldest;
  const recency = (item: ContextItem): number => {
    const t = time(item.timestamp);
    if (!Number.isFinite(t)) return 0;
    return span > 0 ? (t - oldest) / span : 1;
  };
  const relevance = (item: ContextItem): number => item.relevance ?? 0;
  const score = (item: ContextItem): number =>
    strategy === 'relevance'
      ? relevance(item)
      : strategy === 'recency'
        ? recency(item)
        : weights.relevance * relevance(item) + weights.recency * recency(item);
  const ranked = items
    .map((item, index) => ({
      item,
      index,
      score: score(item),
      tokens: options.tokenizer.count(item.content),
    }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
  const included: ScoredItem[] = [];
  const dropped: ScoredItem[] = [];
  let used = 0;
  const extra = options.perItemTokens ?? 0;
  for (const { item, score: s, tokens } of ranked) {
    const entry = { item, score: s, tokens };
    if (used + tokens + extra <= options.budget) {
      included.push(entry);
      used += tokens + extra;
    } else dropped.push(entry);
  }
  return { included, dropped, tokens: used, estimated: options.tokenizer.estimated };
}
