import type { ChatMessage } from '@llmo/core';
import type { Answer } from '../ask-until-valid.js';
import { throwIfAborted } from '../errors/throw-if-aborted.js';
import { asCachedAnswer, type CachedAnswer, type CacheStore } from './cache-store.js';
import { waitFor } from './single-flight.js';
import type { VectorIndex } from './vector-index.js';

/** Stale matches (answers expired from the store) dropped in one semantic lookup before it gives up. */
const MAX_STALE_MATCHES = 8;

/** A request's embedding and the scope it may be compared in. */
export interface SemanticProbe {
  scope: string;
  vector: readonly number[];
}

export interface AnswerCacheOptions {
  store: CacheStore;
  vectors: VectorIndex;
  embed?: (text: string, signal?: AbortSignal) => Promise<readonly number[]>;
  now: () => number;
  warn: (message: string) => void;
}

/**
 * The exact store and the semantic index behind one façade whose failures are never the caller's: a store or
 * index that throws, or an embedding call that fails, becomes a warning and a miss (or an answer not cached).
 */
export class AnswerCache {
  readonly #options: AnswerCacheOptions;

  constructor(options: AnswerCacheOptions) {
    this.#options = options;
  }

  /**
   * The entry under `key`, or undefined. The caller's abort ends the wait at once (a `cancelled` error), even
   * when the store itself never answers.
   */
  async lookup(key: string, signal?: AbortSignal): Promise<CachedAnswer | undefined> {
    try {
      const entry = await waitFor(Promise.resolve(this.#options.store.get(key)), signal);
      return entry === undefined ? undefined : await this.#checked(key, entry);
    } catch (error) {
      throwIfAborted(signal);
      this.#options.warn(`cache lookup failed, treated as a miss: ${message(error)}`);
      return undefined;
    }
  }

  /** `entry` when it is a cached answer; else it is deleted (with a warning) and read as a miss. */
  async #checked(key: string, entry: unknown): Promise<CachedAnswer | undefined> {
    const checked = asCachedAnswer(entry);
    if (checked) return checked;
    this.#options.warn(
      'a cache entry that is not a cached answer was dropped (another app or an older version)',
    );
    await this.#options.store.delete(key);
    return undefined;
  }

  async save(key: string, answer: Answer, ttlMs: number): Promise<void> {
    try {
      await this.#options.store.set(
        key,
        {
          // The text only, not the value: every hit reads the text again with its own request's schema.
          text: answer.text,
          provider: answer.route.provider,
          model: answer.route.model,
          usage: answer.usage,
          cost: answer.cost,
          createdAt: this.#options.now(),
        },
        ttlMs,
      );
    } catch (error) {
      this.#options.warn(`cache write failed (the answer is returned, not cached): ${message(error)}`);
    }
  }

  /** The prompt's embedding in `scope`, or undefined (with a warning) when there is no embedder or it fails. */
  async embed(
    messages: readonly ChatMessage[],
    scope: string,
    signal: AbortSignal | undefined,
  ): Promise<SemanticProbe | undefined> {
    const embed = this.#options.embed;
    if (!embed) return undefined;
    const text = messages.map((m) => `${m.role}: ${m.content}`).join('\n');
    try {
      const vector = await embed(text, signal);
      if (!Array.isArray(vector) || vector.length === 0) throw new Error('embed returned no vector');
      return { scope, vector };
    } catch (error) {
      throwIfAborted(signal);
      this.#options.warn(`semantic cache skipped: the embedding failed: ${message(error)}`);
      return undefined;
    }
  }

  /** The cached answer of the most similar request in scope, when similar enough and still in the store. */
  async similar(
    probe: SemanticProbe,
    threshold: number,
  ): Promise<{ entry: CachedAnswer; score: number } | undefined> {
    try {
      // A match whose answer expired is dropped and the next nearest tried: one stale vector must not hide a
      // live similar answer behind it. Bounded: a few stale ones in a row, then a miss.
      for (let tries = 0; tries < MAX_STALE_MATCHES; tries++) {
        const match = await this.#options.vectors.nearest(probe.scope, probe.vector);
        if (!match || match.score < threshold) return undefined;
        const found = await this.#options.store.get(match.key);
        const entry = found === undefined ? undefined : await this.#checked(match.key, found);
        if (entry) return { entry, score: match.score };
        // Expired, evicted or not an answer: the vector points nowhere now.
        await this.#options.vectors.remove(probe.scope, match.key);
      }
      return undefined;
    } catch (error) {
      this.#options.warn(`semantic cache lookup failed, treated as a miss: ${message(error)}`);
      return undefined;
    }
  }

  async index(probe: SemanticProbe, key: string): Promise<void> {
    try {
      await this.#options.vectors.add(probe.scope, probe.vector, key);
    } catch (error) {
      this.#options.warn(`semantic cache write failed: ${message(error)}`);
    }
  }
}

const message = (error: unknown): string => (error as Error)?.message ?? String(error);
