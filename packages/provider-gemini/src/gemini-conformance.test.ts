import { describeProvider, GeminiFakeServer } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { createGemini } from './gemini-provider.js';

describeProvider({
  describe,
  it,
  beforeAll,
  afterAll,
  beforeEach,
  name: '@llmo/provider-gemini',
  server: () => GeminiFakeServer.start(),
  createProvider: ({ baseURL, timeoutMs, fetch }) =>
    createGemini({
      name: 'gemini',
      model: 'gemini-2.5-flash',
      apiKey: 'AIzaSy-test-key-123',
      baseURL,
      timeoutMs,
      fetch,
    }),
  capabilities: { streaming: true, tools: true, jsonSchema: true },
  edge: {
    entry: new URL('./index.ts', import.meta.url),
    factory: 'createGemini',
    settings: ({ server }) => ({
      name: 'gemini',
      model: 'gemini-2.5-flash',
      apiKey: 'AIzaSy-test-key-123',
      baseURL: server.baseURL,
    }),
  },
});

// The same suite against the variants the wire allows: events ending in `\n\n` (proxies), errors inside the
// stream as `data:` events, thinking tokens reported beside the answer's.
describeProvider({
  describe,
  it,
  beforeAll,
  afterAll,
  beforeEach,
  name: '@llmo/provider-gemini (LF events, in-stream errors as data events)',
  server: () => GeminiFakeServer.start({ eventEnd: '\n\n', inStreamError: 'data', thoughtSignature: false }),
  createProvider: ({ baseURL, timeoutMs, fetch }) =>
    createGemini({
      name: 'gemini',
      model: 'gemini-2.5-flash-lite',
      apiKey: 'AIzaSy-test-key-123',
      baseURL,
      timeoutMs,
      fetch,
    }),
  capabilities: { streaming: true, tools: true, jsonSchema: true },
});
