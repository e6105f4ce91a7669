import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** A request the fake server received, for assertions on URL, headers and body. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Record<string, string>;
  bodyText: string;
  /** The body parsed as JSON, or as a form when it is `application/x-www-form-urlencoded`; else undefined. */
  body: unknown;
}

/** How the server answers one request. Every field is optional: the default is an empty 200. */
export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  /** The body, written at once unless `splitBytes` is set. An object is sent as JSON. */
  body?: string | Uint8Array | Record<string, unknown> | unknown[];
  /** A streamed body: each item is written separately (after `chunkDelayMs`). */
  chunks?: (string | Uint8Array)[];
  /** Re-split every write into pieces of this many bytes, so boundaries land inside multi-byte characters. */
  splitBytes?: number;
  /** Pause between writes. Default: one event-loop turn. */
  chunkDelayMs?: number;
  /** Destroy the connection after this many chunks have been written (a reset mid-stream). */
  resetAfterChunks?: number;
  /** Never answer (until the client gives up or the server closes). */
  hang?: boolean;
  /** Wait this long before sending the status line. */
  delayMs?: number;
}

export type Responder =
  | ScriptedResponse
  | ((request: RecordedRequest) => ScriptedResponse | Promise<ScriptedResponse>);

interface Route {
  method: string;
  path: string | RegExp;
  fallback: Responder;
  queue: Responder[];
}

const encoder = new TextEncoder();
const toBytes = (value: string | Uint8Array) => (typeof value === 'string' ? encoder.encode(value) : value);
const wait = (ms: number | undefined) =>
  new Promise<void>((resolve) => (ms ? setTimeout(resolve, ms) : setImmediate(resolve)));

function split(bytes: Uint8Array, size: number | undefined): Uint8Array[] {
  if (!size || size >= bytes.length) return [bytes];
  const pieces: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.subarray(i, i + size));
  return pieces;
}

/**
 * A scriptable HTTP server on 127.0.0.1 (a real socket, an ephemeral port). Routes have a default answer and
 * a queue of one-shot answers; every request is recorded. Unknown routes get a 404 JSON body.
 */
export class FakeHttpServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Route[] = [];
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** Starts a server on 127.0.0.1 with an ephemeral port; HTTPS when given a certificate (see `TEST_TLS`). */
  static async start(options: { tls?: { key: string; cert: string } } = {}): Promise<FakeHttpServer> {
    let instance: FakeHttpServer | undefined;
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      void instance!.handle(req, res);
    };
    const server: Server = options.tls
      ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler)
      : createServer(handler);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    instance = new FakeHttpServer(server, `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`);
    return instance;
  }

  /** Sets the default answer of a route. `path` matches the path exactly, or a RegExp. */
  on(method: string, path: string | RegExp, responder: Responder): this {
    const route = this.route(method, path);
    route.fallback = responder;
    return this;
  }

  /** Queues one-shot answers for a route, used in order before its default. */
  enqueue(method: string, path: string | RegExp, ...responders: Responder[]): this {
    this.route(method, path).queue.push(...responders);
    return this;
  }

  /** Requests received on one path. */
  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Forgets recorded requests and queued answers (defaults stay). */
  reset(): void {
    this.requests.length = 0;
    for (const route of this.routes) route.queue.length = 0;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private route(method: string, path: string | RegExp): Route {
    const key = String(path);
    let route = this.routes.find((r) => r.method === method && String(r.path) === key);
    if (!route) {
      route = {
        method,
        path,
        fallback: { status: 404, body: { error: `no fake answer for ${method} ${key}` } },
        queue: [],
      };
      this.routes.push(route);
    }
    return route;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bodyText = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    let body: unknown;
    if ((headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
      body = Object.fromEntries(new URLSearchParams(bodyText));
    } else {
      try {
        body = bodyText ? JSON.parse(bodyText) : undefined;
      } catch {
        body = undefined;
      }
    }
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers,
      bodyText,
      body,
    };
    this.requests.push(recorded);

    const route = this.routes.find(
      (r) =>
        r.method === recorded.method &&
        (typeof r.path === 'string' ? r.path === recorded.path : r.path.test(recorded.path)),
    );
    const responder = route
      ? (route.queue.shift() ?? route.fallback)
      : { status: 404, body: { error: 'not found' } };
    try {
      const script = typeof responder === 'function' ? await responder(recorded) : responder;
      await this.respond(res, script);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake server error: ${String(error)}`);
    }
  }

  private async respond(res: ServerResponse, script: ScriptedResponse): Promise<void> {
    res.socket?.setNoDelay(true);
    if (script.hang) {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    if (script.delayMs) await wait(script.delayMs);
    const headers: Record<string, string> = { ...script.headers };
    let writes: Uint8Array[];
    if (script.chunks) {
      writes = script.chunks.map(toBytes);
    } else if (script.body === undefined) {
      writes = [];
    } else if (typeof script.body === 'string' || script.body instanceof Uint8Array) {
      writes = [toBytes(script.body)];
    } else {
      headers['content-type'] ??= 'application/json';
      writes = [encoder.encode(JSON.stringify(script.body))];
    }
    res.writeHead(script.status ?? 200, headers);
    let written = 0;
    for (const write of writes) {
      if (script.resetAfterChunks !== undefined && written >= script.resetAfterChunks) {
        res.socket?.destroy();
        return;
      }
      for (const piece of split(write, script.splitBytes)) {
        if (res.destroyed) return;
        res.write(piece);
        await wait(script.chunkDelayMs);
      }
      written++;
    }
    if (script.resetAfterChunks !== undefined && written >= script.resetAfterChunks) {
      res.socket?.destroy();
      return;
    }
    res.end();
  }
}
