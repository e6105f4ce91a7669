import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors/provider-error.js';
import { chunkings, fixture, streamOf, withLineEndings } from './chunkings.test-helper.js';
import { parseNdjsonBatches, parseNdjsonStream } from './ndjson-parser.js';

async function collect(chunks: Uint8Array[]): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const value of parseNdjsonStream<Record<string, unknown>>(streamOf(chunks))) out.push(value);
  return out;
}

const encode = (text: string) => new TextEncoder().encode(text);

describe('NDJSON parser', () => {
  for (const ending of ['\n', '\r\n'] as const) {
    it(`parses the Ollama transcript under every chunking (${JSON.stringify(ending)})`, async () => {
      const bytes = withLineEndings(fixture('ollama-generate.1.ndjson'), ending);
      for (const { label, chunks } of chunkings(bytes)) {
        const values = await collect(chunks);
        expect(values, label).toHaveLength(7);
        expect(values.map((v) => v.response).join(''), label).toBe("That's a fantastic question!");
        expect(values.at(-1)?.done, label).toBe(true);
      }
    });
  }

  it('keeps multi-byte characters split across chunks', async () => {
    const bytes = encode('{"t":"Привет, мир 🌍"}\n{"t":"ёж"}\n');
    for (const { label, chunks } of chunkings(bytes)) {
      expect(
        (await collect(chunks)).map((v) => v.t),
        label,
      ).toEqual(['Привет, мир 🌍', 'ёж']);
    }
  });

  it('skips blank lines and parses a last line without a newline', async () => {
    expect(await collect([encode('\n{"a":1}\n\n   \n{"a":2}')])).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('throws an invalid_response ProviderError on a line that is not JSON', async () => {
    const error = await collect([encode('{"a":1}\nnot json\n')]).catch((e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as ProviderError).kind).toBe('invalid_response');
  });
});

describe('NDJSON line cap', () => {
  it('reassembles an 8 MB line fed in 1 KB chunks', async () => {
    const payload = 'q'.repeat(8 * 1024 * 1024);
    const bytes = encode(`{"i":1}\n{"big":"${payload}"}\n{"i":3}`);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 1024) chunks.push(bytes.subarray(i, i + 1024));
    const values = await collect(chunks);
    expect(values).toHaveLength(3);
    expect((values[1]!.big as string).length).toBe(payload.length);
    expect(values[2]).toEqual({ i: 3 });
  });

  it('throws a typed line-too-long error over maxLineLength, after the values before it', async () => {
    const bytes = encode(`{"i":1}\n{"long":"${'w'.repeat(64)}"}\n{"i":3}\n`);
    for (const { label, chunks } of chunkings(bytes)) {
      const values: unknown[] = [];
      const error = await (async () => {
        for await (const value of parseNdjsonStream(streamOf(chunks), {
          provider: 'ollama',
          maxLineLength: 32,
        }))
          values.push(value);
      })().catch((e: unknown) => e);
      expect(values, label).toEqual([{ i: 1 }]);
      expect(ProviderError.isInstance(error), label).toBe(true);
      expect((error as ProviderError).code, label).toBe('line-too-long');
      expect((error as ProviderError).kind, label).toBe('invalid_response');
      expect((error as ProviderError).retryable, label).toBe(false);
      expect((error as ProviderError).provider, label).toBe('ollama');
      expect((error as ProviderError).message, label).not.toContain('www');
    }
  });

  it('ends an endless line in the typed error and cancels the body', async () => {
    let cancelled = false;
    let reason: unknown;
    let pulls = 0;
    const piece = encode('{"x":"'.padEnd(1024, 'x'));
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(pulls === 1 ? encode('{"i":1}\n') : piece);
      },
      cancel(why) {
        cancelled = true;
        reason = why;
      },
    });
    const values: unknown[] = [];
    const error = await (async () => {
      for await (const value of parseNdjsonStream(body, { maxLineLength: 64 * 1024 })) values.push(value);
    })().catch((e: unknown) => e);
    expect(values).toEqual([{ i: 1 }]);
    expect((error as ProviderError).code).toBe('line-too-long');
    expect(cancelled).toBe(true);
    expect(reason).toBe(error);
    expect(pulls).toBeLessThan(100);
  });

  it('cancels the body when a line is not JSON', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encode('{"a":1}\nnot json\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    const error = await (async () => {
      for await (const _ of parseNdjsonStream(body));
    })().catch((e: unknown) => e);
    expect((error as ProviderError).kind).toBe('invalid_response');
    expect(cancelled).toBe(true);
  });

  it('batches: the values of one read come together; a bad line ends the stream after a batch of those before it', async () => {
    const batches: unknown[][] = [];
    const read = (async () => {
      for await (const batch of parseNdjsonBatches(
        streamOf([encode('{"a":1}\n{"a":2}\n{"a":'), encode('3}\n'), encode('{"a":4}\nnot json\n{"a":5}\n')]),
      ))
        batches.push(batch);
    })();
    await expect(read).rejects.toMatchObject({ kind: 'invalid_response' });
    expect(batches).toEqual([[{ a: 1 }, { a: 2 }], [{ a: 3 }], [{ a: 4 }]]);
  });
});
