// A client that stops reading an SSE stream, over a real socket: the server must drop it (its connection, not
// only its subscription) by maxStreamMs or after heartbeatMs of a write it never takes.
import { connect, type Socket } from 'node:net';
import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { createDashboard } from './index.js';
import { serveApp } from './load-harness.test-helper.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Polls `read` until it returns true, at most `timeoutMs` (never a fixed sleep). */
async function waitFor(read: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await read())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** 60 providers: each snapshot is ~750 KB, so a few unread ones fill the socket buffers. */
async function bigDashboard(options: Partial<Parameters<typeof createDashboard>[0]>) {
  const router = new Router({ strategy: 'round-robin', onWarning: false });
  for (let i = 0; i < 60; i++) {
    router.addProvider(createMockProvider({ name: `provider-${i}`, latencyMs: 0, chunkDelayMs: 0 }));
  }
  const dashboard = createDashboard({ router, intervalMs: 50, ...options });
  const app = new Hono();
  app.route('/dashboard', dashboard);
  const server = await serveApp(app);
  cleanups.push(() => server.close());
  cleanups.push(() => dashboard.close());
  cleanups.push(() => router.close());
  return { router, dashboard, server };
}

/** A raw HTTP client that asks for the stream and never reads a byte of it. */
function stalledClient(port: number): Socket {
  const socket = connect({ port, host: '127.0.0.1' });
  socket.on('connect', () => {
    socket.write('GET /dashboard/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    socket.pause();
  });
  socket.on('error', () => {});
  cleanups.push(() => socket.destroy());
  return socket;
}

/** Changes the snapshot on every tick (a bounded number of times) until `done` says stop. */
async function churn(router: Router, done: () => Promise<boolean>, maxRounds = 400) {
  for (let i = 0; i < maxRounds && !(await done()); i++) {
    await router.route(`change ${i}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('createDashboard: a client that stops reading', () => {
  it('keeps its maxStreams slot while it is connected', async () => {
    // maxStreamMs and heartbeatMs far away: the slot check below cannot race the stalled client's drop, however
    // slow the machine is (a 1 s maxStreamMs here failed under load when the refused request came late).
    const { dashboard, server } = await bigDashboard({
      maxStreamMs: 600_000,
      heartbeatMs: 600_000,
      maxStreams: 1,
    });
    const socket = stalledClient(server.port);
    await waitFor(() => dashboard.collector.subscriberCount === 1, 10_000);
    const refused = await fetch(`${server.url}/dashboard/events`);
    expect(refused.status).toBe(503);
    expect(dashboard.collector.subscriberCount).toBe(1);
    socket.destroy();
    await waitFor(() => dashboard.collector.subscriberCount === 0, 10_000);
  });

  it('is disconnected at maxStreamMs even with unread snapshots waiting, and its slot is free again', async () => {
    const { router, dashboard, server } = await bigDashboard({
      maxStreamMs: 1000,
      heartbeatMs: 600_000,
      maxStreams: 1,
    });
    stalledClient(server.port);
    await waitFor(() => dashboard.collector.subscriberCount === 1, 10_000);
    await churn(router, async () => (await server.connections()) === 0);
    await waitFor(async () => (await server.connections()) === 0, 15_000);
    expect(dashboard.collector.subscriberCount).toBe(0);
    // The slot is free again.
    const controller = new AbortController();
    const again = await fetch(`${server.url}/dashboard/events`, { signal: controller.signal });
    expect(again.status).toBe(200);
    controller.abort();
  });

  it('is disconnected after heartbeatMs of a write it never takes, long before maxStreamMs', async () => {
    const { router, dashboard, server } = await bigDashboard({ maxStreamMs: 600_000, heartbeatMs: 1000 });
    stalledClient(server.port);
    await waitFor(() => dashboard.collector.subscriberCount === 1, 10_000);
    await churn(router, async () => (await server.connections()) === 0);
    await waitFor(async () => (await server.connections()) === 0, 15_000);
    expect(dashboard.collector.subscriberCount).toBe(0);
  });
});
