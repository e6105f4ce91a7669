import { ProviderError } from '../errors/provider-error.js';
import { LineSplitter, type LineSplitterOptions } from './line-splitter.js';
import { type BodySource, openBody } from './node-body.js';

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
export async function* parseNdjsonBatches<T = unknown>(
  source: BodySource,
  options: NdjsonStreamOptions = {},
): AsyncGenerator<T[], void, undefined> {
  const lines = new LineSplitter(options);
  const decoder = new TextDecoder('utf-8');
  const reader = openBody(source);
  const { isEnd } = options;
  let batch: T[] = [];
  let finished = false;
  let sawEnd = false;
  let failure: { error: unknown } | undefined;
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
    if (isEnd && !sawEnd && isEnd(value)) sawEnd = true;
    batch.push(value);
  };
  try {
    while (true) {
      const { done, value } = await reader.read();
      try {
        if (done) {
          finished = true;
          lines.feed(decoder.decode(), onLine);
          const rest = lines.flush();
          if (rest !== undefined) onLine(rest);
        } else {
          lines.feed(decoder.decode(value, { stream: true }), onLine);
        }
      } catch (error) {
        failure = { error };
      }
      if (batch.length > 0) {
        const values = batch;
        batch = [];
        yield values;
      }
      if (failure) throw failure.error;
      if (finished) return;
    }
  } catch (error) {
    failure ??= { error };
    throw error;
  } finally {
    if (!finished) await reader.cancel(failure?.error, sawEnd && !failure);
  }
}

/** `parseNdjsonBatches`, one value at a time. */
export async function* parseNdjsonStream<T = unknown>(
  source: BodySource,
  options: NdjsonStreamOptions = {},
): AsyncGenerator<T, void, undefined> {
  for await (const values of parseNdjsonBatches<T>(source, options)) yield* values;
}
