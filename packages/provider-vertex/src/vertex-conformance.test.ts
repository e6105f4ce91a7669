import {
  describeProvider,
  type VertexClaudeFakeServer,
  VertexFakeServer,
  type VertexGeminiFakeServer,
  type VertexTestServiceAccount,
} from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { createVertex } from './vertex-provider.js';

// One suite per family: the same provider factory speaks generateContent for Gemini ids and rawPredict for
// Claude ids. Each authenticates with a service account whose JWT the fake's token endpoint verifies.
let geminiAccount: VertexTestServiceAccount;
describeProvider<VertexGeminiFakeServer>({
  describe,
  it,
  beforeAll,
  afterAll,
  beforeEach,
  name: '@llmo/provider-vertex (Gemini)',
  server: async () => {
    const server = await VertexFakeServer.start();
    geminiAccount = await server.createServiceAccount();
    return server.gemini;
  },
  createProvider: ({ baseURL, timeoutMs, fetch }) =>
    createVertex({
      name: 'vertex-gemini',
      model: 'gemini-2.5-flash',
      project: 'test-project',
      location: 'us-central1',
      serviceAccount: geminiAccount.key,
      baseURL,
      timeoutMs,
      fetch,
    }),
  capabilities: { streaming: true, tools: true, jsonSchema: true },
  edge: {
    entry: new URL('./index.ts', import.meta.url),
    factory: 'createVertex',
    settings: ({ server }) => ({
      name: 'vertex-gemini',
      model: 'gemini-2.5-flash',
      project: 'test-project',
      location: 'us-central1',
      serviceAccount: JSON.stringify(geminiAccount.key),
      baseURL: server.baseURL,
    }),
  },
});

let claudeAccount: VertexTestServiceAccount;
describeProvider<VertexClaudeFakeServer>({
  describe,
  it,
  beforeAll,
  afterAll,
  beforeEach,
  name: '@llmo/provider-vertex (Claude)',
  server: async () => {
    const server = await VertexFakeServer.start();
    claudeAccount = await server.createServiceAccount();
    return server.claude;
  },
  createProvider: ({ baseURL, timeoutMs, fetch }) =>
    createVertex({
      name: 'vertex-claude',
      model: 'claude-sonnet-4-5@20250929',
      project: 'test-project',
      location: 'us-east5',
      serviceAccount: claudeAccount.key,
      baseURL,
      timeoutMs,
      fetch,
    }),
  capabilities: { streaming: true, tools: true, jsonSchema: false },
  unsupportedSettings: [
    { request: { seed: 7 }, setting: 'seed' },
    { request: { responseFormat: { type: 'json' } }, setting: 'responseFormat' },
  ],
  edge: {
    entry: new URL('./index.ts', import.meta.url),
    factory: 'createVertex',
    settings: ({ server }) => ({
      name: 'vertex-claude',
      model: 'claude-sonnet-4-5@20250929',
      project: 'test-project',
      location: 'us-east5',
      serviceAccount: claudeAccount.key,
      baseURL: server.baseURL,
    }),
  },
});
