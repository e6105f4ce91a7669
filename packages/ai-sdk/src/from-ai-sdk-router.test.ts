import { inspect } from 'node:util';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import {
  LlmoError,
  ProviderError,
  RouteFailedError,
  Router,
  StreamInterruptedError,
  type UsageRecord,
} from '@llmo/core';
import { OpenAIFakeServer } from '@llmo/testkit';
import { generateText, jsonSchema, streamText } from 'ai';
import { createOpenAICompatible as createOpenAICompatibleV1 } from 'openai-compatible-v1';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLlmoModel, fromAISDK } from './index.js';

(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

// Providers of the AI SDK's own packages (AI SDK 6's V3 @ai-sdk/openai-compatible@2 and AI SDK 5's V2
// @ai-sdk/openai-compatible@1), pointed at fake servers on 127.0.0.1, as providers of one llmo router.
let v3Server: OpenAIFakeServer;
let v2Server: OpenAIFakeServer;
beforeAll(async () => {
  [v3Server, v2Server] = await Promise.all([OpenAIFakeServer.start(), OpenAIFakeServer.start()]);
});
afterAll(() => Promise.all([v3Server.close(), v2Server.close()]));
beforeEach(() => {
  v3Server.reset();
  v2Server.reset();
});

const v3Model = () =>
  createOpenAICompatible({
    name: 'acme',
    baseURL: v3Server.baseURL,
    apiKey: 'sk-v3-secret',
    includeUsage: true,
  })('acme-large');
const v2Model = () =>
  createOpenAICompatibleV1({
    name: 'other',
    baseURL: v2Server.baseURL,
    apiKey: 'sk-v2-secret',
    includeUsage: true,
  })('other-small');

function routerOf(usage: UsageRecord[] = []) {
  const router = new Router({
    strategy: 'first-available',
    retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 5, maxPasses: 1 },
    usageCallback: (record) => void usage.push(record),
    onWarning: false,
  });
  router.addProvider(fromAISDK(v3Model(), { name: 'v3', secrets: ['sk-v3-secret'] }));
  router.addProvider(fromAISDK(v2Model(), { name: 'v2', secrets: ['sk-v2-secret'] }));
  return router;
}

describe('a router of AI SDK models', () => {
  it('falls back from the V3 model to the V2 model; usage from each spec version is read', async () => {
    const usage: UsageRecord[] = [];
    const router = routerOf(usage);
    v3Server.reply({ type: 'error', status: 500 }, { type: 'error', status: 500 });
    v2Server.reply({ type: 'text', text: 'from v2', usage: { promptTokens: 9, completionTokens: 2 } });
    const result = await router.route('Hi', { maxTokens: 20 });
    expect([result.provider, result.model, result.text]).toEqual(['v2', 'other-small', 'from v2']);
    expect(result.usage).toMatchObject({
      promptTokens: 9,
      completionTokens: 2,
      totalTokens: 11,
      estimated: false,
    });
    expect(result.attempts.map((a) => `${a.provider}:${a.errorKind ?? a.outcome}`)).toEqual([
      'v3:server',
      'v3:server',
      'v2:success',
    ]);
    // The AI SDK model built the wire request: max_tokens from the llmo request.
    expect(v2Server.chatRequests[0]?.body).toMatchObject({ model: 'other-small', max_tokens: 20 });
    await router.close();
    expect(usage.map((u) => u.provider)).toEqual(['v3', 'v3', 'v2']);
  });

  it('the real ai package over a router of AI SDK models: streamText falls back from V2 to V3', async () => {
    const router = new Router({
      strategy: 'first-available',
      retry: { maxRetries: 0, maxPasses: 1 },
      onWarning: false,
    });
    router.addProvider(fromAISDK(v2Model(), { name: 'v2' }));
    router.addProvider(fromAISDK(v3Model(), { name: 'v3' }));
    v2Server.reply({ type: 'error', status: 429, retryAfter: '0' });
    v3Server.reply({ type: 'text', text: 'streamed by v3', usage: { promptTokens: 4, completionTokens: 3 } });
    const stream = streamText({ model: createLlmoModel(router), prompt: 'Hi' });
    expect(await stream.text).toBe('streamed by v3');
    expect((await stream.usage).outputTokens).toBe(3);
    const meta = (await stream.providerMetadata)?.llmo as {
      provider: string;
      attempts: { errorKind?: string }[];
    };
    expect(meta.provider).toBe('v3');
    expect(meta.attempts[0]?.errorKind).toBe('rate_limit');
    // generateText the same way, with a tool call coming back through both adapters.
    v2Server.reply({ type: 'tool-call', id: 'call_7', name: 'lookup', arguments: { q: 'llmo' } });
    const result = await generateText({
      model: createLlmoModel(router),
      prompt: 'Look it up',
      tools: {
        lookup: {
          description: 'Search',
          inputSchema: jsonSchema<{ q: string }>({ type: 'object', properties: { q: { type: 'string' } } }),
        },
      },
    });
    expect(result.toolCalls.map((c) => [c.toolCallId, c.toolName, c.input])).toEqual([
      ['call_7', 'lookup', { q: 'llmo' }],
    ]);
    expect(result.finishReason).toBe('tool-calls');
    await router.close();
  });

  it('maps AI SDK API errors to llmo kinds from their status, body code, isRetryable and Retry-After', async () => {
    const provider = fromAISDK(v3Model(), { name: 'v3', secrets: ['sk-v3-secret'] });
    const cases: [Parameters<OpenAIFakeServer['reply']>[0], string, boolean][] = [
      [{ type: 'error', status: 429, retryAfter: '2' }, 'rate_limit', true],
      [{ type: 'error', status: 400, code: 'context_length_exceeded' }, 'context_length', false],
      [{ type: 'error', status: 401 }, 'auth', false],
      [{ type: 'error', status: 404 }, 'not_found', false],
      [{ type: 'error', status: 503 }, 'overloaded', true],
    ];
    for (const [scenario, kind, retryable] of cases) {
      v3Server.reply(scenario);
      const error = await provider
        .generate({ messages: [{ role: 'user', content: 'Hi' }] })
        .catch((e: unknown) => e);
      expect(ProviderError.isInstance(error)).toBe(true);
      expect([(error as ProviderError).kind, (error as ProviderError).retryable]).toEqual([kind, retryable]);
      expect((error as ProviderError).provider).toBe('v3');
    }
    // The server's `x-should-retry` wins over the status's default, both ways.
    for (const [status, header, kind] of [
      [500, 'false', 'server'],
      [400, 'true', 'bad_request'],
    ] as const) {
      v3Server.reply({
        type: 'raw',
        response: {
          status,
          headers: { 'content-type': 'application/json', 'x-should-retry': header },
          body: { error: { message: 'told', type: 'x' } },
        },
      });
      const told = (await provider
        .generate({ messages: [{ role: 'user', content: 'Hi' }] })
        .catch((e) => e)) as ProviderError;
      expect([told.kind, told.retryable]).toEqual([kind, header === 'true']);
    }
    v3Server.reply({ type: 'error', status: 429, retryAfter: '2' });
    const limited = (await provider
      .generate({ messages: [{ role: 'user', content: 'Hi' }] })
      .catch((e) => e)) as ProviderError;
    expect(limited.retryAfterMs).toBe(2000);
    expect(limited.status).toBe(429);
  });

  it('hostile: an error event inside a 200 stream is classified by its code (V3 and V2): context_length is not retried', async () => {
    const errorStream = (error: Record<string, unknown>): Parameters<OpenAIFakeServer['reply']>[0] => ({
      type: 'raw',
      response: {
        headers: { 'content-type': 'text/event-stream' },
        chunks: [`data: ${JSON.stringify({ error })}\n\n`, 'data: [DONE]\n\n'],
      },
    });
    const overflow = errorStream({
      message: 'This model maximum context length is 8192 tokens',
      type: 'invalid_request_error',
      code: 'context_length_exceeded',
    });
    for (const [name, model, server] of [
      ['v3', v3Model, v3Server],
      ['v2', v2Model, v2Server],
    ] as const) {
      const router = new Router({
        strategy: 'first-available',
        retry: { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 5 },
        onWarning: false,
      });
      router.addProvider(fromAISDK(model(), { name }));
      server.setDefault(overflow);
      const error = await (async () => {
        for await (const _ of router.routeStream('Hi')) {
          // drained
        }
      })().catch((e: unknown) => e);
      expect(RouteFailedError.isInstance(error)).toBe(true);
      expect((error as RouteFailedError).attempts.map((a) => a.errorKind)).toEqual(['context_length']);
      const last = (error as RouteFailedError).lastError as ProviderError;
      expect([last.kind, last.retryable, last.code]).toEqual([
        'context_length',
        false,
        'context_length_exceeded',
      ]);
      expect(server.chatRequests).toHaveLength(1);
      await router.close();
      // A code it does not know stays a retryable `server` fault.
      server.reply(errorStream({ message: 'upstream hiccup', code: 'weird_thing' }));
      const provider = fromAISDK(model(), { name });
      const unknown = await (async () => {
        for await (const _ of provider.stream({ messages: [{ role: 'user', content: 'Hi' }] })) {
          // drained
        }
      })().catch((e: unknown) => e);
      expect([(unknown as ProviderError).kind, (unknown as ProviderError).retryable]).toEqual([
        'server',
        true,
      ]);
      server.reset();
    }
  });

  it('hostile: a V2 model whose upstream resets mid-stream ends in StreamInterruptedError with the text so far', async () => {
    const router = new Router({ strategy: 'first-available', onWarning: false });
    router.addProvider(fromAISDK(v2Model(), { name: 'v2' }));
    router.addProvider(fromAISDK(v3Model(), { name: 'v3' }));
    v2Server.reply({ type: 'reset', text: 'first second third', afterDeltas: 2 });
    const stream = router.routeStream('Hi');
    let text = '';
    const error = await (async () => {
      for await (const delta of stream) text += delta;
    })().catch((e: unknown) => e);
    expect(StreamInterruptedError.isInstance(error)).toBe(true);
    expect((error as StreamInterruptedError).kind).toBe('network');
    expect(text).toBe('first second ');
    expect(v3Server.chatRequests).toHaveLength(0); // no fallback after the first chunk
    await router.close();
  });

  it('hostile: aborting a V3 model mid-stream is cancelled and closes the upstream request', async () => {
    const provider = fromAISDK(v3Model(), { name: 'v3' });
    v3Server.reply({ type: 'text', text: 'tick '.repeat(300), chunkDelayMs: 5 });
    const controller = new AbortController();
    let deltas = 0;
    const error = await (async () => {
      for await (const part of provider.stream({
        messages: [{ role: 'user', content: 'Hi' }],
        signal: controller.signal,
      })) {
        if (part.type === 'text-delta' && ++deltas === 2) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect((error as ProviderError).kind).toBe('cancelled');
    expect(deltas).toBeLessThan(300);
  });

  it('hostile: a malformed 200 from an AI SDK model is invalid_response, and the router moves on', async () => {
    const router = routerOf();
    const garbage = {
      type: 'raw',
      response: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"oops":' },
    } as const;
    v3Server.reply(garbage, garbage);
    v2Server.reply({ type: 'text', text: 'recovered' });
    const result = await router.route('Hi');
    expect(result.text).toBe('recovered');
    expect(result.attempts[0]?.errorKind).toBe('invalid_response');
    await router.close();
  });

  it('never leaks the key an upstream echoes back', async () => {
    const provider = fromAISDK(v3Model(), { name: 'v3', secrets: ['sk-v3-secret'] });
    v3Server.reply({ type: 'error', status: 401, message: 'Incorrect API key provided: sk-v3-secret' });
    const error = (await provider
      .generate({ messages: [{ role: 'user', content: 'Hi' }] })
      .catch((e) => e)) as Error;
    expect(error.message).toContain('[redacted]');
    expect(JSON.stringify(error) + error.message + String(error.stack)).not.toContain('sk-v3-secret');
  });

  it('hostile: no key, prompt, URL or body in util.inspect of the router error (the AI SDK error is not kept raw)', async () => {
    const router = new Router({
      strategy: 'first-available',
      retry: { maxRetries: 0, maxPasses: 1 },
      onWarning: false,
    });
    router.addProvider(fromAISDK(v3Model(), { name: 'v3', secrets: ['sk-v3-secret'] }));
    router.addProvider(fromAISDK(v2Model(), { name: 'v2', secrets: ['sk-v2-secret'] }));
    // A 401 whose body echoes the key outside `message`, and a plain 500: neither message mentions the secrets.
    v3Server.reply({
      type: 'raw',
      response: {
        status: 401,
        headers: { 'content-type': 'application/json', 'x-echo': 'sk-v3-secret' },
        body: JSON.stringify({ error: { message: 'Invalid credentials', param: 'Bearer sk-v3-secret' } }),
      },
    });
    v2Server.reply({ type: 'error', status: 500 });
    const error = await router.route('My SSN is 078-05-1120').catch((e: unknown) => e);
    expect(RouteFailedError.isInstance(error)).toBe(true);
    const printed = inspect(error, { depth: 20 });
    for (const leak of ['sk-v3-secret', 'sk-v2-secret', '078-05-1120', v3Server.baseURL, v2Server.baseURL])
      expect(printed).not.toContain(leak);
    // What says what happened stays: the AI SDK error's name, status and retryability.
    expect((error as RouteFailedError).attempts.map((a) => `${a.provider}:${a.errorKind}`)).toEqual([
      'v3:auth',
      'v2:server',
    ]);
    const cause = ((error as RouteFailedError).lastError as ProviderError).cause as Record<string, unknown>;
    expect([cause.name, cause.statusCode, cause.isRetryable]).toEqual(['AI_APICallError', 500, true]);
    expect(Object.keys(cause)).not.toContain('responseBody');
    await router.close();
  });

  it('validates its settings and the model it is given', () => {
    expect(() => fromAISDK(v3Model(), { name: 'x', secret: ['k'] } as never)).toThrow(
      /secret is not a setting; did you mean secrets\?/,
    );
    expect(() => fromAISDK(v3Model(), {} as never)).toThrow(/name/);
    expect(() => fromAISDK({ specificationVersion: 'v1' } as never, { name: 'x' })).toThrow(
      /specificationVersion "v2" \(AI SDK 5\) or "v3" \(AI SDK 6\); got "v1"/,
    );
    const error = (() => {
      try {
        fromAISDK(v3Model(), { name: '' });
      } catch (e) {
        return e;
      }
    })();
    expect(LlmoError.isInstance(error)).toBe(true);
  });
});
