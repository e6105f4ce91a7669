import { ProviderError } from '../errors/provider-error.js';

/**
 * The default cap on one line (and on one SSE event's joined `data`): 16 MiB of characters, counted as
 * JavaScript counts string length (UTF-16 code units), terminator excluded. Far above any real event (a
 * large tool-call argument or a base64 image is a few MiB) and low enough that a server sending an endless
 * line ends in an error instead of exhausting memory.
 */
export const DEFAULT_MAX_LINE_LENGTH = 16 * 1024 * 1024;

/** The `code` of the `ProviderError` thrown when a line (or an SSE event's data) exceeds `maxLineLength`. */
export const LINE_TOO_LONG = 'line-too-long';

export interface LineSplitterOptions {
  /**
   * The longest line accepted, in characters (UTF-16 code units), terminator excluded. Default
   * `DEFAULT_MAX_LINE_LENGTH` (16 MiB). A longer line throws a `ProviderError` of kind `invalid_response`,
   * code `'line-too-long'`, not retryable. `Infinity` turns the cap off (memory then grows with the line).
   */
  maxLineLength?: number;
  /** Provider name for the error's `provider` field. */
  provider?: string;
}

/** Checks a `maxLineLength` option; returns the default when it is undefined. */
export function resolveMaxLineLength(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_LINE_LENGTH;
  if (value === Number.POSITIVE_INFINITY || (Number.isSafeInteger(value) && value > 0)) return value;
  throw new RangeError(
    `maxLineLength: must be a positive integer number of characters or Infinity (got ${String(value)}); the default is ${DEFAULT_MAX_LINE_LENGTH} (16 MiB)`,
  );
}

/**
 * The error for a line (`what`) longer than `maxLineLength`. The message names the limit and how to raise it;
 * it never contains the line.
 */
export function lineTooLongError(maxLineLength: number, provider?: string, what = 'a line'): ProviderError {
  const size = maxLineLength % 1024 === 0 ? ` (${formatBinary(maxLineLength)})` : '';
  return new ProviderError({
    kind: 'invalid_response',
    code: LINE_TOO_LONG,
    retryable: false,
    provider,
    message:
      `${provider ? `${provider}: ` : ''}the response stream sent ${what} longer than ${maxLineLength} characters${size}, ` +
      'so reading stopped. If such lines are expected, raise the limit with the `maxLineLength` option ' +
      '(parseSseStream, parseNdjsonStream, SseParser and LineSplitter take it).',
  });
}

function formatBinary(characters: number): string {
  const mib = characters / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB` : `${characters / 1024} KiB`;
}

/**
 * Splits decoded text into lines on `\n`, `\r\n` or a lone `\r`, across chunk boundaries (a `\r` ending one
 * chunk and a `\n` starting the next are one terminator). Shared by the SSE and NDJSON parsers.
 *
 * Linear in the input: each character is scanned once, the unterminated piece of a line is kept as a list of
 * chunks and joined once when the line ends. A line longer than `maxLineLength` throws a `ProviderError`
 * (kind `invalid_response`, code `'line-too-long'`) before it is buffered, so memory stays bounded by the cap;
 * after that the splitter is failed and every later call throws the same error.
 */
export class LineSplitter {
  readonly maxLineLength: number;
  private readonly provider: string | undefined;
  /** The unterminated start of the current line, in arrival order; joined when the line ends. */
  private pending: string[] = [];
  private pendingLength = 0;
  private skipLeadingLF = false;
  private failure: ProviderError | undefined;

  constructor(options: LineSplitterOptions = {}) {
    this.maxLineLength = resolveMaxLineLength(options.maxLineLength);
    this.provider = options.provider;
  }

  /**
   * Feeds text; returns the complete lines it finished. When a line is too long, the lines completed before
   * it in this text are still returned and the next `push()` or `flush()` throws; otherwise this call throws.
   */
  push(text: string): string[] {
    const lines: string[] = [];
    try {
      this.feed(text, (line) => lines.push(line));
    } catch (error) {
      if (lines.length === 0) throw error;
    }
    return lines;
  }

  /**
   * Feeds text and calls `onLine` with each line it finishes, in order. When a line is too long, the lines
   * before it have been delivered when this throws.
   */
  feed(text: string, onLine: (line: string) => void): void {
    if (this.failure) throw this.failure;
    const length = text.length;
    if (length === 0) return;
    let start = 0;
    if (this.skipLeadingLF) {
      this.skipLeadingLF = false;
      if (text.charCodeAt(0) === 10) start = 1;
    }
    // The next LF and CR at or after `start`, each found once with the engine's native search (-1: none left).
    let nextLF = text.indexOf('\n', start);
    let nextCR = text.indexOf('\r', start);
    while (nextLF !== -1 || nextCR !== -1) {
      const end = nextCR === -1 || (nextLF !== -1 && nextLF < nextCR) ? nextLF : nextCR;
      onLine(this.takeLine(text, start, end));
      start = end + 1;
      if (end === nextCR) {
        if (start < length) {
          if (nextLF === start) start++;
        } else {
          // A CR at the very end: the LF, if any, is in the next chunk.
          this.skipLeadingLF = true;
        }
      }
      if (nextLF !== -1 && nextLF < start) nextLF = text.indexOf('\n', start);
      if (nextCR !== -1 && nextCR < start) nextCR = text.indexOf('\r', start);
    }
    if (start < length) {
      this.check(this.pendingLength + (length - start));
      this.pending.push(start === 0 ? text : text.slice(start));
      this.pendingLength += length - start;
    }
  }

  /** The unterminated rest, if any, at end of input. */
  flush(): string | undefined {
    if (this.failure) throw this.failure;
    this.skipLeadingLF = false;
    if (this.pendingLength === 0) return undefined;
    const rest = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    return rest;
  }

  private takeLine(text: string, start: number, end: number): string {
    this.check(this.pendingLength + (end - start));
    if (this.pendingLength === 0) return text.slice(start, end);
    this.pending.push(text.slice(start, end));
    const line = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    return line;
  }

  private check(lineLength: number): void {
    if (lineLength <= this.maxLineLength) return;
    this.pending = [];
    this.pendingLength = 0;
    this.failure = lineTooLongError(this.maxLineLength, this.provider);
    throw this.failure;
  }
}
