import {
  BEDROCK_TEST_CREDENTIALS,
  BEDROCK_TEST_SESSION_CREDENTIALS,
  BedrockFakeServer,
  describeProvider,
} from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { createBedrock } from './bedrock-provider.js';

// SigV4 with the AWS example keys, every request's signature recomputed by the fake server.
describeProvider({
  describe,
  it,
  beforeAll,
  afterAll,
  beforeEach,
  name: '@llmo/provider-bedrock',
  server: () => BedrockFakeServer.start(),
  createProvider: ({ baseURL, timeoutMs, fetch }) =>
    createBedrock({
      name: 'bedrock',
      model: 'anthropic.claude-3-5-haiku-20241022-v1:0',
      region: 'us-east-1',
      credentials: BEDROCK_TEST_CREDENTIALS,
      baseURL,
      timeoutMs,
      fetch,
    }),
  capabilities: { streaming: true, tools: true, jsonSchema: false },
  unsupportedSettings: [{ request: { seed: 7 }, setting: 'seed' }],
  edge: {
    entry: new URL('./index.ts', import.meta.url),
    factory: 'createBedrock',
    settings: ({ server }) => ({
      name: 'bedrock',
      model: 'amazon.nova-lite-v1:0',
      region: 'us-east-1',
      credentials: BEDROCK_TEST_CREDENTIALS,
      baseURL: server.baseURL,
    }),
  },
});

// The same suite with a Bedrock API key (Authorization: Bearer) and a cross-region inference profile id.
describeProvider({
  describe,
  it,
  beforeAll,
  afterAll,
  beforeEach,
  name: '@llmo/provider-bedrock (API key, inference profile)',
  server: () => BedrockFakeServer.start({ apiKeys: ['bedrock-api-key-conformance'] }),
  createProvider: ({ baseURL, timeoutMs, fetch }) =>
    createBedrock({
      name: 'bedrock-key',
      model: 'us.amazon.nova-pro-v1:0',
      region: 'us-east-1',
      apiKey: 'bedrock-api-key-conformance',
      baseURL,
      timeoutMs,
      fetch,
    }),
  capabilities: { streaming: true, tools: true, jsonSchema: false },
});

// Temporary credentials from a function (read per request, as a rotating or assumed-role source would give
// them): the session token travels in x-amz-security-token, which the secrets tests echo back too.
describeProvider({
  describe,
  it,
  beforeAll,
  afterAll,
  beforeEach,
  name: '@llmo/provider-bedrock (session credentials from a function)',
  server: () => BedrockFakeServer.start(),
  createProvider: ({ baseURL, timeoutMs, fetch }) =>
    createBedrock({
      name: 'bedrock-session',
      model: 'meta.llama3-3-70b-instruct-v1:0',
      region: 'us-east-1',
      credentials: async () => BEDROCK_TEST_SESSION_CREDENTIALS,
      baseURL,
      timeoutMs,
      fetch,
    }),
  capabilities: { streaming: true, tools: true, jsonSchema: false },
});
