// A fault-injecting, OpenAI-compatible Chat Completions server for the chaos benchmark (Node only).
// Wire format as in ../../../shared/protocols/openai.md: JSON, or SSE `data:` lines ending with
// `data: [DONE]`, the usage chunk (with `choices: []`) last when `stream_options.include_usage` is set,
// and `{error:{message,type,param,code}}` error bodies. Every fault is bounded: stalls last until the client
// disconnects or the server closes, and an endless line stops growing after `endlessMaxBytes`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Every fault a server injects, chosen uniformly when a request draws a fault. */
export const FAULT_KINDS = [
  'http-500',
  'http-502',
  'http-503',
  'http-429',
  'reset-before-headers',
  'reset-mid-body',
  'stall-after-headers',
  'stall-after-chunks',
  'endless-line',
  'malformed-json',
  'missing-choices',
  'error-in-200',
  'slow-correct',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
/** What one request was served: a fault, or a correct answer. */
export type Served = FaultKind | 'ok';

/** A small seeded PRNG (mulberry32): uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The text a correct answer carries for one benchmark request; the client checks it byte for byte. */
export function expectedAnswer(chaosId: string): string {
  return answerDeltas(chaosId).join('');
}

function answerDeltas(chaosId: string): string[] {
  return ['Answer ', 'for ', chaosId, ' is ', '42.'];
}

/**
 * Which server is fault-free right now. Exactly one at any moment; it moves to the next server every
 * `periodMs`. A request is judged when it arrives, so a stall that began on a faulty server stays stalled.
 */
export class Rotation {
  healthy = 0;
  rotations = 0;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly count: number,
    periodMs: number,
  ) {
    this.timer = setInterval(() => {
      this.healthy = (this.healthy + 1) % this.count;
      this.rotations++;
    }, periodMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** What each benchmark request (by its `x-chaos-id` header) was served, by which server, in order. */
export type FaultLog = Map<string, string[]>;

export interface ChaosServerOptions {
  /** 0-based position in the rotation. */
  index: number;
  name: string;
  rotation: Rotation;
  /** Probability that a request to a server that is not the healthy one gets a fault. */
  faultRate: number;
  seed: number;
  /** An endless line stops growing after this many bytes (then trickles 1 KB every 250 ms for ≤ 2 min). */
  endlessMaxBytes: number;
  log: FaultLog;
}

const MAX_REQUEST_BYTES = 1 << 20;
const ENDLESS_PIECE = 16 * 1024;
const ENDLESS_TRICKLE_MS = 250;
const ENDLESS_TRICKLE_MAX_MS = 120_000;

const sse = (data: unknown) => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

/**
 * Writes and waits until the chunk is handed to the OS (which is also backpressure); resolves false when the
 * response is gone. Waiting matters: Node corks a response's socket until the next tick, so destroying the
 * socket right after a bare `write()` would drop the chunk and turn a mid-body reset into one before headers.
 */
function write(res: ServerResponse, chunk: string | Buffer): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onClose = () => resolve(false);
    res.once('close', onClose);
    res.write(chunk, (error) => {
      res.off('close', onClose);
      resolve(!error);
    });
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One fault-injecting OpenAI-compatible server on 127.0.0.1 (ephemeral port). */
export class ChaosOpenAIServer {
  /** Requests served, by what they were served. */
  readonly served = new Map<Served, number>();
  /** Bytes sent as endless lines (all requests). */
  endlessBytes = 0;
  private readonly sockets = new Set<Socket>();
  private readonly random: () => number;
  private closing = false;
  private counter = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: ChaosServerOptions,
  ) {
    this.random = seededRandom(options.seed);
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: ChaosServerOptions): Promise<ChaosOpenAIServer> {
    let instance: ChaosOpenAIServer | undefined;
    const server = createServer((req, res) => {
      instance!.handle(req, res).catch(() => {
        if (!res.headersSent && !res.destroyed) res.writeHead(500).end();
        else res.destroy();
      });
    });
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    instance = new ChaosOpenAIServer(server, `http://127.0.0.1:${port}`, options);
    return instance;
  }

  get baseURL(): string {
    return `${this.url}/v1`;
  }

  get name(): string {
    return this.options.name;
  }

  /** Destroys every connection (stalled ones included) and stops listening. */
  async close(): Promise<void> {
    this.closing = true;
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private pick(): Served {
    if (this.options.rotation.healthy === this.options.index) return 'ok';
    if (this.random() >= this.options.faultRate) return 'ok';
    return FAULT_KINDS[Math.floor(this.random() * FAULT_KINDS.length)]!;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.socket?.setNoDelay(true);
    const bodyText = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const chaosId = String(req.headers['x-chaos-id'] ?? 'unknown');
    const served = this.pick();
    this.served.set(served, (this.served.get(served) ?? 0) + 1);
    if (chaosId !== 'unknown') {
      const entries = this.options.log.get(chaosId);
      const entry = `${this.options.name}:${served}`;
      if (entries) entries.push(entry);
      else this.options.log.set(chaosId, [entry]);
    }

    if (req.method === 'GET' && path === '/v1/models') {
      const models = {
        object: 'list',
        data: [{ id: 'gpt-4o-mini', object: 'model', created: 1686935002, owned_by: 'chaos' }],
      };
      await this.respondJson(res, served, models);
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      this.sendError(res, 404, 'not_found_error', `no route ${req.method} ${path}`);
      return;
    }
    let body: { model?: string; stream?: boolean; stream_options?: { include_usage?: boolean } };
    try {
      body = JSON.parse(bodyText) as typeof body;
    } catch {
      this.sendError(res, 400, 'invalid_request_error', 'request body is not JSON');
      return;
    }
    const id = `chatcmpl-${this.options.name}-${++this.counter}`;
    const model = body.model ?? 'gpt-4o-mini';
    if (body.stream === true) {
      await this.respondStream(res, served, {
        id,
        model,
        chaosId,
        includeUsage: body.stream_options?.include_usage === true,
      });
    } else {
      await this.respondJson(res, served, {
        id,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: expectedAnswer(chaosId), refusal: null },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage: usage(),
        service_tier: 'default',
      });
    }
  }

  /** Status faults are common to both shapes. Returns true when it answered. */
  private statusFault(res: ServerResponse, served: Served): boolean {
    switch (served) {
      case 'http-500':
        this.sendError(res, 500, 'server_error', 'The server had an error while processing your request.');
        return true;
      case 'http-502':
        this.sendError(res, 502, 'server_error', 'Bad gateway.');
        return true;
      case 'http-503':
        this.sendError(res, 503, 'server_error', 'The engine is currently overloaded.');
        return true;
      case 'http-429':
        this.sendError(res, 429, 'requests', 'Rate limit reached for requests.', {
          'retry-after': String(Math.floor(this.random() * 3)),
        });
        return true;
      case 'reset-before-headers':
        res.socket?.destroy();
        return true;
      default:
        return false;
    }
  }

  private sendError(
    res: ServerResponse,
    status: number,
    type: string,
    message: string,
    headers: Record<string, string> = {},
  ): void {
    const body = JSON.stringify({ error: { message, type, param: null, code: null } });
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'x-request-id': `req_${this.options.name}_${this.counter}`,
      ...headers,
    });
    res.end(body);
  }

  private async respondJson(res: ServerResponse, served: Served, okBody: Record<string, unknown>) {
    if (this.statusFault(res, served)) return;
    const full = JSON.stringify(okBody);
    const json = { 'content-type': 'application/json', 'x-request-id': `req_${this.options.name}` };
    switch (served) {
      case 'reset-mid-body':
        res.writeHead(200, { ...json, 'content-length': Buffer.byteLength(full) });
        await write(res, full.slice(0, Math.floor(full.length / 2)));
        res.socket?.destroy();
        return;
      case 'stall-after-headers':
        res.writeHead(200, json);
        res.flushHeaders();
        return; // never finishes: until the client gives up or the server closes
      case 'stall-after-chunks':
        res.writeHead(200, json);
        await write(res, full.slice(0, Math.floor(full.length / 2)));
        return;
      case 'endless-line':
        res.writeHead(200, json);
        await this.endless(res, '{"id":"chatcmpl-endless","choices":[{"message":{"content":"');
        return;
      case 'malformed-json': {
        const bad = `{"id":"chatcmpl-bad","object":"chat.completion","choices":[{"message":{"content":"oops"}`;
        res.writeHead(200, { ...json, 'content-length': Buffer.byteLength(bad) });
        res.end(bad);
        return;
      }
      case 'missing-choices': {
        const { choices: _dropped, ...rest } = okBody;
        const text = JSON.stringify(rest);
        res.writeHead(200, { ...json, 'content-length': Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      case 'error-in-200': {
        const text = JSON.stringify({
          error: { message: 'The server had an error.', type: 'server_error', param: null, code: null },
        });
        res.writeHead(200, { ...json, 'content-length': Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      case 'slow-correct':
        await sleep(1_500 + Math.floor(this.random() * 2_500));
        if (this.closing || res.destroyed) return;
        break;
      default:
        break;
    }
    res.writeHead(200, { ...json, 'content-length': Buffer.byteLength(full) });
    res.end(full);
  }

  private async respondStream(
    res: ServerResponse,
    served: Served,
    request: { id: string; model: string; chaosId: string; includeUsage: boolean },
  ): Promise<void> {
    if (this.statusFault(res, served)) return;
    const base = {
      id: request.id,
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model: request.model,
      system_fingerprint: 'fp_chaos',
    };
    const role = sse({
      ...base,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }],
    });
    const deltas = answerDeltas(request.chaosId).map((content) =>
      sse({ ...base, choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }] }),
    );
    const tail = [
      sse({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] }),
    ];
    if (request.includeUsage) tail.push(sse({ ...base, choices: [], usage: usage() }));
    tail.push(sse('[DONE]'));

    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-request-id': `req_${request.id}`,
    });
    const some = (min: number) => min + Math.floor(this.random() * (3 - min)); // min..2 content chunks
    switch (served) {
      case 'reset-mid-body': {
        // 0, 1 or 2 content chunks: with 0 the router may still fall back, after that it may not.
        const n = some(0);
        for (const chunk of [role, ...deltas.slice(0, n)]) await write(res, chunk);
        res.socket?.destroy();
        return;
      }
      case 'stall-after-headers':
        res.flushHeaders();
        return;
      case 'stall-after-chunks': {
        const n = some(1);
        for (const chunk of [role, ...deltas.slice(0, n)]) await write(res, chunk);
        return;
      }
      case 'endless-line':
        await this.endless(res, 'data: {"choices":[{"index":0,"delta":{"content":"');
        return;
      case 'malformed-json':
        await write(res, role);
        await write(res, 'data: {"id":"chatcmpl-bad","choices":[{"index":0,"delta":{"content":"oops"}\n\n');
        res.end(sse('[DONE]'));
        return;
      case 'missing-choices': {
        // Chunks without `choices` (not even an empty array), then a clean [DONE].
        for (let i = 0; i < 3; i++) await write(res, sse({ ...base, note: 'no choices here' }));
        res.end(sse('[DONE]'));
        return;
      }
      case 'error-in-200': {
        const n = some(0);
        for (const chunk of [role, ...deltas.slice(0, n)]) await write(res, chunk);
        res.end(
          sse({
            error: { message: 'The server had an error.', type: 'server_error', param: null, code: null },
          }),
        );
        return;
      }
      case 'slow-correct':
        for (const chunk of [role, ...deltas, ...tail]) {
          await sleep(300 + Math.floor(this.random() * 400));
          if (this.closing || !(await write(res, chunk))) return;
        }
        res.end();
        return;
      default:
        for (const chunk of [role, ...deltas, ...tail]) if (!(await write(res, chunk))) return;
        res.end();
    }
  }

  /**
   * Bytes without a newline: 16 KB every 10 ms up to `endlessMaxBytes`, then 1 KB every 250 ms for at most
   * two minutes, then silence. Stops as soon as the client disconnects or the server closes.
   */
  private async endless(res: ServerResponse, prefix: string): Promise<void> {
    if (!(await write(res, prefix))) return;
    const piece = Buffer.alloc(ENDLESS_PIECE, 'x');
    let sent = 0;
    while (sent < this.options.endlessMaxBytes && !this.closing) {
      if (!(await write(res, piece))) return;
      sent += piece.length;
      this.endlessBytes += piece.length;
      await sleep(10);
    }
    const small = piece.subarray(0, 1024);
    const until = Date.now() + ENDLESS_TRICKLE_MAX_MS;
    while (Date.now() < until && !this.closing) {
      await sleep(ENDLESS_TRICKLE_MS);
      if (!(await write(res, small))) return;
      this.endlessBytes += small.length;
    }
  }
}

function usage() {
  return {
    prompt_tokens: 12,
    completion_tokens: 7,
    total_tokens: 19,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}
