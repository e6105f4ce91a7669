import { ProviderError } from '../errors/provider-error.js';
import { BatchReader } from './batch-reader.js';
import { flattenBatches } from './flatten-batches.js';
import { LineSplitter, type LineSplitterOptions } from './line-splitter.js';
import type { BodySource } from './node-body.js';

/** Options of `parseNdjsonStream`: `provider` names the errors, `maxLineLength` caps one line (16 MiB). */
export interface NdjsonStreamOptions extends LineSplitterOptions {
  /** The wire's last value (Ollama's `done: true`): a stop after it drains the rest instead of aborting. */
  isEnd?: (value: unknown) => boolean;
}

/**
 * Reads a response (or its body) of newline-delimited JSON (Ollama's and YandexGPT's streaming format): one
 * JSON value per line, blank lines skipped, a last line without its newline still parsed, UTF-8 decoded across
 * chunk boundaries. Yields the values of each network read together, decoded and split in one synchronous loop
 * (see `mapEventBatches`). A line that is not JSON throws a `ProviderError` of kind `invalid_response`; so does
 * a line longer than `maxLineLength` (code `'line-too-long'`), after a batch of the values before it. Stopping
 * early hands the rest of the body back to the transport; an error cancels it (see `parseSseStream`).
 */
export function parseNdjsonBatches<T = unknown>(
  source: BodySource,
  options: NdjsonStreamOptions = {},
): AsyncIterableIterator<T[]> {
  return new BatchReader<T>(
    source,
    (push) => {
      const lines = new LineSplitter(options);
      const onLine = (line: string) => {
        if (line.trim() === '') return;
        let value: T;
        try {
          value = JSON.parse(line) as T;
        } catch (cause) {
          throw new ProviderError({
            kind: 'invalid_response',
            provider: options.provider,
            message: `Invalid NDJSON line from provider: ${line.slice(0, 120)}`,
            cause,
          });
        }
        push(value);
      };
      return {
        feed: (text) => lines.feed(text, onLine),
        end: () => {
          const rest = lines.flush();
          if (rest !== undefined) onLine(rest);
        },
      };
    },
    options.isEnd,
  );
}

/** `parseNdjsonBatches`, one value at a time. */
export function parseNdjsonStream<T = unknown>(
  source: BodySource,
  options: NdjsonStreamOptions = {},
): AsyncIterableIterator<T> {
  return flattenBatches(parseNdjsonBatches<T>(source, options));
}
