import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fail, fakeProvider } from '../router/fake-provider.test-helper.js';
import { Router } from '../router/router.js';
import type { UsageRecord } from './usage-record.js';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

/** A real HTTP sink on 127.0.0.1 whose behaviour each test chooses. */
async function sink(
  handle: (body: Record<string, unknown>, req: IncomingMessage) => { status: number; delayMs?: number },
) {
  const bodies: Record<string, unknown>[] = [];
  const headers: IncomingMessage['headers'][] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      bodies.push(body);
      headers.push(req.headers);
      const { status, delayMs } = handle(body, req);
      setTimeout(() => res.writeHead(status).end(), delayMs ?? 0);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/usage`, bodies, headers };
}

const twoAttempts = () => [fakeProvider('a', [{ error: fail('auth') }]), fakeProvider('b')];

describe('usage records via usageCallback', () => {
  it('delivers one record per attempt, in order, with every field', async () => {
    const records: UsageRecord[] = [];
    const router = new Router({
      strategy: 'round-robin',
      onWarning: false,
      usageCallback: async (r) => void records.push(r),
      tenantId: 'tenant-1',
      platformKeyId: 'key-7',
    });
    for (const p of twoAttempts()) router.addProvider(p);
    const result = await router.route('hi');
    await router.close();
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      requestId: result.requestId,
      provider: 'a',
      model: 'a-model',
      success: false,
      errorType: 'ProviderError',
      errorKind: 'auth',
      promptTokens: 0,
      cost: 0,
      streaming: false,
      tenantId: 'tenant-1',
      platformKeyId: 'key-7',
    });
    expect(records[1]).toMatchObject({
      provider: 'b',
      success: true,
      promptTokens: 10,
      completionTokens: 5,
      totalTokens: 15,
      estimated: false,
      currency: 'USD',
      retry: 0,
    });
    for (const r of records) expect(Date.parse(r.timestamp)).not.toBeNaN();
  });

  it('never delays the result: a slow callback finishes after route() resolves, and close() waits for it', async () => {
    let delivered = 0;
    const router = new Router({
      onWarning: false,
      usageCallback: () => new Promise((resolve) => setTimeout(() => resolve(void delivered++), 50)),
    }).addProvider(fakeProvider('a'));
    await router.route('hi');
    expect(delivered).toBe(0);
    await router.close();
    expect(delivered).toBe(1);
  });

  it('is fail-silent: a throwing callback becomes a warning, the request succeeds', async () => {
    const warnings: string[] = [];
    const router = new Router({
      onWarning: (w) => warnings.push(w.code),
      usageCallback: () => {
        throw new Error('billing down');
      },
    }).addProvider(fakeProvider('a'));
    await expect(router.route('hi')).resolves.toMatchObject({ provider: 'a' });
    await router.close();
    expect(warnings).toEqual(['usage-delivery-failed']);
  });

  it('per-request tenant ids override the router ones', async () => {
    const records: UsageRecord[] = [];
    const router = new Router({
      onWarning: false,
      tenantId: 't0',
      usageCallback: (r) => void records.push(r),
    }).addProvider(fakeProvider('a'));
    await router.route('hi', { tenantId: 't9' });
    await router.close();
    expect(records[0]?.tenantId).toBe('t9');
  });
});

describe('usage records via callbackUrl (a real local HTTP server)', () => {
  it("POSTs the seed's snake_case payload for each attempt", async () => {
    const server = await sink(() => ({ status: 204 }));
    const router = new Router({
      strategy: 'round-robin',
      onWarning: false,
      callbackUrl: server.url,
      callbackHeaders: { authorization: 'Bearer billing' },
      tenantId: 'acme',
    });
    for (const p of twoAttempts()) router.addProvider(p);
    await router.route('hi');
    await router.close();
    expect(server.bodies).toHaveLength(2);
    expect(Object.keys(server.bodies[1]!).sort()).toEqual(
      [
        'completion_tokens',
        'cost',
        'currency',
        'estimated',
        'latency_ms',
        'model',
        'prompt_tokens',
        'provider',
        'request_id',
        'retry',
        'streaming',
        'success',
        'tenant_id',
        'timestamp',
        'total_tokens',
      ].sort(),
    );
    expect(server.bodies[0]).toMatchObject({
      provider: 'a',
      success: false,
      error_type: 'ProviderError',
      error_kind: 'auth',
    });
    expect(server.headers[0]?.authorization).toBe('Bearer billing');
  });

  it('a slow sink neither delays the result nor loses the record: close() waits within the timeout', async () => {
    const server = await sink(() => ({ status: 200, delayMs: 80 }));
    const warnings: string[] = [];
    const router = new Router({
      onWarning: (w) => warnings.push(w.message),
      callbackUrl: server.url,
      callbackTimeoutMs: 2_000,
    });
    router.addProvider(fakeProvider('a'));
    await router.route('hi');
    expect(server.bodies.length).toBeLessThanOrEqual(1);
    await router.close();
    expect(server.bodies).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it('a sink slower than the timeout, or failing, becomes a warning', async () => {
    const slow = await sink(() => ({ status: 200, delayMs: 1_000 }));
    const failing = await sink(() => ({ status: 500 }));
    for (const url of [slow.url, failing.url]) {
      const warnings: string[] = [];
      const router = new Router({
        onWarning: (w) => warnings.push(w.message),
        callbackUrl: url,
        callbackTimeoutMs: 50,
      });
      router.addProvider(fakeProvider('a'));
      await expect(router.route('hi')).resolves.toMatchObject({ provider: 'a' });
      await router.close();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/not delivered: (no answer from .* within 50 ms|HTTP 500)/);
    }
  });

  it('a sink that is down becomes a warning', async () => {
    const warnings: string[] = [];
    const router = new Router({
      onWarning: (w) => warnings.push(w.code),
      callbackUrl: 'http://127.0.0.1:9/usage',
    });
    router.addProvider(fakeProvider('a'));
    await router.route('hi');
    await router.close();
    expect(warnings).toEqual(['usage-delivery-failed']);
  });
});
