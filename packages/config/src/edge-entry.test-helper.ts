// A provider-shaped wrapper around the main entry, for `runWithoutProcess` (testkit): it parses a YAML
// configuration and routes through the Router built from it, inside a worker with no `process`, bundled for
// the edge (`worker`/`browser` conditions, so yaml's browser build and core's fetch transport).
import type { ProviderV1, Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { createRouterFromConfig, parseConfig } from './index.js';

export function createConfiguredProvider(settings: {
  yaml: string;
  env: Record<string, string>;
}): ProviderV1 {
  let router: Promise<Router> | undefined;
  const get = () => {
    router ??= createRouterFromConfig(parseConfig(settings.yaml, { env: settings.env }), {
      factories: { mock: createMockProvider },
      router: { onWarning: false },
    });
    return router;
  };
  return {
    specificationVersion: 'v1',
    name: 'configured',
    model: 'config',
    providerType: 'config',
    async generate(request) {
      const result = await (await get()).route(request.messages);
      return { text: `${result.provider}: ${result.text}`, finishReason: result.finishReason };
    },
    async *stream(request) {
      yield* (await get()).routeStream(request.messages).parts;
    },
    healthCheck: async () => true,
  };
}
