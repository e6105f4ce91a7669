// Node only (behind the `node` condition of `@llmo/core/transport` and `@llmo/core/node`). A `fetch` on undici's
// dispatcher API (`request`), for the default transport's fast path: undici's own `fetch` builds WHATWG
// Request/Response objects, header lists and web streams for every call, which measured as most of a
// provider's overhead per call. `request` returns the status, a header record and a Node stream; this module
// wraps them in a Response-shaped object that builds the costly parts (a web `ReadableStream`) only when asked.
import type { Readable } from 'node:stream';
import { NODE_BODY, type NodeBody, responseDone } from '../provider-utils/node-body.js';
import { requireFromHere } from './require-from-here.js';

/** The part of undici's `request` this module uses (structural, so undici's types never reach our `.d.ts`). */
export type UndiciRequest = (
  url: string,
  options: {
    method: string;
    headers: Record<string, string>;
    body?: string | Uint8Array;
    signal?: AbortSignal;
    dispatcher: unknown;
  },
) => Promise<{
  statusCode: number;
  statusText?: string;
  headers: Record<string, string | string[] | undefined>;
  body: Readable & {
    text(): Promise<string>;
    dump?(options?: { limit?: number }): Promise<void>;
  };
}>;

/** Headers over undici's record (lower-case names), with the read API providers use; mutation is refused. */
class ResponseHeaders {
  constructor(private readonly record: Record<string, string | string[] | undefined>) {}

  get(name: string): string | null {
    const value = this.record[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  has(name: string): boolean {
    return this.record[name.toLowerCase()] !== undefined;
  }

  getSetCookie(): string[] {
    const value = this.record['set-cookie'];
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
  }

  forEach(callback: (value: string, name: string, parent: this) => void): void {
    for (const [name, value] of this.entries()) callback(value, name, this);
  }

  *entries(): IterableIterator<[string, string]> {
    const names = Object.keys(this.record).sort();
    for (const name of names) {
      const value = this.get(name);
      if (value !== null) yield [name, value];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  set(): never {
    throw new TypeError('response headers are immutable');
  }
  append(): never {
    throw new TypeError('response headers are immutable');
  }
  delete(): never {
    throw new TypeError('response headers are immutable');
  }
}

// node:zlib and node:stream are loaded on first use (a compressed body, a web `body`): a process that never
// needs them does not pay for loading them at start-up.
const zlib = () => requireFromHere('node:zlib') as typeof import('node:zlib');
const DECODERS: Record<string, () => NodeJS.ReadWriteStream> = {
  gzip: () => zlib().createGunzip(),
  'x-gzip': () => zlib().createGunzip(),
  deflate: () => zlib().createInflate(),
  br: () => zlib().createBrotliDecompress(),
};

/**
 * A `Response` as far as providers use one: `ok`, `status`, `headers.get`, `text()`, `json()`, `arrayBuffer()`,
 * `bytes()` and `body`; the Node stream under `NODE_BODY` for the stream parsers' fast path. `body` (a web
 * stream) is built only when read. One consumer, as with fetch: a second read throws.
 */
class NodeResponse {
  readonly ok: boolean;
  readonly redirected = false;
  readonly type = 'basic';
  readonly headers: ResponseHeaders;
  private used = false;
  private web: ReadableStream<Uint8Array> | undefined;
  /** The body stream: undici's, or the decompressor it is piped into. */
  private readonly stream: Readable;
  readonly [NODE_BODY]: NodeBody;

  constructor(
    readonly status: number,
    readonly statusText: string,
    headers: Record<string, string | string[] | undefined>,
    private readonly raw: Readable & {
      text(): Promise<string>;
      dump?(o?: { limit?: number }): Promise<void>;
    },
    readonly url: string,
    head = false,
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = new ResponseHeaders(headers);
    const encoding = this.headers.get('content-encoding')?.trim().toLowerCase();
    // A body that is empty by definition has nothing to decode (a decoder would fail on it: "unexpected end").
    const empty = head || status === 204 || status === 304 || this.headers.get('content-length') === '0';
    const decoder = encoding && !empty ? DECODERS[encoding] : undefined;
    // undici's `request` does not decompress (its `fetch` does): the decoder keeps gzip/br (and deflate, if asked for) working.
    const stream = decoder ? raw.pipe(decoder() as unknown as NodeJS.WritableStream & Readable) : raw;
    if (decoder) {
      raw.on('error', (error) => stream.destroy(error));
      // A body the decoder cannot read: release the socket too.
      stream.on('error', () => destroyQuietly(raw));
    }
    this.stream = stream;
    // However the body is read (or dropped), its end unlinks the caller's signal from the request.
    stream.once('close', () => responseDone(this));
    this[NODE_BODY] = {
      iterator: () => this.take().iterator({ destroyOnReturn: false }),
      release: (_reason, drain) => {
        // After the wire's end marker ([DONE]) read what is left (bounded) so the socket returns to the pool;
        // otherwise destroy the body, which aborts the request: the upstream stops generating.
        if (drain && stream === raw && raw.dump) raw.dump({ limit: 128 * 1024 }).catch(() => {});
        else destroyQuietly(stream, raw);
      },
    };
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  get body(): ReadableStream<Uint8Array> {
    const { Readable } = requireFromHere('node:stream') as typeof import('node:stream');
    this.web ??= Readable.toWeb(this.take()) as ReadableStream<Uint8Array>;
    return this.web;
  }

  async text(): Promise<string> {
    const stream = this.take();
    if (stream === this.raw) return this.raw.text();
    return new TextDecoder().decode(await collect(stream));
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async bytes(): Promise<Uint8Array> {
    return collect(this.take());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  clone(): never {
    throw new TypeError(
      "llmo's Node transport does not clone responses; pass `fetch: globalThis.fetch` to the provider if you need it",
    );
  }

  private take(): Readable {
    if (this.used) throw new TypeError('Body is unusable: the body has already been read');
    this.used = true;
    return this.stream;
  }
}

/**
 * Destroys body streams nobody reads any more. undici's body emits an `AbortError` when destroyed: with no
 * reader left to receive it, it would surface as an uncaught exception.
 */
function destroyQuietly(...streams: Readable[]): void {
  for (const stream of streams) {
    stream.on('error', () => {});
    stream.destroy();
  }
}

async function collect(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

function headerRecord(headers: HeadersInit | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  if (!headers) return record;
  if (Array.isArray(headers)) {
    for (const [name, value] of headers) record[name.toLowerCase()] = value;
  } else if (typeof (headers as Headers).forEach === 'function') {
    (headers as Headers).forEach((value, name) => {
      record[name] = value;
    });
  } else {
    for (const [name, value] of Object.entries(headers as Record<string, string>))
      if (value !== undefined) record[name.toLowerCase()] = value;
  }
  return record;
}

/**
 * A `fetch` on `request` through `dispatcher`, for what providers send: a string or URL, a method, headers and
 * a string or bytes body, with a signal. Anything else (a `Request` object, a stream or form body, redirect
 * modes) goes to `fallback` (undici's `fetch` on the same dispatcher), so the result is always right.
 * Differences from fetch, on the fast path: redirects are not followed (an API endpoint answers, it does not
 * redirect; the 3xx comes back as a response), and `accept-encoding: gzip, br` is sent unless the caller set
 * one, with the body decompressed as fetch does. An abort settles the call at once, even while the request
 * waits for a connection of a busy pool.
 */
export function createRequestFetch(
  request: UndiciRequest,
  dispatcher: unknown,
  fallback: (input: string | URL | Request, init?: RequestInit) => Promise<Response>,
): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const body = init?.body;
    if (
      (typeof input !== 'string' && !(input instanceof URL)) ||
      (body != null && typeof body !== 'string' && !(body instanceof Uint8Array)) ||
      (init?.redirect !== undefined && init.redirect !== 'follow')
    )
      return fallback(input, init);
    const url = typeof input === 'string' ? input : input.href;
    const headers = headerRecord(init?.headers);
    // Not `deflate`: servers send it raw or zlib-wrapped, ambiguously; gzip and br cover what APIs use.
    headers['accept-encoding'] ??= 'gzip, br';
    const signal = init?.signal ?? undefined;
    if (signal?.aborted) throw signal.reason;
    const pending = request(url, {
      method: init?.method ?? 'GET',
      headers,
      body: body ?? undefined,
      signal,
      dispatcher,
    });
    const wrap = (response: Awaited<typeof pending>) =>
      new NodeResponse(
        response.statusCode,
        response.statusText ?? '',
        response.headers,
        response.body,
        url,
        init?.method === 'HEAD',
      ) as unknown as Response;
    if (!signal) return wrap(await pending);
    // undici notices an abort only once the request has a connection: one queued behind a busy pool would
    // wait for a socket before its timeout or the caller's abort took effect. Settle on the abort at once.
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => {
        reject(signal.reason);
        pending.then(
          (late) => destroyQuietly(late.body),
          () => {},
        );
      };
      signal.addEventListener('abort', onAbort, { once: true });
      pending.then(
        (response) => {
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) destroyQuietly(response.body);
          else resolve(wrap(response));
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  };
}
