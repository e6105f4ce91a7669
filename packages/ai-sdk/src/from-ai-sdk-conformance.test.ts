import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { describeProvider, OpenAIFakeServer } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { fromAISDK } from './index.js';

// An AI SDK 6 provider package (@ai-sdk/openai-compatible, LanguageModelV3) wrapped as an llmo provider must
// pass the same conformance suite as llmo's own providers, over the same wire-faithful fake server.
describeProvider({
  describe,
  it,
  beforeAll,
  afterAll,
  beforeEach,
  name: '@llmo/ai-sdk fromAISDK(@ai-sdk/openai-compatible)',
  server: () => OpenAIFakeServer.start(),
  createProvider: ({ baseURL, timeoutMs, fetch }) =>
    fromAISDK(
      createOpenAICompatible({
        name: 'acme',
        baseURL,
        apiKey: 'sk-test-key',
        includeUsage: true,
        supportsStructuredOutputs: true,
        ...(fetch ? { fetch } : {}),
      }).chatModel('gpt-4o-mini'),
      { name: 'acme', secrets: ['sk-test-key'], ...(timeoutMs !== undefined ? { timeoutMs } : {}) },
    ),
  capabilities: { streaming: true, tools: true, jsonSchema: true },
});
