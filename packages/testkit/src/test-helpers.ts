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
