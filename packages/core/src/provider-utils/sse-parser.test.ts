import { describe, expect, it } from 'vitest';
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
