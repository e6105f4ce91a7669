/**
 * Where a Response from llmo's Node transport (`@llmo/core/transport` on Node) keeps its body as a Node
 * stream, so the stream parsers read it without building a web `ReadableStream` per response. Edge-safe: a
 * registered symbol and a structural type, no Node import.
 */
export const NODE_BODY: unique symbol = Symbol.for('llmo.transport.nodeBody') as never;

/**
 * A function a response carries when `callApi` linked the caller's signal to it: called once the body is
 * finished with (read to the end, cancelled or failed), it removes that link, so a long-lived caller signal
 * does not collect a listener per request. The body readers here (`readJsonResponse`, `parseSseStream`,
 * `parseNdjsonStream`) call it; so does the Node transport when its body stream closes.
 */
export const RESPONSE_DONE: unique symbol = Symbol.for('llmo.transport.responseDone') as never;

/** Calls the response's `RESPONSE_DONE` function, if it has one. */
export function responseDone(response: unknown): void {
  const done = (response as { [RESPONSE_DONE]?: () => void } | null | undefined)?.[RESPONSE_DONE];
  if (typeof done === 'function') done();
}

/** The Node body a transport Response carries under `NODE_BODY`. */
export interface NodeBody {
  /** The body's chunks (Buffers are Uint8Arrays); leaving the iteration early does not destroy the stream. */
  iterator(): AsyncIterator<Uint8Array>;
  /**
   * Called when the reader stops before the body's end. With `drain` (the wire's end marker was read: `[DONE]`,
   * `message_stop`), the little that is left is read and discarded (bounded), so the connection goes back to
   * the pool; otherwise (the caller stopped, an error) the body is destroyed, which aborts the request so the
   * upstream stops generating.
   */
  release(reason: unknown, drain: boolean): void;
}

/** One reader over a response's bytes, whichever way the transport gave them. */
export interface ByteReader {
  read(): Promise<IteratorResult<Uint8Array>>;
  /**
   * Stops reading before the end: aborts the body, or with `drain` (only after the wire's end marker) reads
   * what is left so the connection can be reused (see `NodeBody.release`).
   */
  cancel(reason?: unknown, drain?: boolean): Promise<void>;
}

/** A fetch `Response` or its body: the Node stream under `NODE_BODY` when there is one, else the web stream. */
export type BodySource = ReadableStream<Uint8Array> | Response;

export function openBody(source: BodySource): ByteReader {
  const node = (source as { [NODE_BODY]?: NodeBody })[NODE_BODY];
  if (node) {
    const iterator = node.iterator();
    return {
      read: () => iterator.next(),
      cancel: async (reason, drain = false) => {
        // Detach the iterator first: while its listener is attached, a drain could not make the body flow.
        await iterator.return?.().catch(() => {});
        node.release(reason, drain && reason === undefined);
        responseDone(source);
      },
    };
  }
  const isStream = source instanceof ReadableStream;
  const body = isStream ? source : (source as Response).body;
  if (!body) {
    if (!isStream) responseDone(source);
    return { read: async () => ({ done: true, value: undefined }), cancel: async () => {} };
  }
  const reader = body.getReader();
  return {
    async read() {
      try {
        const result = (await reader.read()) as IteratorResult<Uint8Array>;
        if (result.done && !isStream) responseDone(source);
        return result;
      } catch (error) {
        if (!isStream) responseDone(source);
        throw error;
      }
    },
    async cancel(reason) {
      await reader.cancel(reason).catch(() => {});
      reader.releaseLock();
      if (!isStream) responseDone(source);
    },
  };
}

/**
 * A provider's stream over a response: the `head` parts (`stream-start`, …), then `parts`, read from the body.
 * If the caller stops before the body was ever read (after `stream-start`), the body is cancelled: the request
 * is aborted (the upstream stops generating, the pooled socket is freed) and the caller's signal unlinked.
 *
 * @deprecated Use `partStream` (one iterator instead of a generator per layer); kept for providers written
 * against it.
 */
export async function* withResponseBody<P>(
  response: BodySource,
  head: readonly P[],
  parts: AsyncIterable<P>,
): AsyncGenerator<P, void, undefined> {
  let reading = false;
  try {
    for (const part of head) yield part;
    reading = true;
    yield* parts;
  } finally {
    if (!reading) await openBody(response).cancel();
  }
}
