// A real router over real OpenAI providers (@llmo/provider-openai) pointed at fake OpenAI-compatible servers
// (@llmo/testkit) on 127.0.0.1, a bounded load loop, and a Node server for a Hono app. Shared by the tests and
// the screenshot script (which imports the built package, so nothing here imports the dashboard itself).
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Router } from '@llmo/core';
import { createOpenAI } from '@llmo/provider-openai';
import { OpenAIFakeServer } from '@llmo/testkit';

export interface Harness {
  router: Router;
  servers: Record<string, OpenAIFakeServer>;
  /** Starts `concurrency` loops of route()/routeStream() until stopped; resolves the stop with the counts. */
  startLoad(options?: { concurrency?: number; maxRequests?: number }): {
    stop(): Promise<{ ok: number; failed: number }>;
  };
  close(): Promise<void>;
}

/** The secret every provider is created with: tests check it never reaches a snapshot or the page. */
export const TEST_API_KEY = 'sk-dashboard-secret-key-0123456789';
/** Part of every prompt: tests check prompts never reach a snapshot or the page. */
export const PROMPT_MARKER = 'prompt-text-that-must-stay-private';

export async function startHarness(
  options: { providers?: { name: string; currency: 'USD' | 'RUB'; chunkDelayMs?: number }[] } = {},
): Promise<Harness> {
  const providers = options.providers ?? [
    { name: 'alpha', currency: 'USD' },
    { name: 'beta', currency: 'RUB' },
  ];
  const servers: Record<string, OpenAIFakeServer> = {};
  const router = new Router({
    strategy: 'round-robin',
    retry: { maxRetries: 1, initialDelayMs: 5, maxDelayMs: 20, maxPasses: 1 },
    circuitBreaker: { failureThreshold: 3, cooldownMs: 60_000 },
    timeoutMs: 10_000,
    onWarning: false,
  });
  for (const { name, currency, chunkDelayMs } of providers) {
    const server = await OpenAIFakeServer.start();
    server.setDefault({
      type: 'text',
      text: `Hello from ${name}, a fake server with a few words to stream.`,
      usage: { promptTokens: 20, completionTokens: 12 },
      chunkDelayMs: chunkDelayMs ?? 2,
    });
    servers[name] = server;
    router.addProvider(
      createOpenAI({
        name,
        model: 'gpt-4o-mini',
        apiKey: TEST_API_KEY,
        baseURL: server.baseURL,
        pricing: {
          inputPer1K: currency === 'RUB' ? 1.5 : 0.15,
          outputPer1K: currency === 'RUB' ? 1.5 : 0.6,
          currency,
        },
      }),
    );
  }

  const loads = new Set<() => Promise<unknown>>();
  return {
    router,
    servers,
    startLoad({ concurrency = 4, maxRequests = 100_000 } = {}) {
      let stopped = false;
      let sent = 0;
      const counts = { ok: 0, failed: 0 };
      const loop = async () => {
        while (!stopped && sent < maxRequests) {
          const n = sent++;
          try {
            const prompt = `${PROMPT_MARKER} #${n}`;
            if (n % 2 === 0) await router.route(prompt);
            else await router.routeStream(prompt).result;
            counts.ok++;
          } catch {
            counts.failed++;
            // A router with every circuit open fails at once: pause so the loop does not spin.
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        }
      };
      const running = Promise.all(Array.from({ length: concurrency }, loop));
      const stop = async () => {
        stopped = true;
        await running;
        return counts;
      };
      loads.add(stop);
      return {
        stop: async () => {
          loads.delete(stop);
          return stop();
        },
      };
    },
    async close() {
      await Promise.all([...loads].map((stop) => stop()));
      await router.close({ timeoutMs: 5_000 });
      await Promise.all(Object.values(servers).map((server) => server.close()));
    },
  };
}

/** Serves a Hono-style app on 127.0.0.1 with @hono/node-server; `close()` also drops open (SSE) connections. */
export async function serveApp(app: { fetch: (request: Request) => Response | Promise<Response> }) {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    /** Connections the server holds open (what a stalled client would keep). */
    connections: () =>
      new Promise<number>((resolve, reject) =>
        server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
