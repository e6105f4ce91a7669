import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { Agent, request, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callApi } from '../provider-utils/call-api.js';
import { parseNdjsonBatches } from '../provider-utils/ndjson-parser.js';
import { openBody } from '../provider-utils/node-body.js';
import { parseSseStream } from '../provider-utils/sse-parser.js';
import { createRequestFetch, type UndiciRequest } from './request-fetch.js';

// A real server on 127.0.0.1: each test sets what it answers; sockets are counted to see keep-alive reuse.
let server: Server;
let base: string;
let handler: (req: IncomingMessage, res: ServerResponse) => void;
const sockets = new Set<unknown>();
const seen: { method?: string; headers: IncomingMessage['headers']; body: string }[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    sockets.add(req.socket);
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      seen.push({ method: req.method, headers: req.headers, body });
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  sockets.clear();
  seen.length = 0;
});

const agent = new Agent({ keepAliveTimeout: 10_000 });
const isDone = (event: { data: string }) => event.data === '[DONE]';
const fallbackCalls: unknown[] = [];
const fetch = createRequestFetch(request as unknown as UndiciRequest, agent, (input, init) => {
  fallbackCalls.push(input);
  return undiciFetch(
    input as never,
    { ...(init as object), dispatcher: agent } as never,
  ) as unknown as Promise<Response>;
});
/**
 * Resolves once the pool's connection to the server is idle (its response fully read), or after 2 s (less
 * than the server's 5 s keep-alive, so an idle socket is never closed by the server while we wait).
 */
async function freeSocket(pool: Agent): Promise<void> {
  for (let waited = 0; waited < 2000; waited += 10) {
    const stats = pool.stats as unknown as Record<string, { running?: number } | undefined>;
    if (stats[base]?.running === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('createRequestFetch (the Node fast path)', () => {
  it('sends method, headers and body; returns status, headers and JSON like fetch', async () => {
    handler = (_req, res) =>
      res.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'req_1' }).end('{"ok":true}');
    const response = await fetch(`${base}/v1/chat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', authorization: 'Bearer k' },
      body: '{"a":1}',
    });
    expect([response.ok, response.status]).toEqual([true, 201]);
    expect(response.headers.get('X-Request-Id')).toBe('req_1');
    expect(response.headers.has('content-type')).toBe(true);
    expect(await response.json()).toEqual({ ok: true });
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(/already been read/);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
    });
    expect(seen[0]!.headers['accept-encoding']).toBe('gzip, br');
  });

  it('decompresses a gzip body, as fetch does', async () => {
    handler = (_req, res) =>
      res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(JSON.stringify({ text: 'Привет' })));
    expect(await (await fetch(`${base}/gz`)).json()).toEqual({ text: 'Привет' });
    handler = (_req, res) =>
      res
        .writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/event-stream' })
        .end(gzipSync('data: {"n":1}\n\ndata: [DONE]\n\n'));
    const events = [];
    for await (const event of parseSseStream(await fetch(`${base}/gz-stream`))) events.push(event.data);
    expect(events).toEqual(['{"n":1}', '[DONE]']);
  });

  it('reads a stream from the Node body, and a stop after [DONE] keeps the connection for the next call', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
      res.write('data: [DONE]\n\n');
      // The rest arrives after the client has stopped reading: it is drained, not a reason to drop the socket.
      setTimeout(() => res.end(': bye\n\n'), 10);
    };
    // One connection at most: a second socket would mean the first was destroyed, not drained and reused.
    const single = new Agent({ connections: 1, keepAliveTimeout: 10_000 });
    const viaSingle = createRequestFetch(request as unknown as UndiciRequest, single, fetch);
    for (let i = 0; i < 3; i++) {
      for await (const event of parseSseStream(await viaSingle(`${base}/sse`), { isEnd: isDone }))
        if (event.data === '[DONE]') break;
      await freeSocket(single);
    }
    await single.close();
    expect(sockets.size).toBe(1);
  });

  it('NDJSON: a stop after the end line keeps the connection for the next call (Ollama, YandexGPT)', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write('{"n":1}\n');
      res.write('{"n":2,"done":true}\n');
      setTimeout(() => res.end('\n'), 10); // what follows the end line is drained
    };
    const single = new Agent({ connections: 1, keepAliveTimeout: 10_000 });
    const viaSingle = createRequestFetch(request as unknown as UndiciRequest, single, fetch);
    const isEnd = (value: unknown) => (value as { done?: boolean }).done === true;
    for (let i = 0; i < 3; i++) {
      outer: for await (const batch of parseNdjsonBatches(await viaSingle(`${base}/ndjson`), { isEnd }))
        for (const value of batch) if (isEnd(value)) break outer;
      await freeSocket(single);
    }
    await single.close();
    expect(sockets.size).toBe(1);
  });

  it('a stop before the end marker aborts the request: the upstream sees the close, the pool socket is freed', async () => {
    const closed: Promise<void>[] = [];
    handler = (req, res) => {
      closed.push(new Promise((resolve) => res.once('close', () => resolve())));
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const timer = setInterval(() => res.write('data: more\n\n'), 5); // an endless generation
      req.socket.once('close', () => clearInterval(timer));
    };
    const single = new Agent({ connections: 1, keepAliveTimeout: 10_000 });
    const viaSingle = createRequestFetch(request as unknown as UndiciRequest, single, fetch);
    for (let i = 0; i < 2; i++) {
      // The caller stops after one event (no [DONE] yet): the body must be destroyed, not drained.
      for await (const _ of parseSseStream(await viaSingle(`${base}/endless`), { isEnd: isDone })) break;
    }
    await Promise.all(closed); // both upstream responses were closed by the client
    handler = (_req, res) => res.writeHead(200).end('next');
    // The one connection of the pool is free again: this call does not wait behind a stuck body.
    expect(await (await viaSingle(`${base}/next`)).text()).toBe('next');
    await single.close();
  });

  it('an abort or timeout settles at once while the request waits for a busy pool', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    handler = (req, res) => {
      if (req.url === '/busy') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: x\n\n');
        void held.then(() => res.end()); // holds the only connection until the test lets go
      } else res.writeHead(200).end('late');
    };
    const single = new Agent({ connections: 1, keepAliveTimeout: 10_000 });
    const viaSingle = createRequestFetch(request as unknown as UndiciRequest, single, fetch);
    const busy = await viaSingle(`${base}/busy`);
    // Settles while the only connection is still held: nothing else could let the queued request through.
    const error = await callApi({
      provider: 'p',
      url: `${base}/queued`,
      fetch: viaSingle,
      timeoutMs: 100,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'timeout' });
    const controller = new AbortController();
    const aborted = callApi({
      provider: 'p',
      url: `${base}/queued`,
      fetch: viaSingle,
      signal: controller.signal,
    });
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ kind: 'cancelled' });
    release();
    await busy.text();
    await single.close();
  });

  it('a body cancelled before anyone read it ends quietly (no uncaught AbortError)', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: unread\n\n');
    };
    for (let i = 0; i < 3; i++) await openBody(await fetch(`${base}/unread`)).cancel();
    // Unhandled errors fail the run; give a destroyed body's late error event the time to surface.
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it('bodies that are empty by definition are not decoded; a body the decoder cannot read is a clear failure', async () => {
    handler = (req, res) => {
      if (req.url === '/empty')
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': '0' }).end();
      else if (req.url === '/nocontent') res.writeHead(204, { 'content-encoding': 'gzip' }).end();
      else res.writeHead(200, { 'content-encoding': 'gzip' }).end('not gzip at all');
    };
    expect(await (await fetch(`${base}/empty`)).text()).toBe('');
    expect(await (await fetch(`${base}/nocontent`)).text()).toBe('');
    await expect((await fetch(`${base}/broken`)).text()).rejects.toThrow();
  });

  it('an abort mid-body ends the read with the abort, and the web body works when asked for', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n'); // then nothing: a stalled stream
    };
    const controller = new AbortController();
    const response = await fetch(`${base}/stall`, { signal: controller.signal });
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const event of parseSseStream(response)) {
          got.push(event.data);
          controller.abort(new Error('caller gave up'));
        }
      })(),
    ).rejects.toThrow();
    expect(got).toEqual(['first']);

    handler = (_req, res) => res.writeHead(200).end('web');
    const reader = (await fetch(`${base}/web`)).body!.getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toBe('web');
  });

  it('hands what it does not cover to the fallback: a Request, a stream body, a redirect mode', async () => {
    handler = (_req, res) => res.writeHead(200).end('ok');
    fallbackCalls.length = 0;
    await fetch(new Request(`${base}/r`)).catch(() => {}); // undici's fetch refuses Node's own Request class
    await (await fetch(`${base}/r`, { redirect: 'manual' })).text();
    expect(fallbackCalls).toHaveLength(2);
    await (await fetch(`${base}/r`)).text();
    expect(fallbackCalls).toHaveLength(2);
  });

  it('works under callApi: errors from status, timeout while waiting for headers', async () => {
    handler = (_req, res) =>
      res.writeHead(429, { 'retry-after': '2' }).end(JSON.stringify({ error: { message: 'slow down' } }));
    const error = await callApi({ provider: 'p', url: `${base}/x`, body: {}, fetch }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ kind: 'rate_limit', retryAfterMs: 2000, status: 429 });
    handler = () => {}; // never answers
    const timeout = await callApi({ provider: 'p', url: `${base}/hang`, fetch, timeoutMs: 50 }).catch(
      (e: unknown) => e,
    );
    expect(timeout).toMatchObject({ kind: 'timeout', retryable: true });
  });
});
