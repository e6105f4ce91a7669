// The dashboard (@llmo/dashboard) mounted at /dashboard: behind the admin API keys (Bearer, or HTTP Basic for a
// browser), reading the router the gateway routes through, and left out with `dashboard: false`.
import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from './create-gateway.js';
import { startTestGateway, type TestGateway } from './start-test-gateway.test-helper.js';

const KEY = 'sk-dash-0a1b2c3d4e5f60718293';
const TENANT_KEY = 'sk-tenant-0a1b2c3d4e5f607182';
const LIMITED_KEY = 'sk-limited-0a1b2c3d4e5f60718';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway(
    `
providers:
  - { name: a, type: mock, model: mock-normal, latencyMs: 0, chunkDelayMs: 0 }
gateway:
  keys:
    - { key: "\${KEY}", tenant: ops, admin: true }
    - { key: "\${TENANT_KEY}", tenant: alice }
    - { key: "\${LIMITED_KEY}", tenant: ops2, admin: true, rpm: 1 }
  logs: { dir: __LOGS__, stdout: false }
`,
    { KEY, TENANT_KEY, LIMITED_KEY },
  );
});
afterAll(() => gw.close());

const basic = (password: string) => `Basic ${btoa(`ops:${password}`)}`;

describe('the dashboard in the gateway', () => {
  it('is refused without a key or with a wrong one', async () => {
    expect((await fetch(`${gw.url}/dashboard`)).status).toBe(401);
    expect(
      (await fetch(`${gw.url}/dashboard/snapshot`, { headers: { authorization: basic('nope') } })).status,
    ).toBe(401);
  });

  it('a tenant key (not admin) gets 403 on /dashboard and /stats; an admin key reads both', async () => {
    for (const auth of [basic(TENANT_KEY), `Bearer ${TENANT_KEY}`]) {
      const page = await fetch(`${gw.url}/dashboard`, { headers: { authorization: auth } });
      expect(page.status).toBe(403);
      expect(((await page.json()) as { error: { message: string } }).error.message).toContain('admin: true');
    }
    const snapshot = await fetch(`${gw.url}/dashboard/snapshot`, {
      headers: { authorization: `Bearer ${TENANT_KEY}` },
    });
    expect(snapshot.status).toBe(403);
    await snapshot.text();
    const stats = await fetch(`${gw.url}/stats`, { headers: { authorization: `Bearer ${TENANT_KEY}` } });
    expect(stats.status).toBe(403);
    expect(((await stats.json()) as { error: { code: string } }).error.code).toBe('admin_required');
    const admin = await fetch(`${gw.url}/stats`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(admin.status).toBe(200);
    await admin.json();
  });

  it("the dashboard counts against the admin key's rate limit", async () => {
    const first = await fetch(`${gw.url}/dashboard/snapshot`, {
      headers: { authorization: basic(LIMITED_KEY) },
    });
    expect(first.status).toBe(200);
    await first.text();
    const second = await fetch(`${gw.url}/dashboard/snapshot`, {
      headers: { authorization: basic(LIMITED_KEY) },
    });
    expect(second.status).toBe(429);
    await second.text();
  });

  it('serves the page to a browser logging in with the key, and a snapshot of the routed requests', async () => {
    const page = await fetch(`${gw.url}/dashboard`, { headers: { authorization: basic(KEY) } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    await page.text();
    const chat = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'a', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(chat.status).toBe(200);
    await chat.text();
    const snapshot = await fetch(`${gw.url}/dashboard/snapshot`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(snapshot.status).toBe(200);
    const data = (await snapshot.json()) as {
      providers: { name: string }[];
      totals: { routed: number; succeeded: number };
      recentRequests: { provider?: string }[];
    };
    expect(data.providers.map((p) => p.name)).toEqual(['a']);
    expect(data.totals).toMatchObject({ routed: 1, succeeded: 1 });
    expect(JSON.stringify(data)).not.toContain(KEY);
  });
});

describe('createGateway({ dashboard })', () => {
  it('an open gateway (no keys) leaves its dashboard open; dashboard: false leaves it out', async () => {
    const router = new Router({ onWarning: false }).addProvider(
      createMockProvider({ name: 'm', latencyMs: 0 }),
    );
    const open = createGateway({ router });
    expect((await open.fetch(new Request('http://gw/dashboard/snapshot'))).status).toBe(200);
    expect((await open.fetch(new Request('http://gw/stats'))).status).toBe(200);
    open.close();
    const without = createGateway({ router, dashboard: false });
    expect((await without.fetch(new Request('http://gw/dashboard/snapshot'))).status).toBe(404);
    without.close();
    await router.close();
  });
});

describe('the Node server and the app', () => {
  it("hand the server's env on to the routes (the dashboard drops a stalled stream client by it)", async () => {
    const fresh = await startTestGateway(
      `
providers:
  - { name: a, type: mock, model: mock-normal, latencyMs: 0, chunkDelayMs: 0 }
gateway:
  logs: { dir: __LOGS__, stdout: false }
`,
    );
    try {
      // Added before the first request: what a route under the gateway (the dashboard's /events) receives.
      fresh.running.gateway.app.get('/env-probe', (c) => {
        const outgoing = (c.env as { outgoing?: { destroy?: unknown } } | undefined)?.outgoing;
        return c.json({ outgoing: typeof outgoing?.destroy === 'function' });
      });
      const response = await fetch(`${fresh.url}/env-probe`);
      expect(await response.json()).toEqual({ outgoing: true });
    } finally {
      await fresh.close();
    }
  });
});
