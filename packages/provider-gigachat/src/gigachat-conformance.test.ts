import { describeProvider, GigaChatFakeServer } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { createGigaChat } from './gigachat-provider.js';

describeProvider({
  describe,
  it,
  beforeAll,
  afterAll,
  beforeEach,
  name: '@llmo/provider-gigachat',
  server: () => GigaChatFakeServer.start(),
  createProvider: ({ server, baseURL, timeoutMs, fetch }) =>
    createGigaChat({
      name: 'gigachat',
      model: 'GigaChat',
      credentials: 'dGVzdDp0ZXN0',
      baseURL,
      authURL: server.authURL,
      timeoutMs,
      fetch,
    }),
  capabilities: { streaming: true, tools: true, jsonSchema: true },
  unsupportedSettings: [
    { request: { stop: ['END'] }, setting: 'stop' },
    { request: { seed: 1 }, setting: 'seed' },
    { request: { responseFormat: { type: 'json' } }, setting: 'responseFormat' },
  ],
  edge: {
    entry: new URL('./index.ts', import.meta.url),
    factory: 'createGigaChat',
    settings: ({ server }) => ({
      name: 'gigachat',
      model: 'GigaChat',
      credentials: 'dGVzdDp0ZXN0',
      baseURL: server.baseURL,
      authURL: server.authURL,
    }),
  },
});
