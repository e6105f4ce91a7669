import { readFileSync } from 'node:fs';

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url)));
}

/** A body stream that delivers `bytes` in the given chunks. */
export function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]!);
      else controller.close();
    },
  });
}

/**
 * Chunkings of a byte string: every single split point, byte by byte, and every fixed chunk size up to 64.
 * (All 2^(n-1) partitions are out of reach; these cover every boundary position, including each byte of a
 * multi-byte character and each byte of a CRLF pair.)
 */
export function* chunkings(bytes: Uint8Array): Generator<{ label: string; chunks: Uint8Array[] }> {
  yield { label: 'whole', chunks: [bytes] };
  for (let at = 1; at < bytes.length; at++) {
    yield { label: `split@${at}`, chunks: [bytes.slice(0, at), bytes.slice(at)] };
  }
  for (let size = 1; size <= 64; size++) {
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.slice(i, i + size));
    yield { label: `size=${size}`, chunks };
  }
}

/** The same transcript with its line endings rewritten (LF → CRLF or CR). */
export function withLineEndings(bytes: Uint8Array, ending: '\n' | '\r\n' | '\r'): Uint8Array {
  const text = new TextDecoder().decode(bytes);
  return new TextEncoder().encode(text.replace(/\n/g, ending));
}
