import { Router } from '@llmo/core';
import { createOpenAI } from '@llmo/provider-openai';
import { OpenAIFakeServer } from '@llmo/testkit';

/** A real Router over real OpenAI providers, each talking to its own fake server on 127.0.0.1. */
export async function startRouter(
  specs: {
    name: string;
    model: string;
    jsonSchema?: boolean;
    contextWindow?: number;
    fetch?: typeof fetch;
  }[],
) {
  const servers = new Map<string, OpenAIFakeServer>();
  const router = new Router({
    strategy: 'round-robin',
    retry: { maxRetries: 0, initialDelayMs: 1, maxPasses: 1 },
    onWarning: false,
    usageCallback: () => {},
  });
  for (const spec of specs) {
    const server = await OpenAIFakeServer.start();
    servers.set(spec.name, server);
    router.addProvider(
      createOpenAI({
        name: spec.name,
        model: spec.model,
        apiKey: 'test-key',
        baseURL: server.baseURL,
        capabilities: {
          streaming: true,
          jsonSchema: spec.jsonSchema ?? true,
          ...(spec.contextWindow ? { contextWindow: spec.contextWindow } : {}),
        },
        ...(spec.fetch ? { fetch: spec.fetch } : {}),
      }),
    );
  }
  const server = (name: string): OpenAIFakeServer => {
    const found = servers.get(name);
    if (!found) throw new Error(`no server ${name}`);
    return found;
  };
  const close = async () => {
    await router.close({ timeoutMs: 2000 });
    await Promise.all([...servers.values()].map((s) => s.close()));
  };
  return { router, server, close };
}

/** Waits (bounded: count and time) until `condition` holds, yielding to the event loop between checks. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (let i = 0; i < 100_000; i++) {
    if (condition()) return;
    if (Date.now() > until) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}
