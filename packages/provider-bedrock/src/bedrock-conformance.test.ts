import {
  BEDROCK_TEST_CREDENTIALS,
  BEDROCK_TEST_SESSION_CREDENTIALS,
  BedrockFakeServer,
  type BedrockServerOptions,
  type DescribeProviderOptions,
  describeProvider,
} from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { type BedrockSettings, createBedrock } from './bedrock-provider.js';

/** The shared suite against a fake Bedrock (every request's SigV4 signature recomputed by the fake). */
function conformance(
  name: string,
  server: BedrockServerOptions,
  settings: Omit<BedrockSettings, 'baseURL' | 'timeoutMs' | 'fetch'>,
  extra: Partial<DescribeProviderOptions<BedrockFakeServer>> = {},
): void {
  describeProvider({
    describe,
    it,
    beforeAll,
    afterAll,
    beforeEach,
    name,
    server: () => BedrockFakeServer.start(server),
    createProvider: ({ baseURL, timeoutMs, fetch }) =>
      createBedrock({ ...settings, baseURL, timeoutMs, fetch }),
    capabilities: { streaming: true, tools: true, jsonSchema: false },
    ...extra,
  });
}

// Static keys (the AWS example pair); the edge run bundles the provider and calls the fake from a worker.
conformance(
  '@llmo/provider-bedrock',
  {},
  {
    name: 'bedrock',
    model: 'anthropic.claude-3-5-haiku-20241022-v1:0',
    region: 'us-east-1',
    credentials: BEDROCK_TEST_CREDENTIALS,
  },
  {
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
  },
);

// A Bedrock API key (Authorization: Bearer) and a cross-region inference profile id.
conformance(
  '@llmo/provider-bedrock (API key, inference profile)',
  { apiKeys: ['bedrock-api-key-conformance'] },
  {
    name: 'bedrock-key',
    model: 'us.amazon.nova-pro-v1:0',
    region: 'us-east-1',
    apiKey: 'bedrock-api-key-conformance',
  },
);

// Temporary credentials from a function (read per request, as a rotating or assumed-role source would give
// them): the session token travels in x-amz-security-token, which the secrets tests echo back too.
conformance(
  '@llmo/provider-bedrock (session credentials from a function)',
  {},
  {
    name: 'bedrock-session',
    model: 'meta.llama3-3-70b-instruct-v1:0',
    region: 'us-east-1',
    credentials: async () => BEDROCK_TEST_SESSION_CREDENTIALS,
  },
);
