import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors/provider-error.js';
import { chunkings, fixture, streamOf, withLineEndings } from './chunkings.test-helper.js';
import { parseNdjsonStream } from './ndjson-parser.js';

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
