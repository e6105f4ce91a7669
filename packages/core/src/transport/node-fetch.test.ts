import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, getGlobalDispatcher, MockAgent, setGlobalDispatcher } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { callApi } from '../provider-utils/call-api.js';
import type { FetchFunction } from '../provider-utils/fetch-function.js';
import { getDefaultFetch } from '../transport-node.js';
import {
  createDefaultNodeFetch,
  createNodeFetch,
  isNodeBuiltinFetch,
  loadInstalledUndici,
  requireUndici,
} from './node-fetch.js';

// A real server on 127.0.0.1 that says which socket answered, so a test can tell connections apart.
let server: Server;
let url: string;
const sockets = new Set<unknown>();
beforeAll(async () => {
  server = createServer((req, res) => {
    sockets.add(req.socket);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"from":"server"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

const originalFetch = globalThis.fetch;
const originalDispatcher = getGlobalDispatcher();
afterEach(() => {
  globalThis.fetch = originalFetch;
  setGlobalDispatcher(originalDispatcher);
  sockets.clear();
});

const json = async (fetch: FetchFunction) =>
  (await callApi({ provider: 'p', url, body: { hi: 1 }, fetch })).json() as Promise<unknown>;

describe('the default Node transport', () => {
  it('uses its own undici pool while nothing was replaced (Node fetch is not called)', async () => {
    const nodeFetch = vi.fn(originalFetch);
    globalThis.fetch = nodeFetch; // the function the transport treats as Node's own, unchanged
    const fetch = createDefaultNodeFetch({ nodeFetch });
    for (let i = 0; i < 3; i++) {
      expect(await json(fetch)).toEqual({ from: 'server' });
      await new Promise((resolve) => setImmediate(resolve)); // let the pool mark the socket idle
    }
    expect(nodeFetch).not.toHaveBeenCalled();
    expect(sockets.size).toBe(1); // one keep-alive connection of the pool
  });

  it('uses a replaced globalThis.fetch (msw, nock, a stub), checked on every call', async () => {
    const fetch = createDefaultNodeFetch();
    expect(await json(fetch)).toEqual({ from: 'server' });
    const stub = vi.fn(async () => Response.json({ from: 'stub' }));
    globalThis.fetch = stub;
    expect(await json(fetch)).toEqual({ from: 'stub' });
    expect(stub).toHaveBeenCalledWith(url, expect.objectContaining({ method: 'POST' }));
    globalThis.fetch = originalFetch;
    expect(await json(fetch)).toEqual({ from: 'server' });
  });

  it('the shared getDefaultFetch() of @llmo/core/transport honours a replaced fetch too', async () => {
    globalThis.fetch = async () => Response.json({ from: 'stub' });
    expect(await json(getDefaultFetch())).toEqual({ from: 'stub' });
  });

  it("sends through a dispatcher set with undici's setGlobalDispatcher (MockAgent)", async () => {
    const fetch = createDefaultNodeFetch();
    expect(await json(fetch)).toEqual({ from: 'server' }); // the pool first
    const mock = new MockAgent();
    mock.disableNetConnect();
    mock
      .get(new URL(url).origin)
      .intercept({ path: '/v1/chat', method: 'POST' })
      .reply(200, { from: 'mock-agent' }, { headers: { 'content-type': 'application/json' } });
    setGlobalDispatcher(mock);
    expect(await json(fetch)).toEqual({ from: 'mock-agent' });
    mock.assertNoPendingInterceptors();
    // No interceptor left and no network allowed: the request fails instead of reaching the server.
    await expect(json(fetch)).rejects.toMatchObject({ kind: 'network' });
    setGlobalDispatcher(originalDispatcher);
    expect(await json(fetch)).toEqual({ from: 'server' });
    await mock.close();
  });

  it('sends through a plain Agent the application set after @llmo/core loaded', async () => {
    const fetch = createDefaultNodeFetch();
    const agent = new Agent();
    const dispatch = vi.spyOn(agent, 'dispatch');
    setGlobalDispatcher(agent);
    expect(await json(fetch)).toEqual({ from: 'server' });
    expect(dispatch).toHaveBeenCalled();
    await agent.close();
  });

  it('honours a MockAgent that was set before @llmo/core loaded', async () => {
    const mock = new MockAgent();
    mock.disableNetConnect();
    mock
      .get(new URL(url).origin)
      .intercept({ path: '/v1/chat', method: 'POST' })
      .reply(200, { from: 'early-mock' }, { headers: { 'content-type': 'application/json' } });
    setGlobalDispatcher(mock);
    vi.resetModules();
    const fresh = await import('./node-fetch.js');
    expect(await json(fresh.createDefaultNodeFetch())).toEqual({ from: 'early-mock' });
    await mock.close();
  });

  it('works without undici installed: Node fetch, which still honours a global dispatcher', async () => {
    const nodeFetch = vi.fn(originalFetch);
    globalThis.fetch = nodeFetch;
    const fetch = createDefaultNodeFetch({ nodeFetch, loadUndici: () => undefined });
    expect(await json(fetch)).toEqual({ from: 'server' });
    expect(nodeFetch).toHaveBeenCalledTimes(1);
  });

  it('without undici and without any global fetch, rejects with what to install', async () => {
    // @ts-expect-error: a Node started with --no-experimental-fetch
    globalThis.fetch = undefined;
    const fetch = createDefaultNodeFetch({ nodeFetch: originalFetch, loadUndici: () => undefined });
    await expect(fetch(url)).rejects.toThrow(
      /no globalThis\.fetch and undici is not installed.*npm install undici/,
    );
  });

  it("recognises Node's own fetch, and not a wrapper or a Proxy around it", () => {
    expect(isNodeBuiltinFetch(originalFetch)).toBe(true);
    expect(isNodeBuiltinFetch((input: string, init?: RequestInit) => originalFetch(input, init))).toBe(false);
    expect(isNodeBuiltinFetch(new Proxy(originalFetch, {}))).toBe(false);
    expect(isNodeBuiltinFetch(undefined)).toBe(false);
  });
});

describe('createNodeFetch and undici as an optional peer', () => {
  it('finds the installed undici', () => {
    expect(typeof loadInstalledUndici()?.Agent).toBe('function');
  });

  it('without undici, says what to install', () => {
    expect(() => requireUndici('createNodeFetch (@llmo/core/node)', () => undefined)).toThrow(
      /createNodeFetch \(@llmo\/core\/node\) needs the optional peer dependency "undici".*npm install undici/,
    );
  });

  it('uses its own pool even when a global dispatcher or a replaced fetch exists', async () => {
    const fetch = createNodeFetch({ connections: 2 });
    globalThis.fetch = async () => Response.json({ from: 'stub' });
    const mock = new MockAgent();
    mock.disableNetConnect();
    setGlobalDispatcher(mock);
    try {
      expect(await json(fetch)).toEqual({ from: 'server' });
    } finally {
      await fetch.close();
      await mock.close();
    }
  });
});
