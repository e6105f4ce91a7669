import { describeProvider, OpenAIFakeServer } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { createOpenAI } from './openai-provider.js';

describeProvider({
  describe,
  it,
  beforeAll,
  afterAll,
  beforeEach,
  name: '@llmo/provider-openai',
  server: () => OpenAIFakeServer.start(),
  createProvider: ({ baseURL, timeoutMs, fetch }) =>
    createOpenAI({ name: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-test-key', baseURL, timeoutMs, fetch }),
  capabilities: { streaming: true, tools: true, jsonSchema: true },
  edge: {
    entry: new URL('./index.ts', import.meta.url),
    factory: 'createOpenAI',
    settings: ({ server }) => ({
      name: 'openai',
      model: 'gpt-4o-mini',
      apiKey: 'sk-test-key',
      baseURL: server.baseURL,
    }),
  },
});
