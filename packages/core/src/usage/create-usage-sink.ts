import { RouterError } from '../errors/router-error.js';
import type { FetchFunction } from '../provider-utils/fetch-function.js';
import { CallbackUsageSink } from './callback-usage-sink.js';
import { HttpUsageSink } from './http-usage-sink.js';
import type { UsageRecord } from './usage-record.js';
import type { UsageSink } from './usage-sink.js';

/** Receives one record per call. A rejection or throw is retried; `timeoutMs` bounds each call. */
export type UsageCallback = (record: UsageRecord) => void | Promise<void>;
/** Receives up to `batchSize` records per call; the batch is retried (or given up) as a whole. */
export type UsageBatchCallback = (records: readonly UsageRecord[]) => void | Promise<void>;

export interface UsageSinkOptions {
  /** One of `callback`, `batchCallback` and `url`; with none, the dispatcher is disabled. */
  callback?: UsageCallback;
  batchCallback?: UsageBatchCallback;
  /** POSTs snake_case JSON (see `HttpUsageSink`). */
  url?: string;
  headers?: Record<string, string>;
  /** Per try, HTTP or callback. Default 5000 ms, as in the seed. */
  timeoutMs?: number;
  /** For `url`. Default: the global fetch. */
  fetch?: FetchFunction;
}

export const DEFAULT_USAGE_TIMEOUT_MS = 5_000;

/** The sink the options name, or undefined when they name none; throws when they name several. */
export function createUsageSink(options: UsageSinkOptions, batchSize: number): UsageSink | undefined {
  const { callback, batchCallback, url, headers, fetch } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_USAGE_TIMEOUT_MS;
  const sinks = [callback, batchCallback, url].filter((s) => s !== undefined).length;
  if (sinks > 1) {
    throw new RouterError({
      code: 'invalid-options',
      message:
        'Give the usage dispatcher one of callback, batchCallback or url, not several: usage would be counted twice.',
    });
  }
  if (callback) return new CallbackUsageSink((records) => callback(records[0]!), 1, timeoutMs);
  if (batchCallback) return new CallbackUsageSink(batchCallback, batchSize, timeoutMs);
  if (url === undefined) return undefined;
  return new HttpUsageSink({
    url,
    headers,
    timeoutMs,
    fetch: fetch ?? ((input, init) => globalThis.fetch(input, init)),
    batchSize,
  });
}
