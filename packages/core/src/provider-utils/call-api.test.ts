import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderError } from '../errors/provider-error.js';
import { createNodeFetch } from '../transport/node-fetch.js';
import { getDefaultFetch } from '../transport-node.js';
import { callApi, toProviderError } from './call-api.js';
import { withResponseBody } from './node-body.js';
import { readJsonResponse } from './read-json-response.js';
import { setSignalDeadline } from './signal-deadline.js';
import { parseSseStream } from './sse-parser.js';

let server: Server;
let base: string;
const received: { url?: string; headers: Record<string, unknown>; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ url: req.url, headers: req.headers, body });
      if (req.url?.startsWith('/ok')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      } else if (req.url === '/limited') {
        res
          .writeHead(429, { 'retry-after': '3', 'x-request-id': 'abc' })
          .end('{"error":{"message":"slow down"}}');
      } else if (req.url === '/hang') {
        // never answers
      } else if (req.url?.startsWith('/reset')) {
        req.socket.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('callApi over real sockets', () => {
  for (const [name, fetch] of [
    ['global fetch', globalThis.fetch],
    ['undici pool (node condition)', getDefaultFetch()],
    ['own undici pool', createNodeFetch({ connections: 2 })],
  ] as const) {
    it(`posts JSON and returns the 2xx response (${name})`, async () => {
      const response = await callApi({
        provider: 'p',
        url: `${base}/ok`,
        headers: { authorization: 'Bearer k', 'x-skip': undefined },
        body: { hello: 'мир' },
        fetch,
      });
      expect(await response.json()).toEqual({ ok: true });
      const last = received.at(-1)!;
      expect(last.headers['content-type']).toBe('application/json');
      expect(last.headers['x-skip']).toBeUndefined();
      expect(JSON.parse(last.body)).toEqual({ hello: 'мир' });
    });
  }

  it('maps a 429 to a retryable rate_limit with Retry-After and request id', async () => {
    const error = (await callApi({ provider: 'p', url: `${base}/limited`, fetch: globalThis.fetch }).catch(
      (e) => e,
    )) as ProviderError;
    expect(error).toMatchObject({
      kind: 'rate_limit',
      retryable: true,
      retryAfterMs: 3000,
      requestId: 'abc',
      status: 429,
    });
  });

  it('turns its timeout into a retryable timeout error', async () => {
    const error = (await callApi({
      provider: 'p',
      url: `${base}/hang`,
      fetch: globalThis.fetch,
      timeoutMs: 50,
    }).catch((e) => e)) as ProviderError;
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
  });

  it('turns the caller abort into cancelled, not a timeout', async () => {
    const controller = new AbortController();
    const pending = callApi({
      provider: 'p',
      url: `${base}/hang`,
      fetch: globalThis.fetch,
      signal: controller.signal,
      timeoutMs: 10_000,
    });
    setTimeout(() => controller.abort(), 20);
    expect(await pending.catch((e) => e)).toMatchObject({ kind: 'cancelled', retryable: false });
  });

  it('turns a reset connection into a retryable network error without the query string', async () => {
    const error = (await callApi({
      provider: 'p',
      url: `${base}/reset?key=secret-key-1`,
      fetch: globalThis.fetch,
    }).catch((e) => e)) as ProviderError;
    expect(error).toMatchObject({ kind: 'network', retryable: true });
    expect(error.message).not.toContain('secret-key-1');
  });

  it('refuses to start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const before = received.length;
    const error = await callApi({
      provider: 'p',
      url: `${base}/ok`,
      fetch: globalThis.fetch,
      signal: controller.signal,
    }).catch((e) => e);
    expect(error).toMatchObject({ kind: 'cancelled' });
    expect(received.length).toBe(before);
  });
});

describe('callApi links the caller signal only while the body is in use', () => {
  const listeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

  for (const [name, fetch] of [
    ['global fetch', globalThis.fetch],
    ['undici pool (node condition)', getDefaultFetch()],
  ] as const) {
    it(`a long-lived caller signal keeps no listener after bodies are read, failed or dropped (${name})`, async () => {
      const app = new AbortController(); // e.g. an application-wide shutdown signal
      for (let i = 0; i < 20; i++) {
        const ok = await callApi({ provider: 'p', url: `${base}/ok`, fetch, signal: app.signal });
        // Linked while the body is unread: a listener on the Node transport, AbortSignal.any on fetch's.
        expect(listeners(app.signal)).toBe(name === 'global fetch' ? 0 : 1);
        await readJsonResponse(
          ok,
          { safeParse: (v: unknown) => ({ success: true as const, data: v }) },
          {
            provider: 'p',
          },
        );
        await callApi({ provider: 'p', url: `${base}/limited`, fetch, signal: app.signal }).catch(() => {});
        await callApi({ provider: 'p', url: `${base}/reset`, fetch, signal: app.signal }).catch(() => {});
        // A stream stopped early: the reader cancels the body.
        const stream = await callApi({ provider: 'p', url: `${base}/ok`, fetch, signal: app.signal });
        for await (const _ of parseSseStream(stream)) break;
        // Read without our helpers (a plugin's own `json()`), or never read (a stream stopped at stream-start).
        await (await callApi({ provider: 'p', url: `${base}/ok`, fetch, signal: app.signal })).json();
        const unread = await callApi({ provider: 'p', url: `${base}/ok`, fetch, signal: app.signal });
        for await (const _ of withResponseBody(
          unread,
          [{ event: 'start', data: '' }],
          parseSseStream(unread),
        ))
          break;
      }
      expect(listeners(app.signal)).toBe(0);
    });
  }
});

describe('callApi keeps a streamed body abortable', () => {
  it('aborting the caller signal after the headers cancels the body read', async () => {
    const stream = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
      // then nothing: the client must be able to abort while waiting for more
    });
    await new Promise<void>((resolve) => stream.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(stream.address() as AddressInfo).port}/`;
    try {
      const controller = new AbortController();
      const response = await callApi({
        provider: 'p',
        url,
        fetch: globalThis.fetch,
        signal: controller.signal,
        // Generous, so a loaded machine still gets the headers in time.
        timeoutMs: 1000,
      });
      const reader = response.body!.getReader();
      await reader.read();
      // Longer than the header timeout: it must not fire once headers arrived.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const pending = reader.read();
      controller.abort();
      const error = await pending.catch((e: unknown) => e);
      expect(toProviderError(error, { provider: 'p', signal: controller.signal })).toMatchObject({
        kind: 'cancelled',
      });
    } finally {
      stream.closeAllConnections();
      stream.close();
    }
  });

  it('maps a rejected TLS certificate to a network error that is not retryable, with the fix', () => {
    const cause = Object.assign(new Error('self-signed certificate'), {
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    const error = toProviderError(new TypeError('fetch failed', { cause }), {
      provider: 'p',
      url: 'https://llm.internal/v1/chat?key=s3cret',
    });
    expect(error).toMatchObject({ kind: 'network', retryable: false, code: 'tls-certificate' });
    expect(error.message).toMatch(
      /TLS certificate was rejected .*DEPTH_ZERO_SELF_SIGNED_CERT.*createNodeFetch/,
    );
    expect(error.message).not.toContain('s3cret');
  });

  it('maps a body read that fails after a reset to a retryable network error', () => {
    const error = toProviderError(new TypeError('terminated', { cause: new Error('other side closed') }), {
      provider: 'p',
    });
    expect(error).toMatchObject({ kind: 'network', retryable: true });
    expect(error.message).toContain('other side closed');
  });
});

describe('callApi under a router attempt signal (a declared deadline)', () => {
  const seenSignals: (AbortSignal | null | undefined)[] = [];
  const recording =
    (fetch: typeof globalThis.fetch): typeof globalThis.fetch =>
    (input, init) => {
      seenSignals.push(init?.signal);
      return fetch(input, init);
    };

  it('passes the signal on as it is when its deadline comes before the timeout', async () => {
    const controller = new AbortController();
    setSignalDeadline(controller.signal, Date.now() + 5_000);
    const response = await callApi({
      provider: 'p',
      url: `${base}/ok`,
      fetch: recording(getDefaultFetch()),
      signal: controller.signal,
      timeoutMs: 60_000,
    });
    expect(await response.json()).toEqual({ ok: true });
    expect(seenSignals.at(-1)).toBe(controller.signal);
  });

  it('keeps its own timeout when the deadline is later, and it still fires', async () => {
    const controller = new AbortController();
    setSignalDeadline(controller.signal, Date.now() + 60_000);
    const error = (await callApi({
      provider: 'p',
      url: `${base}/hang`,
      fetch: recording(globalThis.fetch),
      signal: controller.signal,
      timeoutMs: 50,
    }).catch((e) => e)) as ProviderError;
    expect(seenSignals.at(-1)).not.toBe(controller.signal);
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
  });

  for (const [name, fetch] of [
    ['global fetch', globalThis.fetch],
    ['undici pool (node condition)', getDefaultFetch()],
  ] as const) {
    it(`maps an abort to cancelled and an error status as usual, key redacted (${name})`, async () => {
      const aborting = new AbortController();
      setSignalDeadline(aborting.signal, Date.now() + 5_000);
      const pending = callApi({
        provider: 'p',
        url: `${base}/hang`,
        fetch,
        signal: aborting.signal,
        timeoutMs: 60_000,
      });
      setTimeout(() => aborting.abort(new Error('attempt timed out')), 20);
      expect(await pending.catch((e) => e)).toMatchObject({ kind: 'cancelled' });

      const limited = new AbortController();
      setSignalDeadline(limited.signal, Date.now() + 5_000);
      const error = (await callApi({
        provider: 'p',
        url: `${base}/limited`,
        headers: { authorization: 'Bearer sk-secret-0123456789' },
        fetch,
        signal: limited.signal,
        timeoutMs: 60_000,
        secrets: ['sk-secret-0123456789'],
      }).catch((e) => e)) as ProviderError;
      expect(error).toMatchObject({ kind: 'rate_limit', retryAfterMs: 3000, requestId: 'abc' });
    });
  }

  it('aborting the signal after the headers still cancels the body read', async () => {
    const controller = new AbortController();
    setSignalDeadline(controller.signal, Date.now() + 5_000);
    const slow = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":');
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const response = await callApi({
        provider: 'p',
        url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`,
        fetch: getDefaultFetch(),
        signal: controller.signal,
        timeoutMs: 60_000,
      });
      const reading = response.text();
      controller.abort(new Error('gone'));
      await expect(reading).rejects.toBeDefined();
    } finally {
      slow.closeAllConnections();
      slow.close();
    }
  });
});
