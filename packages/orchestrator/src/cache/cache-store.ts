import { z } from '@llmo/core/provider';

/** One cached answer: JSON-serialisable, so a shared store (Redis) can hold it. */
export interface CachedAnswer {
  /**
   * Not written any more, and never read: a hit reads `text` again with the request's own format, schema and
   * validators (a fresh value of the right type). Kept optional so entries written by older versions load.
   */
  value?: unknown;
  /** The answer's raw text: what a hit is made from. */
  text: string;
  provider: string;
  model: string;
  usage: { promptTokens: number; completionTokens: number; totalTokens: number; estimated: boolean };
  /** What the answer cost when it was made: what a hit saves. */
  cost: { amount: number; currency: string; known: boolean };
  /** ms since the epoch. */
  createdAt: number;
}

/**
 * Where exact-cache entries live. Sync or async, so an in-memory map and a network store share it. A store
 * that fails should throw: the orchestrator then treats the lookup as a miss and never fails the request.
 */
export interface CacheStore {
  get(key: string): CachedAnswer | undefined | Promise<CachedAnswer | undefined>;
  set(key: string, entry: CachedAnswer, ttlMs: number): void | Promise<void>;
  delete(key: string): unknown;
  clear?(): void | Promise<void>;
}

// Built on first use: a top-level call would stay in every bundle that imports anything from this package.
let built: ReturnType<typeof buildCachedAnswerSchema> | undefined;
function buildCachedAnswerSchema() {
  const count = z.number().check(z.gte(0));
  return z.object({
    text: z.string(),
    provider: z.string(),
    model: z.string(),
    usage: z.object({
      promptTokens: count,
      completionTokens: count,
      totalTokens: count,
      estimated: z.boolean(),
    }),
    cost: z.object({ amount: z.number(), currency: z.string(), known: z.boolean() }),
    createdAt: z.number(),
  });
}

/**
 * `entry` when it has a cached answer's shape, else undefined: a shared store may hold entries written by
 * another app or an older version, which must read as a miss, never as a broken hit.
 */
export function asCachedAnswer(entry: unknown): CachedAnswer | undefined {
  built ??= buildCachedAnswerSchema();
  return built.safeParse(entry).success ? (entry as CachedAnswer) : undefined;
}
