import { type RouteOptions, Router, type RouterEvent, type UsageRecord } from '@llmo/core';
import { createOpenAI } from '@llmo/provider-openai';
import { OpenAIFakeServer } from '@llmo/testkit';

/** Two OpenAI-compatible fake servers on 127.0.0.1 behind a first-available router (a, then b). */
export interface FakeRouter {
  router: Router;
  a: OpenAIFakeServer;
  b: OpenAIFakeServer;
  events: RouterEvent[];
  usage: UsageRecord[];
  close(): Promise<void>;
}

export async function startFakeRouter(routeOptions: RouteOptions = {}): Promise<FakeRouter> {
  const [a, b] = await Promise.all([OpenAIFakeServer.start(), OpenAIFakeServer.start()]);
  const usage: UsageRecord[] = [];
  const router = new Router({
    strategy: 'first-available',
    // Fast retries: the tests wait on state, never on time, and backoff would only slow them down.
    retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 5, maxPasses: 1 },
    usageCallback: (record) => {
      usage.push(record);
    },
    onWarning: false,
    ...routeOptions,
  });
  router.addProvider(createOpenAI({ name: 'a', model: 'model-a', apiKey: 'key-a', baseURL: a.baseURL }));
  router.addProvider(createOpenAI({ name: 'b', model: 'model-b', apiKey: 'key-b', baseURL: b.baseURL }));
  const events: RouterEvent[] = [];
  router.on('*', (event) => events.push(event));
  return {
    router,
    a,
    b,
    events,
    usage,
    async close() {
      await router.close({ timeoutMs: 5_000 });
      await Promise.all([a.close(), b.close()]);
    },
  };
}
