import { AnthropicFakeServer, describeProvider } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { createAnthropic } from './anthropic-provider.js';

describeProvider({
  describe,
  it,
  beforeAll,
  afterAll,
  beforeEach,
  name: '@llmo/provider-anthropic',
  server: () => AnthropicFakeServer.start(),
  createProvider: ({ baseURL, timeoutMs, fetch }) =>
    createAnthropic({
      name: 'anthropic',
      model: 'claude-sonnet-4-5',
      apiKey: 'sk-ant-test-key',
      baseURL,
      timeoutMs,
      fetch,
    }),
  capabilities: { streaming: true, tools: true, jsonSchema: false },
  unsupportedSettings: [{ request: { seed: 7 }, setting: 'seed' }],
  edge: {
    entry: new URL('./index.ts', import.meta.url),
    factory: 'createAnthropic',
    settings: ({ server }) => ({
      name: 'anthropic',
      model: 'claude-sonnet-4-5',
      apiKey: 'sk-ant-test-key',
      baseURL: server.baseURL,
    }),
  },
});
