import { appendFile as fsAppendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { toUsagePayload, type UsageRecord } from '@llmo/core';

export interface JsonlUsageSinkOptions {
  /** The file; created with its directory when missing, appended to otherwise. */
  path: string;
  /** Lines per write at most. Default 1000. */
  maxBatchLines?: number;
  /** How a batch is appended. Default `fs.promises.appendFile` (tests inject a slow or failing disk). */
  appendFile?: (path: string, data: string) => Promise<void>;
}

/** A usage sink writing one JSON line per record, for a router's `usageCallback`. */
export interface JsonlUsageSink {
  /** Queues the record's line; resolves once it is on disk (rejects if the write failed, so it is retried). */
  write(record: UsageRecord): Promise<void>;
  /** Resolves when every line queued so far has been written or has failed. */
  flush(): Promise<void>;
  /** Lines waiting or being written. */
  readonly pending: number;
}

interface Waiting {
  line: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Appends one JSON line per usage record (the same snake_case object the HTTP sink posts) to a file. Every
 * record waiting while a write is in progress goes into the next write, so a slow disk makes writes larger,
 * not the queue longer than the router's own, and a burst costs a few appends, not one per record; writes
 * never overlap, so lines never interleave. A failed write rejects its records, which the router's usage
 * dispatcher retries (delivery is at least once; records carry an `id` to deduplicate on).
 */
export function createJsonlUsageSink(options: JsonlUsageSinkOptions): JsonlUsageSink {
  const append = options.appendFile ?? ((path: string, data: string) => fsAppendFile(path, data, 'utf8'));
  const maxBatchLines = options.maxBatchLines ?? 1000;
  const queue: Waiting[] = [];
  let writing: Promise<void> | undefined;
  let directoryReady: Promise<unknown> | undefined;

  const drain = async () => {
    directoryReady ??= mkdir(dirname(options.path), { recursive: true }).catch(() => undefined);
    await directoryReady;
    // Bounded: each turn removes at least one waiting line; lines added meanwhile are written next turn.
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatchLines);
      try {
        await append(options.path, batch.map((w) => w.line).join(''));
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
  };

  const kick = () => {
    writing ??= drain().finally(() => {
      writing = undefined;
      if (queue.length > 0) kick();
    });
    return writing;
  };

  return {
    write(record) {
      const line = `${JSON.stringify(toUsagePayload(record))}\n`;
      const done = new Promise<void>((resolve, reject) => queue.push({ line, resolve, reject }));
      void kick();
      return done;
    },
    async flush() {
      // Bounded: each pass waits for a drain that empties the queue it saw.
      while (writing || queue.length > 0) await kick();
    },
    get pending() {
      return queue.length + (writing ? 1 : 0);
    },
  };
}
