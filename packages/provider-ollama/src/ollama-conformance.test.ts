import { describeProvider, OllamaFakeServer } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { createOllama } from './ollama-provider.js';

describeProvider({
  describe,
  it,
  beforeAll,
  afterAll,
  beforeEach,
  name: '@llmo/provider-ollama',
  server: () => OllamaFakeServer.start(),
  // A key, as for Ollama's cloud or a proxy in front of a local server: the secrets tests need one.
  createProvider: ({ baseURL, timeoutMs, fetch }) =>
    createOllama({ name: 'ollama', model: 'llama3.2', apiKey: 'ollama-test-key', baseURL, timeoutMs, fetch }),
  capabilities: { streaming: true, tools: true, jsonSchema: true },
  unsupportedSettings: [{ request: { toolChoice: 'required' }, setting: 'toolChoice' }],
  edge: {
    entry: new URL('./index.ts', import.meta.url),
    factory: 'createOllama',
    settings: ({ server }) => ({ name: 'ollama', model: 'llama3.2', baseURL: server.baseURL }),
  },
});
