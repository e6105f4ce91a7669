import { RouteFailedError, Router } from '@llmo/core';
import type { ChatRequest, ProviderError, StreamPart } from '@llmo/core/provider';
import { OpenAIFakeServer, rejectionOf } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAI, type OpenAISettings } from './openai-provider.js';

// Issue 10, "Settings are strict": a typo, a wrong type or an out-of-range value is an error that names the
// field and the fix, before anything goes on the wire, instead of a request that silently does something else.

let server: OpenAIFakeServer;
beforeAll(async () => {
  server = await OpenAIFakeServer.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const settings = (extra: Record<string, unknown> = {}) =>
  ({
    name: 'openai',
    model: 'gpt-4o-mini',
    apiKey: 'sk-test-123456',
    baseURL: server.baseURL,
    ...extra,
  }) as OpenAISettings;
const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: 'Hi' }],
  ...extra,
});
const settingsError = (extra: Record<string, unknown>): Error => {
  try {
    createOpenAI(settings(extra));
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected createOpenAI to throw');
};
const fail = (p: Promise<unknown>) => rejectionOf<ProviderError>(p);
async function drain(iterable: AsyncIterable<StreamPart>): Promise<void> {
  for await (const _ of iterable);
}

describe('settings', () => {
  it('a misspelt key is an error with the closest setting, not a request without auth', () => {
    const error = settingsError({ apiKey: undefined, apiKy: 'sk-secret-typo' });
    expect(error.name).toBe('InvalidSettingsError');
    expect(error.message).toBe(
      'createOpenAI: invalid settings:\n  - apiKy is not a setting; did you mean apiKey?',
    );
    expect(server.requests).toHaveLength(0);
  });

  it('wrong types and values are named together, values never echoed', () => {
    const error = settingsError({
      apiKey: 123456789,
      maxTokensParameter: 'bogus',
      timeoutMs: 0,
      includeUsage: 'yes',
      headers: { 'x-team': 42 },
      fetch: 'fetch',
      pricing: { inputPer1K: -1, outputPer1K: 0.6 },
      capabilities: { tools: 1, contextWindw: 128_000 },
      organization: '',
    });
    expect(error.message).toMatchInlineSnapshot(`
      "createOpenAI: invalid settings:
        - timeoutMs must be a number of milliseconds > 0 and ≤ 2147483647 (time allowed until response headers); got 0
        - headers.x-team must be a string (header values are strings); got 42
        - fetch must be a function (a fetch implementation); got a string
        - pricing.inputPer1K must be a number ≥ 0 (price per 1,000 input tokens); got -1
        - pricing.currency is required: an ISO 4217 code such as "USD" or "RUB"
        - capabilities.tools must be true or false (calls tools); got 1
        - capabilities.contextWindw is not a known field; did you mean capabilities.contextWindow?
        - apiKey must be a string or a function returning one (e.g. your OPENAI_API_KEY, or a function returning it); got a number
        - organization must be a non-empty string (sent as OpenAI-Organization); got an empty string
        - maxTokensParameter must be "max_completion_tokens" or "max_tokens" (the field that carries maxTokens); got a string
        - includeUsage must be true or false (ask for the usage chunk on streams); got a string"
    `);
    expect(error.message).not.toContain('123456789');
  });

  it('keeps accepting what it accepted: functions for keys, undefined optional settings', async () => {
    const provider = createOpenAI(
      settings({ apiKey: () => 'sk-fn', organization: undefined, maxTokensParameter: 'max_tokens' }),
    );
    await provider.generate(ask());
    expect(server.chatRequests[0]!.headers.authorization).toBe('Bearer sk-fn');
  });
});

describe('request values', () => {
  it('temperature outside 0–2 is a non-retryable bad_request naming the range; nothing is sent', async () => {
    const error = await fail(createOpenAI(settings()).generate(ask({ temperature: 5 })));
    expect(error).toMatchObject({
      name: 'ProviderError',
      kind: 'bad_request',
      retryable: false,
      provider: 'openai',
    });
    expect(error.message).toBe(
      'openai: invalid request:\n  - temperature must be a number between 0 and 2 for OpenAI; got 5',
    );
    const streamed = await fail(drain(createOpenAI(settings()).stream(ask({ temperature: -0.1 }))));
    expect(streamed).toMatchObject({ kind: 'bad_request', retryable: false });
    expect(server.requests).toHaveLength(0);
  });

  it('topP, maxTokens and toolChoice are checked too', async () => {
    const tools = [{ name: 'weather', parameters: { type: 'object' } }];
    const error = await fail(
      createOpenAI(settings()).generate(ask({ topP: 1.5, maxTokens: 1.5, tools, toolChoice: 42 as never })),
    );
    expect(error.message).toMatchInlineSnapshot(`
      "openai: invalid request:
        - topP must be a number between 0 and 1 for OpenAI; got 1.5
        - maxTokens must be a positive integer for OpenAI (tokens to generate); got 1.5
        - toolChoice must be "auto", "none", "required" or { type: "tool", name }; got 42"
    `);
    const unknownTool = await fail(
      createOpenAI(settings()).generate(ask({ tools, toolChoice: { type: 'tool', name: 'news' } })),
    );
    expect(unknownTool.message).toContain(
      'toolChoice names the tool "news", which is not in tools (weather)',
    );
    expect(server.requests).toHaveLength(0);
  });

  it('the boundaries themselves are accepted', async () => {
    await createOpenAI(settings()).generate(ask({ temperature: 2, topP: 0, maxTokens: 1 }));
    await createOpenAI(settings()).generate(ask({ temperature: 0, topP: 1 }));
    expect(
      server.chatRequests
        .map((r) => r.body as { temperature: number; top_p: number })
        .map((b) => [b.temperature, b.top_p]),
    ).toEqual([
      [2, 0],
      [0, 1],
    ]);
  });

  it('providerOptions cannot replace model, messages or stream; they say which field to use', async () => {
    const error = await fail(
      createOpenAI(settings()).generate(
        ask({ providerOptions: { openai: { model: 'gpt-4o', messages: [], stream: true, logprobs: true } } }),
      ),
    );
    expect(error).toMatchObject({ kind: 'bad_request', retryable: false });
    expect(error.message).toMatchInlineSnapshot(`
      "openai: invalid request:
        - providerOptions.openai.model cannot override a field the provider sets; use the model setting of createOpenAI (one provider per model) instead
        - providerOptions.openai.messages cannot override a field the provider sets; use request.messages instead
        - providerOptions.openai.stream cannot override a field the provider sets; use provider.stream() (or generate() for one answer) instead"
    `);
    const tokens = await fail(
      createOpenAI(settings()).generate(ask({ providerOptions: { openai: { max_completion_tokens: 5 } } })),
    );
    expect(tokens.message).toContain('use request.maxTokens (and the maxTokensParameter setting) instead');
    expect(server.requests).toHaveLength(0);
  });

  it('other provider options still pass through; stream_options merge with include_usage on streams only', async () => {
    const providerOptions = {
      openai: { service_tier: 'flex', stream_options: { include_obfuscation: false } },
    };
    await createOpenAI(settings()).generate(ask({ providerOptions }));
    await drain(createOpenAI(settings()).stream(ask({ providerOptions })));
    const [plain, streamed] = server.chatRequests.map((r) => r.body);
    expect(plain).toMatchObject({ service_tier: 'flex' });
    expect(plain).not.toHaveProperty('stream_options');
    expect(streamed).toMatchObject({
      service_tier: 'flex',
      stream: true,
      stream_options: { include_obfuscation: false, include_usage: true },
    });
  });

  it('in a router, an out-of-range value is each provider’s refusal: tried on each, nothing sent, no circuit opened', async () => {
    const router = new Router({ strategy: 'first-available', onWarning: false });
    router.addProvider(createOpenAI(settings({ name: 'first' })));
    router.addProvider(createOpenAI(settings({ name: 'second' })));
    const error = await router.route('Hi', { temperature: 7 }).catch((e: unknown) => e);
    expect(RouteFailedError.isInstance(error)).toBe(true);
    // Another provider may document a wider range, so each one is asked; none sends anything.
    expect((error as RouteFailedError).attempts.map((a) => [a.provider, a.errorKind])).toEqual([
      ['first', 'bad_request'],
      ['second', 'bad_request'],
    ]);
    expect(String((error as RouteFailedError).lastError)).toContain('temperature');
    expect(server.chatRequests).toHaveLength(0); // (the strategy's health checks list models)
    for (const view of Object.values(router.getMetrics())) expect(view.circuit).toBe('closed');
    await router.close();
  });
});
