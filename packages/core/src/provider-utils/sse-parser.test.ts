import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors/provider-error.js';
import { chunkings, fixture, streamOf, withLineEndings } from './chunkings.test-helper.js';
import { parseSseStream, type SseEvent, SseParser } from './sse-parser.js';

async function collect(chunks: Uint8Array[]): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const event of parseSseStream(streamOf(chunks))) events.push(event);
  return events;
}

function parseText(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = new SseParser((e) => events.push(e));
  parser.feed(text);
  parser.end();
  return events;
}

describe('SSE transcripts under every chunking and line ending', () => {
  const endings = [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ] as const;

  for (const [endingName, ending] of endings) {
    it(`OpenAI chat stream (${endingName})`, async () => {
      const bytes = withLineEndings(fixture('openai-stream.1.chunks.txt'), ending);
      for (const { label, chunks } of chunkings(bytes)) {
        const events = await collect(chunks);
        expect(
          events.map((e) => e.data.slice(0, 20)),
          label,
        ).toHaveLength(5);
        expect(events.at(-1)?.data, label).toBe('[DONE]');
        const parsed = events.slice(0, 4).map((e) => JSON.parse(e.data));
        expect(parsed[1].choices[0].delta.content, label).toBe('Hello');
        expect(parsed[3].usage.total_tokens, label).toBe(29);
        expect(
          events.every((e) => e.event === 'message'),
          label,
        ).toBe(true);
      }
    });

    it(`GigaChat Cyrillic stream survives splits inside multi-byte characters (${endingName})`, async () => {
      const bytes = withLineEndings(fixture('gigachat-stream.1.chunks.txt'), ending);
      for (const { label, chunks } of chunkings(bytes)) {
        const events = await collect(chunks);
        expect(events, label).toHaveLength(4);
        const text = events
          .slice(0, 3)
          .map((e) => JSON.parse(e.data).choices[0].delta.content as string)
          .join('');
        expect(text, label).toContain('Подробный разбор');
        expect(text, label).toContain('Начинаем счёт с единицы.');
        expect(text, label).not.toContain('\uFFFD');
      }
    });

    it(`Anthropic named events, including ping (${endingName})`, async () => {
      const bytes = withLineEndings(fixture('anthropic-stream.1.chunks.txt'), ending);
      for (const { label, chunks } of chunkings(bytes)) {
        const events = await collect(chunks);
        expect(
          events.map((e) => e.event),
          label,
        ).toEqual([
          'message_start',
          'content_block_start',
          'ping',
          'content_block_delta',
          'content_block_delta',
          'content_block_stop',
          'message_delta',
          'message_stop',
        ]);
        for (const e of events) expect(JSON.parse(e.data).type, label).toBe(e.event);
      }
    });
  }

  it('OpenAI tool-call fragments arrive intact', async () => {
    for (const { label, chunks } of chunkings(fixture('openai-tool-calls.1.chunks.txt'))) {
      const events = await collect(chunks);
      const args = events
        .filter((e) => e.data !== '[DONE]')
        .map((e) => JSON.parse(e.data).choices[0].delta.tool_calls?.[0]?.function?.arguments ?? '')
        .join('');
      expect(JSON.parse(args), label).toEqual({ city: 'Moscow' });
    }
  });
});

describe('SSE parser follows the WHATWG spec', () => {
  it('ignores comment lines (keep-alives) and reports them separately', () => {
    const comments: string[] = [];
    const events: SseEvent[] = [];
    const parser = new SseParser(
      (e) => events.push(e),
      (c) => comments.push(c),
    );
    parser.feed(': keep-alive\n\n: OPENROUTER PROCESSING\n\ndata: {"a":1}\n\n');
    expect(events).toEqual([{ event: 'message', data: '{"a":1}' }]);
    expect(comments).toEqual(['keep-alive', 'OPENROUTER PROCESSING']);
  });

  it('joins multi-line data with \\n', () => {
    expect(parseText('data: first\ndata: second\ndata:\n\n')).toEqual([
      { event: 'message', data: 'first\nsecond\n' },
    ]);
  });

  it('splits a field at the first colon only and strips one leading space', () => {
    expect(parseText('data:  two spaces: and colon\n\n')[0]?.data).toBe(' two spaces: and colon');
    expect(parseText('data:no-space\n\n')[0]?.data).toBe('no-space');
  });

  it('keeps event names, ids (persisting) and retry; ignores ids with NUL and unknown fields', () => {
    const events = parseText(
      'event: error\nid: 7\nretry: 1500\nfoo: bar\ndata: x\n\ndata: y\n\nid: a\0b\ndata: z\n\n',
    );
    expect(events).toEqual([
      { event: 'error', data: 'x', id: '7', retry: 1500 },
      { event: 'message', data: 'y', id: '7' },
      { event: 'message', data: 'z', id: '7' },
    ]);
  });

  it('does not dispatch an event without data, and resets its event name', () => {
    expect(parseText('event: ping\n\ndata: after\n\n')).toEqual([{ event: 'message', data: 'after' }]);
  });

  it('treats a line without a colon as a field with an empty value', () => {
    expect(parseText('data\n\n')).toEqual([{ event: 'message', data: '' }]);
  });

  it('skips a leading BOM', () => {
    expect(parseText('\uFEFFdata: x\n\n')).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('drops an event left unterminated at the end of input', () => {
    expect(parseText('data: complete\n\ndata: partial')).toEqual([{ event: 'message', data: 'complete' }]);
  });

  it('handles a CR at the end of one chunk and its LF at the start of the next as one line break', () => {
    const events: SseEvent[] = [];
    const parser = new SseParser((e) => events.push(e));
    parser.feed('data: a\r');
    parser.feed('\n\r');
    parser.feed('\ndata: b\r\n\r\n');
    expect(events.map((e) => e.data)).toEqual(['a', 'b']);
  });

  it('cancels the body when the consumer stops early', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('data: 1\n\ndata: 2\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const event of parseSseStream(body)) {
      expect(event.data).toBe('1');
      break;
    }
    expect(cancelled).toBe(true);
  });
});

/** A body that sends `prefix` once, then `piece` forever (never a line break); records its cancellation. */
function endlessBody(prefix: string, piece: string) {
  const state = { cancelled: false, reason: undefined as unknown, pulls: 0 };
  const encoded = new TextEncoder().encode(piece);
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulls++;
      if (!started) {
        started = true;
        controller.enqueue(new TextEncoder().encode(prefix));
      } else {
        controller.enqueue(encoded);
      }
    },
    cancel(reason) {
      state.cancelled = true;
      state.reason = reason;
    },
  });
  return { body, state };
}

describe('SSE line and event caps', () => {
  it('reassembles an 8 MB data line fed in 1 KB chunks', async () => {
    const payload = 'x'.repeat(8 * 1024 * 1024);
    const bytes = new TextEncoder().encode(`data: a\n\ndata: ${payload}\r\n\r\ndata: b\n\n`);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 1024) chunks.push(bytes.subarray(i, i + 1024));
    const events = await collect(chunks);
    expect(events.map((e) => e.data.length)).toEqual([1, payload.length, 1]);
    expect(events[1]!.data === payload).toBe(true);
  });

  it('throws a typed line-too-long error for a line over maxLineLength, after the events before it', async () => {
    const bytes = new TextEncoder().encode(`data: one\n\ndata: ${'z'.repeat(40)}\n\ndata: three\n\n`);
    for (const { label, chunks } of chunkings(bytes)) {
      const events: string[] = [];
      const error = await (async () => {
        for await (const event of parseSseStream(streamOf(chunks), { maxLineLength: 32, provider: 'acme' }))
          events.push(event.data);
      })().catch((e: unknown) => e);
      expect(events, label).toEqual(['one']);
      expect(ProviderError.isInstance(error), label).toBe(true);
      const providerError = error as ProviderError;
      expect(providerError.kind, label).toBe('invalid_response');
      expect(providerError.code, label).toBe('line-too-long');
      expect(providerError.retryable, label).toBe(false);
      expect(providerError.provider, label).toBe('acme');
      expect(providerError.message, label).toContain('32 characters');
      expect(providerError.message, label).toContain('maxLineLength');
      expect(providerError.message, label).not.toContain('zzz');
    }
  });

  it("bounds an event's joined data lines by the same cap", () => {
    const events: SseEvent[] = [];
    const exact = new SseParser((e) => events.push(e), undefined, { maxLineLength: 11 });
    exact.feed('data: 12345\ndata: 12345\n\n'); // 5 + '\n' + 5 = 11
    expect(events.map((e) => e.data)).toEqual(['12345\n12345']);

    // Each line is within the cap (10 characters); the data joined (4 + 1 + 4 + 1 + 4 = 14) is not.
    const over = new SseParser((e) => events.push(e), undefined, { maxLineLength: 10 });
    let error: unknown;
    try {
      over.feed('data: 1234\ndata: 1234\ndata: 1234\n\n');
    } catch (e) {
      error = e;
    }
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as ProviderError).code).toBe('line-too-long');
    expect((error as ProviderError).message).toContain('event with data');
    expect(() => over.feed('data: x\n\n')).toThrow(/maxLineLength/);
    expect(() => over.end()).toThrow(/maxLineLength/);
  });

  it('joins 200,000 data lines of one event into one string', () => {
    const events: SseEvent[] = [];
    const parser = new SseParser((e) => events.push(e));
    const lines = 200_000;
    for (let i = 0; i < lines; i++) parser.feed('data: 0123456789\n');
    parser.feed('\n');
    expect(events).toHaveLength(1);
    expect(events[0]!.data.length).toBe(lines * 11 - 1);
  });

  it('ends an endless line in the typed error and cancels the body', async () => {
    const { body, state } = endlessBody('data: first\n\ndata: ', 'a'.repeat(1024));
    const events: string[] = [];
    const error = await (async () => {
      for await (const event of parseSseStream(body, { maxLineLength: 64 * 1024 })) events.push(event.data);
    })().catch((e: unknown) => e);
    expect(events).toEqual(['first']);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as ProviderError).code).toBe('line-too-long');
    expect(state.cancelled).toBe(true);
    expect(state.reason).toBe(error);
    expect(state.pulls).toBeLessThan(100);
  });

  it('applies the default 16 MiB cap when no maxLineLength is given', async () => {
    const { body, state } = endlessBody('data: ', 'b'.repeat(1024 * 1024));
    const error = await (async () => {
      for await (const _ of parseSseStream(body));
    })().catch((e: unknown) => e);
    expect((error as ProviderError).code).toBe('line-too-long');
    expect((error as ProviderError).message).toContain('16777216 characters (16 MiB)');
    expect(state.cancelled).toBe(true);
    expect(state.pulls).toBeLessThan(25);
  });
});
