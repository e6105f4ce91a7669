import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors/provider-error.js';
import { DEFAULT_MAX_LINE_LENGTH, LINE_TOO_LONG, LineSplitter } from './line-splitter.js';

/** Every line of `chunks` fed in order, the unterminated rest last. */
function split(chunks: string[], splitter = new LineSplitter()): string[] {
  const lines: string[] = [];
  for (const chunk of chunks) lines.push(...splitter.push(chunk));
  const rest = splitter.flush();
  if (rest !== undefined) lines.push(rest);
  return lines;
}

/** What the splitter must produce for the whole text: split on CRLF, CR or LF; an empty last piece is no line. */
function reference(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** A small seeded PRNG (mulberry32), so a failure is reproducible. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function thrown(run: () => unknown): ProviderError {
  try {
    run();
  } catch (error) {
    expect(ProviderError.isInstance(error)).toBe(true);
    return error as ProviderError;
  }
  throw new Error('expected a throw');
}

describe('LineSplitter', () => {
  it('splits on LF, CRLF and lone CR, and returns the unterminated rest on flush', () => {
    expect(split(['a\nb\r\nc\rd'])).toEqual(['a', 'b', 'c', 'd']);
    expect(split(['\n\r\n\r'])).toEqual(['', '', '']);
    expect(split(['a\r\r\nb'])).toEqual(['a', '', 'b']);
    expect(new LineSplitter().flush()).toBeUndefined();
  });

  it('treats a CR ending one chunk and an LF starting the next as one terminator', () => {
    expect(split(['a\r', '\nb\r', '\r', '\n'])).toEqual(['a', 'b', '']);
    expect(split(['a\r', '', '\nb'])).toEqual(['a', 'b']);
    expect(split(['a\r', 'b'])).toEqual(['a', 'b']);
  });

  it('gives the same lines as splitting the whole text, under random text and random chunkings', () => {
    const next = random(7);
    const alphabet = ['a', 'b', 'é', '🌍', '\n', '\r', '\r\n', ' '];
    for (let round = 0; round < 500; round++) {
      let text = '';
      const size = Math.floor(next() * 60);
      for (let i = 0; i < size; i++) text += alphabet[Math.floor(next() * alphabet.length)];
      const chunks: string[] = [];
      for (let at = 0; at < text.length; ) {
        const length = Math.floor(next() * 8);
        chunks.push(text.slice(at, at + length));
        at += length;
      }
      expect(split(chunks), JSON.stringify(chunks)).toEqual(reference(text));
      // Every single split point too.
      for (let at = 0; at <= text.length; at++) {
        expect(split([text.slice(0, at), text.slice(at)]), `${JSON.stringify(text)} @${at}`).toEqual(
          reference(text),
        );
      }
    }
  });

  it('reassembles an 8 MB line fed in 1 KB chunks', () => {
    const piece = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(29).slice(0, 1024);
    const chunkCount = 8 * 1024;
    const splitter = new LineSplitter();
    const lines: string[] = [];
    lines.push(...splitter.push('before\n'));
    for (let i = 0; i < chunkCount; i++) lines.push(...splitter.push(piece));
    lines.push(...splitter.push('\r\nafter'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('before');
    expect(lines[1]!.length).toBe(chunkCount * 1024);
    expect(lines[1]).toBe(piece.repeat(chunkCount));
    expect(splitter.flush()).toBe('after');
  });

  it(`defaults to a cap of 16 MiB characters`, () => {
    expect(DEFAULT_MAX_LINE_LENGTH).toBe(16 * 1024 * 1024);
    expect(new LineSplitter().maxLineLength).toBe(DEFAULT_MAX_LINE_LENGTH);
  });

  it('accepts a line of exactly maxLineLength, and throws a typed error one character over', () => {
    expect(split(['12345\n'], new LineSplitter({ maxLineLength: 5 }))).toEqual(['12345']);
    expect(split(['12', '345'], new LineSplitter({ maxLineLength: 5 }))).toEqual(['12345']);
    for (const chunks of [['123456\n'], ['123', '456\n'], ['123', '4', '56'], ['1234\r\n', '123456']]) {
      const error = thrown(() => split(chunks, new LineSplitter({ maxLineLength: 5, provider: 'acme' })));
      expect(error.kind).toBe('invalid_response');
      expect(error.code).toBe(LINE_TOO_LONG);
      expect(error.code).toBe('line-too-long');
      expect(error.retryable).toBe(false);
      expect(error.provider).toBe('acme');
      expect(error.message).toContain('5 characters');
      expect(error.message).toContain('maxLineLength');
      expect(error.message).not.toContain('123');
    }
  });

  it('names the limit in MiB in the message and never includes the line', () => {
    const secret = 'sk-secret-'.repeat(10);
    const error = thrown(() => new LineSplitter({ maxLineLength: 64 }).push(`${secret}\n`));
    expect(error.message).not.toContain('sk-secret');
    const big = thrown(() => {
      const splitter = new LineSplitter({ maxLineLength: 1024 * 1024 });
      for (let i = 0; i < 1025; i++) splitter.push('x'.repeat(1024));
    });
    expect(big.message).toContain('1048576 characters (1 MiB)');
  });

  it('returns the lines before an over-long one, then throws on the next call, and stays failed', () => {
    const splitter = new LineSplitter({ maxLineLength: 3 });
    expect(splitter.push('ab\ncd\ntoo long\nef\n')).toEqual(['ab', 'cd']);
    expect(thrown(() => splitter.push('ok\n')).code).toBe('line-too-long');
    expect(thrown(() => splitter.flush()).code).toBe('line-too-long');
  });

  it('feed() delivers the lines before an over-long one, then throws', () => {
    const splitter = new LineSplitter({ maxLineLength: 3 });
    const lines: string[] = [];
    expect(thrown(() => splitter.feed('ab\ncd\ntoo long\nef\n', (line) => lines.push(line))).code).toBe(
      'line-too-long',
    );
    expect(lines).toEqual(['ab', 'cd']);
  });

  it('stops buffering at the cap, so an endless line cannot grow memory without limit', () => {
    const splitter = new LineSplitter({ maxLineLength: 10_000 });
    let fed = 0;
    const error = thrown(() => {
      for (;;) {
        splitter.push('y'.repeat(999));
        fed += 999;
      }
    });
    expect(error.code).toBe('line-too-long');
    expect(fed).toBeLessThanOrEqual(10_000);
  });

  it('accepts Infinity and rejects a maxLineLength that is not a positive integer', () => {
    expect(
      split(['x'.repeat(100_000)], new LineSplitter({ maxLineLength: Number.POSITIVE_INFINITY })),
    ).toEqual(['x'.repeat(100_000)]);
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => new LineSplitter({ maxLineLength: bad })).toThrow(RangeError);
      expect(() => new LineSplitter({ maxLineLength: bad })).toThrow(/maxLineLength/);
    }
  });
});
