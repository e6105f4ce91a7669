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

// The same suite against a server that sends `ping` between every event and the older `message_delta`
// usage (only `output_tokens`): both are legal on the wire (protocol note §5, pitfalls 6 and 8).
describeProvider({
  describe,
  it,
  beforeAll,
  afterAll,
  beforeEach,
  name: '@llmo/provider-anthropic (pings everywhere, older usage shape)',
  server: () => AnthropicFakeServer.start({ pingEverywhere: true, repeatUsageInMessageDelta: false }),
  createProvider: ({ baseURL, timeoutMs, fetch }) =>
    createAnthropic({
      name: 'anthropic',
      model: 'claude-haiku-4-5',
      apiKey: 'sk-ant-test-key',
      baseURL,
      timeoutMs,
      fetch,
    }),
  capabilities: { streaming: true, tools: true, jsonSchema: false },
});
