import type { DashboardCollector } from './dashboard-collector.js';

/**
 * What `@hono/node-server` passes as `c.env.outgoing` (Node's `ServerResponse`), duck-typed so this file needs
 * no Node types and stays edge-safe. On Node a client that stops reading leaves the server waiting for a
 * `drain` that never comes: closing or erroring the response body is never seen, so the only way to free that
 * connection (and the megabytes Node buffers for it) is to destroy it.
 */
export interface NodeConnection {
  destroy(error?: Error): unknown;
  readonly writableNeedDrain?: boolean;
}

export interface SnapshotEventStreamOptions {
  collector: DashboardCollector;
  /** Quiet time before a `: ping`; also how long a write may wait for a client that takes nothing. */
  heartbeatMs: number;
  maxStreamMs: number;
  /** Node's response when served by `@hono/node-server`, so a stalled client's connection can be dropped. */
  connection?: NodeConnection;
  /** Called once when the stream is over (ended, dropped or its client gone): frees its `maxStreams` slot. */
  onEnd(): void;
  /**
   * Asked again every `heartbeatMs` while the stream is open; `false` (or a throw) ends it. A revoked key must
   * not keep watching for the rest of `maxStreamMs`.
   */
  stillAuthorized?: () => boolean | Promise<boolean>;
}

export interface SnapshotEventStream {
  /** The response body: `text/event-stream` bytes. */
  body: ReadableStream<Uint8Array>;
  /** Ends the stream: gracefully when the client has taken everything, else by dropping the connection. */
  end(): void;
}

const encoder = new TextEncoder();

/**
 * The SSE body of `GET /events`: the first snapshot at once, then what the collector's ticks bring, a ping when
 * quiet, and an end after `maxStreamMs`.
 *
 * Written on a plain `ReadableStream` rather than Hono's `streamSSE` because the end must be able to drop a
 * client that stopped reading: `streamSSE` only closes gracefully, and that close waits behind the unread
 * write forever (the stream leaves `maxStreams`' count while its connection and buffers stay).
 *
 * Latest wins: the body's queue holds one chunk; while the client has not taken it, newer snapshots replace
 * the one waiting behind it instead of queueing, so a stalled reader costs two snapshots, never a growing
 * buffer. A chunk left untaken for `heartbeatMs` ends the stream by dropping the connection.
 */
export function openSnapshotEventStream(options: SnapshotEventStreamOptions): SnapshotEventStream {
  const { collector, heartbeatMs, maxStreamMs, connection } = options;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  /** The newest text waiting behind the queued chunk. */
  let pending: string | undefined;
  /** When the queue last went from empty to holding a chunk the client has not taken; undefined when empty. */
  let queuedSince: number | undefined;
  let lastWrite = Date.now();
  let lastAuthorized = Date.now();
  let authorizing = false;
  let ended = false;

  // One check at a time: a slow authorizer (a key store over the network) must not pile up calls.
  const reauthorize = () => {
    const { stillAuthorized } = options;
    if (!stillAuthorized || authorizing || Date.now() - lastAuthorized < heartbeatMs) return;
    authorizing = true;
    void (async () => stillAuthorized())()
      .then(
        (allowed) => allowed === true,
        () => false,
      )
      .then((allowed) => {
        authorizing = false;
        lastAuthorized = Date.now();
        if (!allowed) finish('graceful');
      });
  };

  const enqueue = (text: string) => {
    controller.enqueue(encoder.encode(text));
    lastWrite = Date.now();
    // A waiting read takes the chunk at once (the queue stays empty); otherwise it now waits for the client.
    if ((controller.desiredSize ?? 1) <= 0) queuedSince ??= lastWrite;
  };

  const write = (text: string) => {
    if (ended) return;
    if ((controller.desiredSize ?? 0) > 0) enqueue(text);
    else pending = text;
  };

  const body = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      // The client took what was queued: hand it the newest waiting text, if any.
      pull() {
        queuedSince = undefined;
        if (pending === undefined || ended) return;
        const text = pending;
        pending = undefined;
        enqueue(text);
      },
      // The client went away (Node: its socket closed; elsewhere: the runtime cancelled the body).
      cancel() {
        finish('gone');
      },
    },
    { highWaterMark: 1 },
  );

  const finish = (how: 'graceful' | 'drop' | 'gone') => {
    if (ended) return;
    ended = true;
    unsubscribe?.();
    clearTimeout(lifetime);
    options.onEnd();
    if (how === 'gone') return;
    const unsent =
      pending !== undefined || (controller.desiredSize ?? 1) <= 0 || connection?.writableNeedDrain === true;
    if (how === 'graceful' && !unsent) {
      controller.close();
      return;
    }
    // A client still behind would hold a graceful close forever: drop it (the browser reconnects at once).
    pending = undefined;
    if (connection) connection.destroy();
    else
      controller.error(
        new Error('llmo dashboard: the event stream was dropped (its client stopped reading).'),
      );
  };

  let unsubscribe: (() => void) | undefined;
  let lifetime: ReturnType<typeof setTimeout> | undefined;
  // subscribe() on a closed collector calls close at once: `finish` must already work then (no TDZ).
  unsubscribe = collector.subscribe({
    update(json) {
      if (queuedSince !== undefined && Date.now() - queuedSince >= heartbeatMs) return finish('drop');
      reauthorize();
      if (json !== null) write(`event: snapshot\ndata: ${json}\n\n`);
      else if (Date.now() - lastWrite >= heartbeatMs) write(': ping\n\n');
    },
    close: () => finish('graceful'),
  });
  if (!ended) {
    lifetime = setTimeout(() => finish('graceful'), maxStreamMs);
    // The first snapshot at once, with the reconnection delay the browser should use after a drop.
    write(`retry: 2000\nevent: snapshot\ndata: ${collector.snapshotJson()}\n\n`);
  }
  return { body, end: () => finish('graceful') };
}
