import { type ChatRequest, ProviderError } from '@llmo/core/provider';
import { describe, expect, it } from 'vitest';
import { createMockProvider, type MockProviderSettings } from './mock-provider.js';

// Issue 10, "Settings are strict": the mock validates like the real providers, so a demo with a typo fails
// loudly instead of silently running with the defaults.

const settingsError = (settings: Record<string, unknown>): Error => {
  try {
    createMockProvider(settings as unknown as MockProviderSettings);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected createMockProvider to throw');
};
const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: 'Hello' }],
  ...extra,
});

describe('settings', () => {
  it('a misspelt key names the closest setting', () => {
    const error = settingsError({ name: 'a', latencyMS: 5 });
    expect(error.name).toBe('InvalidSettingsError');
    expect(error.message).toBe(
      'createMockProvider: invalid settings:\n  - latencyMS is not a setting; did you mean latencyMs?',
    );
  });

  it('wrong types and ranges are named together; endpoint settings are not settings of the mock', () => {
    expect(
      settingsError({
        name: '',
        latencyMs: -1,
        failureRate: 2,
        seed: 1.5,
        response: 42,
        pricing: { inputPer1K: 1, outputPer1K: 1, currency: 'rub' },
        baseURL: 'http://localhost',
      }).message,
    ).toMatchInlineSnapshot(`
      "createMockProvider: invalid settings:
        - name must be a non-empty string (it identifies the provider in a router, e.g. "openai-main"); got an empty string
        - pricing.currency must be an ISO 4217 code such as "USD" or "RUB"; got a string
        - latencyMs must be a number ≥ 0 (milliseconds: delay before answering); got -1
        - seed must be an integer (seeds mock-flaky's failures); got 1.5
        - failureRate must be a number between 0 and 1 (probability that a mock-flaky call fails); got 2
        - response must be a string or a function (request) => string; got 42
        - baseURL is not a setting (the settings of createMockProvider are: name, pricing, capabilities, model, latencyMs, chunkDelayMs, seed, failureRate, breakAfterChunks, retryAfterMs, response, reportUsage)"
    `);
  });

  it('accepts what the examples pass', () => {
    expect(() =>
      createMockProvider({
        name: 'gigachat-like',
        model: 'mock-flaky',
        failureRate: 0.2,
        latencyMs: 20,
        chunkDelayMs: 0,
        seed: 3,
        response: (request) => `echo ${request.messages.length}`,
        reportUsage: false,
        pricing: { inputPer1K: 1.5, outputPer1K: 1.5, currency: 'RUB' },
        capabilities: { tools: false },
      }),
    ).not.toThrow();
  });
});

describe('request values', () => {
  it('the contract’s ranges are checked: a bad_request, not retryable, before the simulated latency', async () => {
    const provider = createMockProvider({ name: 'mock', latencyMs: 60_000 });
    const error = await provider.generate(ask({ topP: 3, maxTokens: 0 })).catch((e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'bad_request', retryable: false, provider: 'mock' });
    expect((error as Error).message).toMatchInlineSnapshot(`
      "mock: invalid request:
        - topP must be a number between 0 and 1; got 3
        - maxTokens must be a positive integer (tokens to generate); got 0"
    `);
    const streamed = await (async () => {
      for await (const _ of provider.stream(ask({ temperature: -1 })));
    })().catch((e: unknown) => e);
    expect(streamed).toMatchObject({ kind: 'bad_request', retryable: false });
  });
});
