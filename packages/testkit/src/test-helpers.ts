import type { ProviderError, StreamPart } from '@llmo/core';

/** Every part of a stream (or any async iterable), in order; a stream that throws rejects with its error. */
export async function collectParts<T = StreamPart>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const part of iterable) out.push(part);
  return out;
}

/**
 * The error a promise rejects with, for assertions on it (`expect(await rejectionOf(p)).toMatchObject(…)`);
 * a promise that resolves fails the test.
 */
export function rejectionOf<E = ProviderError>(promise: Promise<unknown>): Promise<E> {
  return promise.then(
    (value) =>
      Promise.reject(new Error(`expected a rejection, got ${JSON.stringify(value) ?? String(value)}`)),
    (error: E) => error,
  );
}

/**
 * A response body that delivers `data` (text is UTF-8 encoded) in reads of `pieceBytes`, so events, frames and
 * multi-byte characters split across reads: for a provider's stream-mapping tests without a server.
 */
export function chunkedBody(data: Uint8Array | string, pieceBytes = 7): ReadableStream<Uint8Array> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + pieceBytes));
      offset += pieceBytes;
    },
  });
}
