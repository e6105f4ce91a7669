// The edge app every bundle is built from: one request in, one JSON report out. It imports only what an edge
// app would (the router, one strategy, one provider) and uses only web-standard APIs. The router is built per
// request, as workerd requires (I/O objects cannot outlive the request that created them).
import { BaseRouter, firstAvailable, type RouteResult } from '@llmo/core';
import type { ProviderV1 } from '@llmo/core/provider';

/** Where the providers are, posted by the test: a server that fails and one that answers. */
export interface Endpoint {
  baseURL: string;
  /** GigaChat's OAuth endpoint. */
  authURL?: string;
  /** Vertex AI: the service-account key (JSON text) whose token_uri is the fake's token endpoint. */
  serviceAccount?: string;
}

export interface AppConfig {
  failing: Endpoint;
  working: Endpoint;
  prompt: string;
}

export interface Outcome {
  text: string;
  provider: string;
  finishReason: string;
  usage: { promptTokens?: number; completionTokens?: number };
  /** `provider:kind` for each attempt, in order. */
  attempts: string[];
}

export interface AppReport {
  /** `typeof` of what an edge runtime does or does not have: Node's globals, and `AbortSignal.any`. */
  globals: Record<(typeof NODE_GLOBALS)[number] | 'AbortSignal.any', string>;
  generate: Outcome;
  stream: Outcome & { deltas: string[] };
}

// Named in strings, so the bundle scan (which blanks strings) does not take these lookups for uses.
const NODE_GLOBALS = ['process', 'Buffer', 'require'] as const;

const outcome = (r: RouteResult): Outcome => ({
  text: r.text,
  provider: r.provider,
  finishReason: r.finishReason,
  usage: { promptTokens: r.usage.promptTokens, completionTokens: r.usage.completionTokens },
  attempts: r.attempts.map((a) => `${a.provider}:${a.errorKind ?? a.outcome}`),
});

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A fetch handler around a router whose first provider fails and whose second answers. */
export function edgeApp(
  providers: (config: AppConfig) => [failing: ProviderV1, working: ProviderV1],
): (request: Request) => Promise<Response> {
  return async (request) => {
    try {
      const config = (await request.json()) as AppConfig;
      const router = new BaseRouter({
        strategy: firstAvailable(),
        retry: { maxRetries: 0, maxPasses: 1 },
        deadlineMs: 15_000,
        onWarning: false,
      });
      for (const provider of providers(config)) router.addProvider(provider);

      const generated = await router.route(config.prompt);
      const stream = router.routeStream(config.prompt);
      const deltas: string[] = [];
      for await (const delta of stream) deltas.push(delta);
      const streamed = await stream.result;
      await router.close({ timeoutMs: 5_000 });

      const globals = Object.fromEntries(
        NODE_GLOBALS.map((name) => [name, typeof (globalThis as Record<string, unknown>)[name]]),
      ) as AppReport['globals'];
      globals['AbortSignal.any'] = typeof (AbortSignal as { any?: unknown }).any;
      const report: AppReport = {
        globals,
        generate: outcome(generated),
        stream: { ...outcome(streamed), deltas },
      };
      return json(report);
    } catch (error) {
      return json(
        { error: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error) },
        500,
      );
    }
  };
}
