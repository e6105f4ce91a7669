import { ProviderError } from '../errors/provider-error.js';
import { LineSplitter } from './line-splitter.js';

/**
 * Reads a byte stream of newline-delimited JSON (Ollama's streaming format): one JSON value per line,
 * blank lines skipped, a last line without its newline still parsed, UTF-8 decoded across chunk boundaries.
 * A line that is not JSON throws a `ProviderError` of kind `invalid_response`.
 */
export async function* parseNdjsonStream<T = unknown>(
  body: ReadableStream<Uint8Array>,
  options: { provider?: string } = {},
): AsyncGenerator<T, void, undefined> {
  const lines = new LineSplitter();
  const decoder = new TextDecoder('utf-8');
  const reader = body.getReader();
  let finished = false;
  const parse = (line: string): T | undefined => {
    if (line.trim() === '') return undefined;
    try {
      return JSON.parse(line) as T;
    } catch (cause) {
      throw new ProviderError({
        kind: 'invalid_response',
        provider: options.provider,
        message: `Invalid NDJSON line from provider: ${line.slice(0, 120)}`,
        cause,
      });
    }
  };
  try {
    while (true) {
      const { done, value } = await reader.read();
      const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
      const complete = lines.push(text);
      if (done) {
        finished = true;
        const rest = lines.flush();
        if (rest !== undefined) complete.push(rest);
      }
      for (const line of complete) {
        const parsed = parse(line);
        if (parsed !== undefined) yield parsed;
      }
      if (finished) return;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
