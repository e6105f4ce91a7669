import type { OrchestratorOptions } from '../orchestrator-options.js';
import { AnswerCache } from './answer-cache.js';
import { MemoryCacheStore } from './memory-cache-store.js';
import { MemoryVectorIndex } from './vector-index.js';

/**
 * The orchestrator's answer cache from its options: none with `cache: false`, the caller's store, or an
 * in-memory LRU; the semantic index is the caller's or an in-memory one, the embedder the caller's if any.
 */
export function createAnswerCache(
  options: Pick<OrchestratorOptions, 'cache' | 'semanticCache'>,
  now: () => number,
  warn: (message: string) => void,
): AnswerCache | undefined {
  const store =
    options.cache === false
      ? undefined
      : typeof options.cache === 'object'
        ? options.cache
        : new MemoryCacheStore({ now });
  return store
    ? new AnswerCache({
        store,
        vectors: options.semanticCache?.index ?? new MemoryVectorIndex(),
        ...(options.semanticCache ? { embed: options.semanticCache.embed } : {}),
        now,
        warn,
      })
    : undefined;
}
