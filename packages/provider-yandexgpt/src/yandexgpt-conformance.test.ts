import { describeProvider, YandexGPTFakeServer } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { createYandexGPT } from './yandexgpt-provider.js';

describeProvider({
  describe,
  it,
  beforeAll,
  afterAll,
  beforeEach,
  name: '@llmo/provider-yandexgpt',
  server: () => YandexGPTFakeServer.start(),
  createProvider: ({ baseURL, timeoutMs, fetch }) =>
    createYandexGPT({
      name: 'yandexgpt',
      model: 'yandexgpt-lite',
      folderId: 'b1gfolder',
      apiKey: 'AQVN-test',
      baseURL,
      timeoutMs,
      fetch,
    }),
  capabilities: { streaming: true, tools: true, jsonSchema: true },
  unsupportedSettings: [
    { request: { topP: 0.5 }, setting: 'topP' },
    { request: { stop: ['x'] }, setting: 'stop' },
    { request: { seed: 1 }, setting: 'seed' },
  ],
  edge: {
    entry: new URL('./index.ts', import.meta.url),
    factory: 'createYandexGPT',
    settings: ({ server }) => ({
      name: 'yandexgpt',
      model: 'yandexgpt-lite',
      folderId: 'b1gfolder',
      apiKey: 'AQVN-test',
      baseURL: server.baseURL,
    }),
  },
});
