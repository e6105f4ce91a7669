// The usage HTTP sink of the chaos benchmark (Node only): accepts the router's POSTed usage records,
// fails a share of them with 503, and can go completely down for a while (connections refused, or every
// POST answered 503).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { seededRandom } from './chaos-server.js';

export type SinkDownMode = 'refuse' | '503';

/** One distinct record the sink accepted (answered 2xx). */
export interface SinkEntry {
  /** `id:<id>` when the record has an `id`, else `noid:<request_id>|<provider>|<retry>|<success>|<timestamp>`. */
  key: string;
  hasId: boolean;
  requestId: string;
  /** How many times it was accepted. */
  count: number;
}

const MAX_BODY_BYTES = 64 * 1024;

export class UsageSink {
  /** Accepted records, by key. */
  readonly entries = new Map<string, SinkEntry>();
  posts = 0;
  accepted = 0;
  /** POSTs answered 503 by the random failure share. */
  injectedFailures = 0;
  /** POSTs answered 503 because the sink was down (`503` mode only; refused connections are not seen). */
  rejectedWhileDown = 0;
  malformed = 0;
  lastAcceptedAt = 0;
  private readonly sockets = new Set<Socket>();
  private readonly random: () => number;
  private down = false;

  private constructor(
    private readonly server: Server,
    private readonly port: number,
    private readonly failRate: number,
    seed: number,
  ) {
    this.random = seededRandom(seed);
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: { failRate: number; seed: number }): Promise<UsageSink> {
    let instance: UsageSink | undefined;
    const server = createServer((req, res) => {
      instance!.handle(req).then(
        ({ status, body }) => {
          if (!res.destroyed) res.writeHead(status, { 'content-type': 'application/json' }).end(body);
        },
        () => res.destroy(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    instance = new UsageSink(server, port, options.failRate, options.seed);
    return instance;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/usage`;
  }

  /** Goes completely down for `ms`, then comes back on the same port. Resolves when it is back. */
  async goDown(ms: number, mode: SinkDownMode): Promise<void> {
    this.down = true;
    if (mode === 'refuse') {
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      for (const socket of this.sockets) socket.destroy();
      this.server.closeAllConnections();
      await closed;
      await sleep(ms);
      await this.listenAgain();
    } else {
      await sleep(ms);
    }
    this.down = false;
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    await closed;
  }

  private async listenAgain(): Promise<void> {
    // Bounded: the port was ours a moment ago, so a few tries are plenty.
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        await new Promise<void>((resolve, reject) => {
          this.server.once('error', reject);
          this.server.listen(this.port, '127.0.0.1', () => {
            this.server.off('error', reject);
            resolve();
          });
        });
        return;
      } catch {
        await sleep(100);
      }
    }
    throw new Error(`the usage sink could not listen on port ${this.port} again`);
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: string }> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) return { status: 413, body: '{"error":"too large"}' };
      chunks.push(chunk as Buffer);
    }
    this.posts++;
    if (this.down) {
      this.rejectedWhileDown++;
      return { status: 503, body: '{"error":"sink down"}' };
    }
    if (this.random() < this.failRate) {
      this.injectedFailures++;
      return { status: 503, body: '{"error":"injected failure"}' };
    }
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      this.malformed++;
      return { status: 400, body: '{"error":"not JSON"}' };
    }
    const requestId = String(record.request_id ?? record.requestId ?? '');
    const id = record.id;
    const hasId = typeof id === 'string' && id !== '';
    const key = hasId
      ? `id:${id}`
      : `noid:${requestId}|${String(record.provider)}|${String(record.retry)}|${String(record.success)}|${String(record.timestamp)}`;
    const entry = this.entries.get(key);
    if (entry) entry.count++;
    else this.entries.set(key, { key, hasId, requestId, count: 1 });
    this.accepted++;
    this.lastAcceptedAt = performance.now();
    return { status: 200, body: '{"ok":true}' };
  }
}
