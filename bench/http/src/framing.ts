// SSE framing throughput (MB/s) on the same bytes for every parser: the 100-chunk stream the server sends,
// repeated to `totalBytes`, cut into reads of `readSize` bytes. "sync" feeds the reads to a parser in a plain
// loop; "as used" reads them from a ReadableStream the way the library reads a response body. Each parser
// must find the same events and data (checked), so no one can skip work. Best of `repeats` after a warm-up.
import { parseSseStream, SseParser } from '@llmo/core/provider';
import { createParser } from 'eventsource-parser';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { _iterSSEMessages } from 'openai/core/streaming';
import { streamEvents } from './wire.js';

export interface FramingOptions {
  totalBytes: number;
  readSize: number;
  repeats: number;
  /** Stop repeating a parser after this long (the first timed run always completes). */
  timeCapMs?: number;
}

export const FRAMING_PARSERS = [
  'minimal',
  'openai',
  'eventsource-sync',
  'eventsource-stream',
  'llmo-sync',
  'llmo-stream',
] as const;
export type FramingParser = (typeof FRAMING_PARSERS)[number];

interface Checksum {
  events: number;
  characters: number;
}

/** The baseline: decode, find `\n\n` with indexOf, take the `data: ` line. Handles only what the server sends. */
function minimal(reads: Uint8Array[]): Checksum {
  const decoder = new TextDecoder();
  let buffer = '';
  let events = 0;
  let characters = 0;
  for (const read of reads) {
    buffer += decoder.decode(read, { stream: true });
    let start = 0;
    let end = buffer.indexOf('\n\n', start);
    while (end !== -1) {
      if (buffer.startsWith('data: ', start)) {
        events++;
        characters += end - start - 6;
      }
      start = end + 2;
      end = buffer.indexOf('\n\n', start);
    }
    buffer = buffer.slice(start);
  }
  return { events, characters };
}

function llmoSync(reads: Uint8Array[]): Checksum {
  const sum = { events: 0, characters: 0 };
  const parser = new SseParser((event) => {
    sum.events++;
    sum.characters += event.data.length;
  });
  const decoder = new TextDecoder();
  for (const read of reads) parser.feed(decoder.decode(read, { stream: true }));
  parser.feed(decoder.decode());
  parser.end();
  return sum;
}

function eventsourceSync(reads: Uint8Array[]): Checksum {
  const sum = { events: 0, characters: 0 };
  const parser = createParser({
    onEvent(event) {
      sum.events++;
      sum.characters += event.data.length;
    },
  });
  const decoder = new TextDecoder();
  for (const read of reads) parser.feed(decoder.decode(read, { stream: true }));
  return sum;
}

function body(reads: Uint8Array[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < reads.length) controller.enqueue(reads[next++]!);
      else controller.close();
    },
  });
}

async function llmoStream(reads: Uint8Array[]): Promise<Checksum> {
  const sum = { events: 0, characters: 0 };
  for await (const event of parseSseStream(body(reads))) {
    sum.events++;
    sum.characters += event.data.length;
  }
  return sum;
}

/** As `@ai-sdk/provider-utils` reads a body: TextDecoderStream, then eventsource-parser's stream. */
async function eventsourceStream(reads: Uint8Array[]): Promise<Checksum> {
  const sum = { events: 0, characters: 0 };
  const reader = body(reads)
    .pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>)
    .pipeThrough(new EventSourceParserStream())
    .getReader();
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    sum.events++;
    sum.characters += value.data.length;
  }
  return sum;
}

/** The openai SDK's SSE framing (`_iterSSEMessages`, what its Stream runs before JSON.parse) over a Response. */
async function openaiStream(reads: Uint8Array[]): Promise<Checksum> {
  const sum = { events: 0, characters: 0 };
  for await (const event of _iterSSEMessages(new Response(body(reads)), new AbortController())) {
    sum.events++;
    sum.characters += event.data.length;
  }
  return sum;
}

const RUN: Record<FramingParser, (reads: Uint8Array[]) => Checksum | Promise<Checksum>> = {
  minimal,
  openai: openaiStream,
  'eventsource-sync': eventsourceSync,
  'eventsource-stream': eventsourceStream,
  'llmo-sync': llmoSync,
  'llmo-stream': llmoStream,
};

/** The input: whole 100-chunk streams (ending with `[DONE]`) repeated, cut into `readSize`-byte reads. */
export function framingInput(totalBytes: number, readSize: number): { reads: Uint8Array[]; bytes: number } {
  const one = new TextEncoder().encode(streamEvents(100).join(''));
  const copies = Math.max(1, Math.round(totalBytes / one.length));
  const all = new Uint8Array(one.length * copies);
  for (let i = 0; i < copies; i++) all.set(one, i * one.length);
  const reads: Uint8Array[] = [];
  for (let i = 0; i < all.length; i += readSize) reads.push(all.subarray(i, i + readSize));
  return { reads, bytes: all.length };
}

/** MB/s (10^6 bytes per second) of each parser, best of `repeats` timed runs after one warm-up run. */
export async function runFraming(options: FramingOptions): Promise<Record<FramingParser, number>> {
  const { reads, bytes } = framingInput(options.totalBytes, options.readSize);
  const expected = minimal(reads);
  const result = {} as Record<FramingParser, number>;
  for (const name of FRAMING_PARSERS) {
    const run = RUN[name];
    const check = await run(reads); // warm-up, and the checksum
    if (check.events !== expected.events || check.characters !== expected.characters) {
      throw new Error(
        `SSE framing: ${name} found ${check.events} events / ${check.characters} characters, ` +
          `the minimal parser ${expected.events} / ${expected.characters}`,
      );
    }
    let best = Number.POSITIVE_INFINITY;
    const started = performance.now();
    for (let i = 0; i < options.repeats; i++) {
      const t0 = performance.now();
      await run(reads);
      best = Math.min(best, performance.now() - t0);
      if (options.timeCapMs !== undefined && performance.now() - started > options.timeCapMs) break;
    }
    result[name] = bytes / 1e6 / (best / 1000);
  }
  return result;
}
