import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { createUsageRecordId, type UsageRecord } from './usage-record.js';

/** A complete usage record; `n` makes it recognisable in a test. */
export function usageRecord(n = 0, extra: Partial<UsageRecord> = {}): UsageRecord {
  return {
    id: createUsageRecordId(),
    requestId: `req-${n}`,
    provider: 'a',
    model: 'a-model',
    promptTokens: 10,
    completionTokens: 5,
    totalTokens: 15,
    estimated: false,
    cost: 0.001,
    currency: 'USD',
    costKnown: true,
    latencyMs: 12,
    success: true,
    streaming: false,
    retry: 0,
    timestamp: new Date(0).toISOString(),
    ...extra,
  };
}

export interface SinkRequest {
  body: unknown;
  headers: IncomingHttpHeaders;
}

/**
 * What the sink does with one request: a status (and headers), or `destroy` to reset the connection
 * before answering. `delayMs` holds the answer back.
 */
export type SinkAnswer =
  | { status: number; headers?: Record<string, string>; delayMs?: number; body?: string }
  | { destroy: true };

/**
 * A real HTTP usage sink on 127.0.0.1. Counts requests in progress (`maxConcurrent`); `down()` closes the
 * port (connection refused) and `up()` listens on it again.
 */
export async function startSink(answer: (request: SinkRequest, index: number) => SinkAnswer) {
  const requests: SinkRequest[] = [];
  /** Ids of the records the sink answered 2xx for; every copy of each payload it saw, by id. */
  const acknowledged = new Set<string>();
  const seen = new Map<string, unknown[]>();
  let concurrent = 0;
  const state = { maxConcurrent: 0 };
  let port = 0;
  let server: Server | undefined;

  const handler = (req: import('node:http').IncomingMessage, res: ServerResponse) => {
    concurrent++;
    state.maxConcurrent = Math.max(state.maxConcurrent, concurrent);
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      raw += chunk;
    });
    req.on('end', () => {
      const body = JSON.parse(raw) as unknown;
      const request = { body, headers: req.headers };
      requests.push(request);
      const payloads = (Array.isArray(body) ? body : [body]) as { id: string }[];
      for (const p of payloads) {
        const copies = seen.get(p.id);
        if (copies) copies.push(p);
        else seen.set(p.id, [p]);
      }
      const a = answer(request, requests.length - 1);
      const finish = () => {
        concurrent--;
        if ('destroy' in a) {
          req.socket.destroy();
          return;
        }
        if (a.status >= 200 && a.status < 300) for (const p of payloads) acknowledged.add(p.id);
        res.writeHead(a.status, a.headers).end(a.body);
      };
      if (!('destroy' in a) && a.delayMs) setTimeout(finish, a.delayMs);
      else finish();
    });
  };

  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer(handler);
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  const down = () =>
    new Promise<void>((resolve) => {
      const s = server!;
      server = undefined;
      s.closeAllConnections();
      s.close(() => resolve());
    });
  await listen();

  return {
    url: `http://127.0.0.1:${port}/usage`,
    requests,
    acknowledged,
    seen,
    state,
    down,
    up: listen,
    close: async () => {
      if (server) await down();
    },
  };
}

/** A port nothing listens on: connections are refused. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/usage`;
}

/** A deterministic generator in [0, 1) (mulberry32), so a "20 % failing" sink fails the same way each run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const fastRetry = { maxAttempts: 200, initialDelayMs: 1, maxDelayMs: 20 };

/**
 * `startSink` for a test file: every sink it starts is closed after each test. Call once at the top level.
 */
export function sinkClosedAfterEach(): typeof startSink {
  const sinks: { close: () => Promise<void> }[] = [];
  afterEach(async () => {
    for (const s of sinks.splice(0)) await s.close();
  });
  return async (...args) => {
    const s = await startSink(...args);
    sinks.push(s);
    return s;
  };
}
