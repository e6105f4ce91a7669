import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { authorizeKey, createDashboard, type Dashboard, DashboardCollector } from './index.js';
import { serveApp } from './load-harness.test-helper.js';

const KEY = 'dash-key-123';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(options: Partial<Parameters<typeof createDashboard>[0]> = {}) {
  const router = new Router({ strategy: 'round-robin', onWarning: false });
  router.addProvider(createMockProvider({ name: 'a', latencyMs: 0, chunkDelayMs: 0 }));
  const dashboard = createDashboard({
    router,
    authorize: authorizeKey((key) => key === KEY),
    intervalMs: 50,
    ...options,
  });
  const app = new Hono();
  app.route('/dashboard', dashboard);
  cleanups.push(() => dashboard.close());
  return { router, dashboard, app };
}

const bearer = { authorization: `Bearer ${KEY}` };
const basic = (user: string, password: string) => ({
  authorization: `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${user}:${password}`)))}`,
});

/** Polls `read` until it returns true, at most `timeoutMs` (never a fixed sleep). */
async function waitFor(read: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!read()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Reads an SSE response until `until` says enough, or the stream ends; bounded by `timeoutMs`. */
async function readEvents(response: Response, until: (text: string) => boolean, timeoutMs = 5_000) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let ended = false;
  const timer = setTimeout(() => void reader.cancel(), timeoutMs);
  try {
    while (!until(text)) {
      const { done, value } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    clearTimeout(timer);
  }
  return { text, ended, reader };
}

describe('createDashboard: HTTP', () => {
  it('answers 401 on every route without a valid key, with a Basic challenge browsers act on', async () => {
    const { app } = setup();
    for (const path of ['/dashboard', '/dashboard/', '/dashboard/snapshot', '/dashboard/events']) {
      for (const headers of [
        {},
        { authorization: 'Bearer wrong' },
        basic('admin', 'wrong'),
        { authorization: 'Basic %%%' },
      ]) {
        const response = await app.request(path, { headers });
        expect(response.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="llmo dashboard"/);
        expect(await response.text()).not.toContain(KEY);
      }
    }
  });

  it('serves the page at the mount point, with and without the trailing slash, under a nonce CSP', async () => {
    const { app } = setup({ title: 'Prod <router>' });
    for (const headers of [bearer, basic('anyone', KEY), basic(KEY, '')]) {
      for (const path of ['/dashboard', '/dashboard/']) {
        const response = await app.request(path, { headers });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/text\/html/);
        const html = await response.text();
        const csp = response.headers.get('content-security-policy')!;
        const nonce = csp.match(/script-src 'nonce-([^']+)'/)?.[1];
        expect(nonce).toBeTruthy();
        // Every script and style element carries this response's nonce; nothing is loaded from elsewhere.
        expect(html.match(/<script\b[^>]*>/g)).toEqual([
          `<script nonce="${nonce}">`,
          `<script nonce="${nonce}">`,
        ]);
        expect(html.match(/<style\b[^>]*>/g)?.every((tag) => tag === `<style nonce="${nonce}">`)).toBe(true);
        expect(html).not.toMatch(/\bsrc=|<link\b|https?:\/\/(?!github\.com\/leeoniya)/);
        expect(html).toContain('<title>Prod &lt;router&gt;</title>');
        expect(html).toContain('uPlot');
        expect(response.headers.get('cache-control')).toBe('no-store');
      }
    }
    const second = await app.request('/dashboard', { headers: bearer });
    const first = await app.request('/dashboard', { headers: bearer });
    expect(second.headers.get('content-security-policy')).not.toBe(
      first.headers.get('content-security-policy'),
    );
  });

  it('returns the snapshot as JSON', async () => {
    const { app, router } = setup();
    await router.route('hello');
    const response = await app.request('/dashboard/snapshot', { headers: bearer });
    expect(response.status).toBe(200);
    const snapshot = await response.json();
    expect(snapshot).toMatchObject({ version: 1, totals: { routed: 1, succeeded: 1 } });
    expect(snapshot.providers[0]).toMatchObject({ name: 'a', health: 'healthy', circuit: 'closed' });
    expect(snapshot.recentRequests[0].attempts[0]).toMatchObject({ provider: 'a', outcome: 'success' });
  });

  it('builds the snapshot once per change, however many clients poll /snapshot', async () => {
    const { app, router, dashboard } = setup({ intervalMs: 60_000 });
    const build = vi.spyOn(dashboard.collector, 'snapshot');
    const poll = async () => {
      const response = await app.request('/dashboard/snapshot', { headers: bearer });
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      return response.text();
    };
    const texts = await Promise.all(Array.from({ length: 20 }, poll));
    expect(new Set(texts).size).toBe(1);
    expect(build).toHaveBeenCalledTimes(1);
    await router.route('a change');
    expect(JSON.parse(await poll()).totals.routed).toBe(1);
    expect(build).toHaveBeenCalledTimes(2);
  });

  it('runs open without authorize (for apps that put their own auth in front)', async () => {
    const router = new Router({ strategy: 'round-robin', onWarning: false });
    const dashboard = createDashboard({ router });
    cleanups.push(() => dashboard.close());
    expect((await dashboard.request('/snapshot')).status).toBe(200);
  });

  it('a client that does not read holds at most one pending snapshot, never a growing queue', async () => {
    const { app, router, dashboard } = setup({ heartbeatMs: 600_000 });
    const response = await app.request('/dashboard/events', { headers: bearer }); // in process, not read yet
    let changedTicks = 0;
    const stop = dashboard.collector.subscribe({ update: (json) => void (json !== null && changedTicks++) });
    try {
      // 40 ticks that each carry a new snapshot, while the stream's reader takes nothing.
      for (let i = 0; i < 40; i++) {
        const before = changedTicks;
        await router.route(`change ${i}`);
        await waitFor(() => changedTicks > before);
      }
      await router.route('the last change');
      await waitFor(() => dashboard.collector.snapshot().totals.routed === 41);
      const { text, reader } = await readEvents(response, (t) => t.includes('"routed":41'), 10_000);
      await reader.cancel();
      const delivered = text.split('event: snapshot').length - 1;
      // The first snapshot, what the stream's small internal buffers held, and the latest: not 40 stale ones.
      expect(text).toContain('"routed":41');
      expect(delivered).toBeLessThanOrEqual(6);
    } finally {
      stop();
    }
  });

  it('rejects bad options, naming the field and the fix', () => {
    const router = new Router({ strategy: 'round-robin', onWarning: false });
    expect(() => createDashboard({ router, authorise: () => true } as never)).toThrow(
      /authorise.*did you mean authorize/,
    );
    expect(() => createDashboard({ router, heartbeatMs: 10 })).toThrow(/heartbeatMs/);
    // Past 2^31-1 ms a timer fires at once: every stream would end as soon as it opened.
    expect(() => createDashboard({ router, maxStreamMs: 2 ** 31 })).toThrow(/maxStreamMs.*at most 86400000/);
    expect(() => createDashboard({} as never)).toThrow(/pass \{ router \}/);
    const collector = new DashboardCollector({ router });
    cleanups.push(() => collector.close());
    expect(() => createDashboard({ collector, historyMinutes: 5 })).toThrow(/either collector or/);
  });
});

describe('createDashboard: the event stream over a real socket', () => {
  async function served(options: Partial<Parameters<typeof createDashboard>[0]> = {}) {
    const context = setup(options);
    const server = await serveApp(context.app);
    cleanups.push(() => server.close());
    return { ...context, url: `${server.url}/dashboard` };
  }

  it('streams a snapshot at once and on change; a client that goes away leaves no subscriber behind', async () => {
    const { url, router, dashboard } = await served();
    const controller = new AbortController();
    const response = await fetch(`${url}/events`, { headers: bearer, signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const first = await readEvents(response, (text) => text.includes('\n\n'));
    expect(first.text).toMatch(/^retry: 2000\nevent: snapshot\ndata: \{"version":1/);
    expect(dashboard.collector.subscriberCount).toBe(1);
    await router.route('changes the snapshot');
    const reader = first.reader;
    let text = '';
    const decoder = new TextDecoder();
    while (!text.includes('"routed":1')) {
      const { done, value } = await reader.read();
      if (done) throw new Error('stream ended early');
      text += decoder.decode(value, { stream: true });
    }
    controller.abort();
    await waitFor(() => dashboard.collector.subscriberCount === 0);
  });

  it('notices a quiet stream’s client going away at once, without waiting for a write to fail', async () => {
    const { url, dashboard } = await served({ heartbeatMs: 600_000, bucketSeconds: 3600 });
    const controller = new AbortController();
    const response = await fetch(`${url}/events`, { headers: bearer, signal: controller.signal });
    // The first snapshot, then the first tick's: after it nothing changes, so nothing more is written.
    const { reader } = await readEvents(response, (text) => text.split('event: snapshot').length > 2);
    expect(dashboard.collector.subscriberCount).toBe(1);
    controller.abort();
    await waitFor(() => dashboard.collector.subscriberCount === 0, 3_000);
    await reader.cancel().catch(() => {});
  });

  it('sends a heartbeat comment when nothing changes', async () => {
    const { url } = await served({ heartbeatMs: 1000 });
    const response = await fetch(`${url}/events`, { headers: bearer });
    const { text, reader } = await readEvents(response, (t) => t.includes(': ping\n\n'), 10_000);
    expect(text).toContain(': ping\n\n');
    await reader.cancel();
  });

  it('ends a stream after maxStreamMs, cleanly, and refuses streams past maxStreams with 503', async () => {
    const { url, dashboard } = await served({ maxStreamMs: 1000, maxStreams: 2 });
    const one = await fetch(`${url}/events`, { headers: bearer });
    const two = await fetch(`${url}/events`, { headers: bearer });
    await waitFor(() => dashboard.collector.subscriberCount === 2);
    const three = await fetch(`${url}/events`, { headers: bearer });
    expect(three.status).toBe(503);
    expect(three.headers.get('retry-after')).toBe('5');
    const [endedOne, endedTwo] = await Promise.all([
      readEvents(one, () => false, 10_000),
      readEvents(two, () => false, 10_000),
    ]);
    expect(endedOne.ended && endedTwo.ended).toBe(true);
    expect(dashboard.collector.subscriberCount).toBe(0);
  });

  it('many clients coming and going under load leave no stream or subscriber behind', async () => {
    const { url, dashboard, router } = await served({ maxStreams: 20 });
    for (let round = 0; round < 2; round++) {
      const controllers = Array.from({ length: 20 }, () => new AbortController());
      const responses = await Promise.all(
        controllers.map((c) => fetch(`${url}/events`, { headers: bearer, signal: c.signal })),
      );
      // Every slot is free again in the second round, or these would be 503s.
      expect(responses.map((r) => r.status)).toEqual(new Array(20).fill(200));
      await waitFor(() => dashboard.collector.subscriberCount === 20);
      const load = Promise.all(Array.from({ length: 200 }, (_, i) => router.route(`load ${round}-${i}`)));
      // Half go away mid-load without reading; the other half read a snapshot first.
      await Promise.all(responses.slice(10).map((r) => readEvents(r, (t) => t.includes('\n\n'))));
      for (const controller of controllers) controller.abort();
      await load;
      await waitFor(() => dashboard.collector.subscriberCount === 0);
    }
  });

  it('ends an open stream once its key is no longer accepted, long before maxStreamMs', async () => {
    const keys = new Set([KEY]);
    const { url, dashboard } = await served({
      authorize: authorizeKey((key) => keys.has(key)),
      heartbeatMs: 1000,
      maxStreamMs: 600_000,
    });
    const response = await fetch(`${url}/events`, { headers: bearer });
    expect(response.status).toBe(200);
    await waitFor(() => dashboard.collector.subscriberCount === 1);
    keys.delete(KEY); // revoked: the next check (within heartbeatMs) ends the stream
    const { ended } = await readEvents(response, () => false, 15_000);
    expect(ended).toBe(true);
    expect(dashboard.collector.subscriberCount).toBe(0);
    expect((await fetch(`${url}/events`, { headers: bearer })).status).toBe(401);
  });

  it('close() ends the open streams and the collector it made', async () => {
    const { url, dashboard } = await served();
    const response = await fetch(`${url}/events`, { headers: bearer });
    await waitFor(() => dashboard.collector.subscriberCount === 1);
    dashboard.close();
    const { ended } = await readEvents(response, () => false);
    expect(ended).toBe(true);
    expect(dashboard.collector.subscriberCount).toBe(0);
    expect(dashboard.collector.listening).toBe(false);
  });

  it('answers HEAD /events with the headers and no stream: no subscriber, no maxStreams slot taken', async () => {
    const { url, dashboard } = await served({ maxStreams: 1 });
    for (let i = 0; i < 3; i++) {
      const head = await fetch(`${url}/events`, { method: 'HEAD', headers: bearer });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toMatch(/text\/event-stream/);
      expect(dashboard.collector.subscriberCount).toBe(0);
    }
    const controller = new AbortController();
    const get = await fetch(`${url}/events`, { headers: bearer, signal: controller.signal });
    expect(get.status).toBe(200); // the only slot was still free
    controller.abort();
    await waitFor(() => dashboard.collector.subscriberCount === 0);
  });

  it('answers 503 on /events once the dashboard or the collector it serves is closed', async () => {
    const { app, dashboard } = setup();
    dashboard.close();
    const closed = await app.request('/dashboard/events', { headers: bearer });
    expect(closed.status).toBe(503);
    expect(await closed.text()).toMatch(/closed/);

    const router = new Router({ strategy: 'round-robin', onWarning: false });
    const collector = new DashboardCollector({ router });
    const shared = createDashboard({ collector });
    cleanups.push(() => shared.close());
    collector.close();
    const response = await shared.request('/events');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    // The snapshot still answers: the last state the collector saw.
    expect((await shared.request('/snapshot')).status).toBe(200);
  });

  it('a collector passed in is shared and left open by close()', async () => {
    const router = new Router({ strategy: 'round-robin', onWarning: false });
    const collector = new DashboardCollector({ router });
    cleanups.push(() => collector.close());
    const dashboards: Dashboard[] = [createDashboard({ collector }), createDashboard({ collector })];
    expect(dashboards[0]!.collector).toBe(collector);
    for (const dashboard of dashboards) dashboard.close();
    expect(collector.listening).toBe(true);
  });
});
