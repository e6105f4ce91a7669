import { Router } from '@llmo/core';
import type { ChatRequest, ProviderError } from '@llmo/core/provider';
import { OpenAIFakeServer, collectParts as parts, rejectionOf } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OPENAI_PRICES, OPENAI_SNAPSHOT_ALIASES, openaiPricing } from './openai-pricing.js';
import { createOpenAI, type OpenAISettings } from './openai-provider.js';

let server: OpenAIFakeServer;
beforeAll(async () => {
  server = await OpenAIFakeServer.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const provider = (extra: Partial<OpenAISettings> = {}) =>
  createOpenAI({
    name: 'openai',
    model: 'gpt-4o-mini',
    apiKey: 'sk-test-123456',
    baseURL: server.baseURL,
    ...extra,
  });
const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: 'Hi' }],
  ...extra,
});

const fail = (p: Promise<unknown>) => rejectionOf<ProviderError>(p);

describe('request', () => {
  it('sends the Chat Completions body with every mapped setting', async () => {
    await provider().generate({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'call_1', name: 'weather', arguments: '{"city":"Oslo"}' }],
        },
        { role: 'tool', toolCallId: 'call_1', content: '{"t":3}' },
      ],
      temperature: 0.2,
      topP: 0.9,
      maxTokens: 50,
      stop: ['END'],
      seed: 7,
      responseFormat: { type: 'json-schema', name: 'weather report!', schema: { type: 'object' } },
      tools: [{ name: 'weather', description: 'Weather by city', parameters: { type: 'object' } }],
      toolChoice: { type: 'tool', name: 'weather' },
      providerOptions: { openai: { service_tier: 'flex' }, ollama: { keep_alive: '5m' } },
    });
    expect(server.chatRequests[0]!.body).toMatchInlineSnapshot(`
      {
        "max_tokens": 50,
        "messages": [
          {
            "content": "Be brief.",
            "role": "system",
          },
          {
            "content": "Weather?",
            "role": "user",
          },
          {
            "content": null,
            "role": "assistant",
            "tool_calls": [
              {
                "function": {
                  "arguments": "{"city":"Oslo"}",
                  "name": "weather",
                },
                "id": "call_1",
                "type": "function",
              },
            ],
          },
          {
            "content": "{"t":3}",
            "role": "tool",
            "tool_call_id": "call_1",
          },
        ],
        "model": "gpt-4o-mini",
        "response_format": {
          "json_schema": {
            "name": "weather_report_",
            "schema": {
              "type": "object",
            },
            "strict": true,
          },
          "type": "json_schema",
        },
        "seed": 7,
        "service_tier": "flex",
        "stop": [
          "END",
        ],
        "temperature": 0.2,
        "tool_choice": {
          "function": {
            "name": "weather",
          },
          "type": "function",
        },
        "tools": [
          {
            "function": {
              "description": "Weather by city",
              "name": "weather",
              "parameters": {
                "type": "object",
              },
            },
            "type": "function",
          },
        ],
        "top_p": 0.9,
      }
    `);
  });

  it('uses max_completion_tokens when asked (reasoning models reject max_tokens)', async () => {
    await provider({ maxTokensParameter: 'max_completion_tokens' }).generate(ask({ maxTokens: 9 }));
    expect(server.chatRequests[0]!.body).toMatchObject({ max_completion_tokens: 9 });
    expect(server.chatRequests[0]!.body).not.toHaveProperty('max_tokens');
  });

  it('maps json mode to json_object', async () => {
    await provider().generate(ask({ responseFormat: { type: 'json' } }));
    expect(server.chatRequests[0]!.body).toMatchObject({ response_format: { type: 'json_object' } });
  });

  it('sends the key, organisation, project and custom headers', async () => {
    await provider({ organization: 'org-1', project: 'proj-1', headers: { 'x-team': 'a' } }).generate(
      ask({ headers: { 'x-trace': 't' } }),
    );
    expect(server.chatRequests[0]!.headers).toMatchObject({
      authorization: 'Bearer sk-test-123456',
      'openai-organization': 'org-1',
      'openai-project': 'proj-1',
      'x-team': 'a',
      'x-trace': 't',
      'content-type': 'application/json',
    });
  });

  it('reads the key per request from a function, never at creation', async () => {
    let reads = 0;
    const p = provider({ apiKey: () => `sk-rotated-${++reads}` });
    expect(reads).toBe(0);
    await p.generate(ask());
    await p.generate(ask());
    expect(server.chatRequests.map((r) => r.headers.authorization)).toEqual([
      'Bearer sk-rotated-1',
      'Bearer sk-rotated-2',
    ]);
  });

  it('sends no Authorization to a compatible server when no key is given', async () => {
    await createOpenAI({ name: 'local', model: 'm', baseURL: server.baseURL }).generate(ask());
    expect(server.chatRequests[0]!.headers.authorization).toBeUndefined();
  });

  it('fails before any request when OpenAI itself has no key', async () => {
    const error = await fail(createOpenAI({ name: 'openai', model: 'gpt-4o' }).generate(ask()));
    expect(error).toMatchObject({ kind: 'auth', retryable: false });
    expect(error.message).toMatch(/setting "apiKey" is missing/);
  });

  it('rejects bad settings at creation with a clear message', () => {
    expect(() => createOpenAI({ name: '', model: 'gpt-4o' })).toThrow(
      /createOpenAI: invalid settings:\n {2}- name must be a non-empty string/,
    );
    expect(() => createOpenAI({ name: 'x', model: 'm', baseURL: 'localhost:8000' })).toThrow(
      /baseURL must be an http\(s\) URL/,
    );
  });
});

describe('responses', () => {
  it('returns tool calls with their JSON argument strings', async () => {
    server.reply({ type: 'tool-call', name: 'get_weather', arguments: { city: 'Москва' }, id: 'call_9' });
    const result = await provider().generate(ask());
    expect(result).toMatchObject({
      finishReason: 'tool-calls',
      toolCalls: [{ id: 'call_9', name: 'get_weather', arguments: '{"city":"Москва"}' }],
    });
  });

  it('tolerates blank lines before the JSON body (DeepSeek while queued)', async () => {
    server.reply({
      type: 'raw',
      response: {
        headers: { 'content-type': 'application/json' },
        body: `\n\n\n${JSON.stringify({ id: 'x', choices: [{ message: { content: 'ok' }, finish_reason: 'stop' }] })}`,
      },
    });
    expect((await provider().generate(ask())).text).toBe('ok');
  });

  it('reports a body that is not JSON as invalid_response', async () => {
    server.reply({ type: 'raw', response: { body: '<html>gateway</html>' } });
    expect(await fail(provider().generate(ask()))).toMatchObject({
      kind: 'invalid_response',
      retryable: false,
    });
  });
});

describe('streams', () => {
  it('asks for usage and reads the usage chunk whose choices are empty', async () => {
    server.reply({ type: 'text', text: 'a b', usage: { promptTokens: 8, completionTokens: 2 } });
    const streamed = await parts(provider().stream(ask()));
    expect(server.chatRequests[0]!.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(streamed.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      // The fake, like OpenAI, sends prompt_tokens_details.cached_tokens (0 here).
      usage: { promptTokens: 8, completionTokens: 2, totalTokens: 10, cacheReadTokens: 0 },
    });
  });

  it('reports cached prompt tokens, which the Router prices at the cached-input price', async () => {
    server.reply({
      type: 'raw',
      response: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: {
          id: 'c1',
          model: 'gpt-4o',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          usage: {
            prompt_tokens: 2000,
            completion_tokens: 100,
            total_tokens: 2100,
            prompt_tokens_details: { cached_tokens: 1024 },
          },
        },
      },
    });
    // The list price of gpt-4o (a compatible server gets none unless given).
    const gpt4o = provider({ model: 'gpt-4o', pricing: openaiPricing('gpt-4o') });
    const router = new Router({ onWarning: false }).addProvider(gpt4o);
    const result = await router.route('Hi');
    expect(result.usage).toMatchObject({ promptTokens: 2000, cacheReadTokens: 1024 });
    // $2.50/M fresh input, $1.25/M cached, $10/M output.
    expect(result.cost.amount).toBeCloseTo((976 * 2.5 + 1024 * 1.25 + 100 * 10) / 1e6, 12);
    await router.close();
  });

  it('accumulates tool-call fragments by index and emits one tool call', async () => {
    server.reply({
      type: 'tool-call',
      name: 'get_weather',
      arguments: { city: 'Moscow', days: 3 },
      id: 'call_abc',
    });
    const streamed = await parts(provider().stream(ask()));
    const deltas = streamed.filter((p) => p.type === 'tool-call-delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(streamed.find((p) => p.type === 'tool-call')).toEqual({
      type: 'tool-call',
      id: 'call_abc',
      name: 'get_weather',
      arguments: '{"city":"Moscow","days":3}',
    });
    expect(streamed.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
  });

  it('throws on `event: error` inside a 200 stream', async () => {
    server.reply({
      type: 'raw',
      response: {
        headers: { 'content-type': 'text/event-stream' },
        chunks: ['event: error\ndata: {"message":"overloaded"}\n\n'],
      },
    });
    const error = await fail(parts(provider().stream(ask())));
    expect(error.kind).toBe('server');
    expect(error.message).toContain('overloaded');
  });

  it('maps an in-stream insufficient_quota error to quota', async () => {
    server.reply({
      type: 'raw',
      response: {
        headers: { 'content-type': 'text/event-stream' },
        chunks: [
          'data: {"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}\n\n',
        ],
      },
    });
    expect(await fail(parts(provider().stream(ask())))).toMatchObject({ kind: 'quota', retryable: false });
  });

  it('treats a stream that ends without finish_reason or [DONE] as truncated', async () => {
    server.reply({
      type: 'raw',
      response: {
        headers: { 'content-type': 'text/event-stream' },
        chunks: ['data: {"choices":[{"index":0,"delta":{"content":"half"}}]}\n\n'],
      },
    });
    expect(await fail(parts(provider().stream(ask())))).toMatchObject({ kind: 'network', retryable: true });
  });
});

describe('errors', () => {
  it('reads retry-after-ms (OpenAI) before retry-after', async () => {
    server.reply({ type: 'error', status: 429, headers: { 'retry-after-ms': '1500', 'retry-after': '9' } });
    expect(await fail(provider().generate(ask()))).toMatchObject({ kind: 'rate_limit', retryAfterMs: 1500 });
  });

  it('insufficient_quota is a non-retryable quota error, not a rate limit', async () => {
    server.reply({
      type: 'error',
      status: 429,
      code: 'insufficient_quota',
      message: 'You exceeded your current quota',
    });
    expect(await fail(provider().generate(ask()))).toMatchObject({
      kind: 'quota',
      retryable: false,
      code: 'insufficient_quota',
    });
  });

  it('context_length_exceeded becomes context_length', async () => {
    server.reply({
      type: 'error',
      status: 400,
      code: 'context_length_exceeded',
      message: "This model's maximum context length is 8192 tokens",
    });
    expect(await fail(provider().generate(ask()))).toMatchObject({
      kind: 'context_length',
      retryable: false,
    });
  });

  it('x-should-retry overrides retryable', async () => {
    server.reply({ type: 'error', status: 500, headers: { 'x-should-retry': 'false' } });
    expect(await fail(provider().generate(ask()))).toMatchObject({ kind: 'server', retryable: false });
    server.reply({ type: 'error', status: 400, headers: { 'x-should-retry': 'true' } });
    expect(await fail(provider().generate(ask()))).toMatchObject({ kind: 'bad_request', retryable: true });
  });

  it('carries the request id and never leaks the key echoed in a message', async () => {
    server.reply({
      type: 'error',
      status: 401,
      code: 'invalid_api_key',
      message: 'Incorrect API key provided: sk-test-123456',
    });
    const error = await fail(provider().generate(ask()));
    expect(error).toMatchObject({ kind: 'auth', requestId: 'req_fake_error' });
    expect(error.message).not.toContain('sk-test-123456');
  });
});

describe('OpenAI-compatible servers', () => {
  let compat: OpenAIFakeServer;
  afterAll(() => compat?.close());

  it('vLLM flat errors, keep-alive comments, no [DONE], usage sent unasked', async () => {
    compat = await OpenAIFakeServer.start({
      flatErrors: true,
      keepAliveComments: true,
      omitDone: true,
      alwaysSendUsage: true,
    });
    const p = createOpenAI({ name: 'vllm', model: 'qwen', baseURL: compat.baseURL, includeUsage: false });
    compat.reply({ type: 'text', text: 'x y z', usage: { promptTokens: 1, completionTokens: 3 } });
    const streamed = await parts(p.stream(ask()));
    expect(compat.chatRequests[0]!.body).not.toHaveProperty('stream_options');
    expect(
      streamed.filter((s) => s.type === 'text-delta').map((s) => (s.type === 'text-delta' ? s.delta : '')),
    ).toEqual(['x ', 'y ', 'z']);
    expect(streamed.at(-1)).toMatchObject({ type: 'finish', usage: { completionTokens: 3 } });
    compat.reply({ type: 'error', status: 400, message: 'tool_choice auto needs --enable-auto-tool-choice' });
    const error = await fail(p.generate(ask()));
    expect(error).toMatchObject({ kind: 'bad_request' });
    expect(error.message).toContain('--enable-auto-tool-choice');
  });

  it('a server that never sends usage leaves it to the router to estimate', async () => {
    const silent = await OpenAIFakeServer.start({ neverSendUsage: true });
    try {
      const streamed = await parts(
        createOpenAI({ name: 's', model: 'm', baseURL: silent.baseURL }).stream(ask()),
      );
      expect(streamed.at(-1)).toEqual({ type: 'finish', finishReason: 'stop', usage: undefined });
    } finally {
      await silent.close();
    }
  });
});

describe('models, health and pricing', () => {
  it('lists models and uses the listing as a free health check', async () => {
    expect((await provider().listModels!()).map((m) => m.id)).toEqual(['gpt-4o-mini', 'gpt-4o']);
    expect(await provider().healthCheck()).toBe(true);
    expect(server.requestsTo('/v1/models')[0]!.headers.authorization).toBe('Bearer sk-test-123456');
  });

  it('reports unhealthy when the listing fails', async () => {
    server.http.enqueue('GET', '/v1/models', { status: 401, body: { error: { message: 'bad key' } } });
    expect(await provider().healthCheck()).toBe(false);
  });

  it('prices OpenAI models by exact id in USD, and nothing for other servers unless given', () => {
    expect(openaiPricing('gpt-4o-mini')).toEqual({
      inputPer1K: 0.00015,
      outputPer1K: 0.0006,
      cacheReadPer1K: 0.000075,
      currency: 'USD',
    });
    expect(createOpenAI({ name: 'o', model: 'gpt-4o', apiKey: 'k' }).pricing).toEqual({
      inputPer1K: 0.0025,
      outputPer1K: 0.01,
      cacheReadPer1K: 0.00125,
      currency: 'USD',
    });
    expect(provider().pricing).toBeUndefined();
    expect(
      provider({ pricing: { inputPer1K: 1, outputPer1K: 2, currency: 'USD' } }).pricing?.outputPer1K,
    ).toBe(2);
  });

  it('prices dated snapshots through explicit aliases', () => {
    const gpt4o = openaiPricing('gpt-4o');
    expect(openaiPricing('gpt-4o-2024-08-06')).toEqual(gpt4o);
    expect(openaiPricing('gpt-4o-2024-11-20')).toEqual(gpt4o);
    expect(openaiPricing('gpt-4o-mini-2024-07-18')).toEqual(openaiPricing('gpt-4o-mini'));
    expect(openaiPricing('gpt-4.1-2025-04-14')).toEqual(openaiPricing('gpt-4.1'));
    expect(openaiPricing('gpt-5-2025-08-07')).toEqual(openaiPricing('gpt-5'));
    expect(openaiPricing('o3-2025-04-16')).toEqual(openaiPricing('o3'));
    expect(openaiPricing('o1-2024-12-17')).toEqual(openaiPricing('o1'));
    for (const [snapshot, model] of Object.entries(OPENAI_SNAPSHOT_ALIASES)) {
      expect(openaiPricing(snapshot), snapshot).toBeDefined();
      expect(openaiPricing(snapshot), snapshot).toEqual(openaiPricing(model));
    }
    // The first gpt-4o snapshot has its own, higher price.
    expect(openaiPricing('gpt-4o-2024-05-13')).toEqual({
      inputPer1K: 0.005,
      outputPer1K: 0.015,
      currency: 'USD',
    });
  });

  it('never prices a variant or an unknown model as its base model', () => {
    expect(openaiPricing('gpt-5-pro')).toEqual({ inputPer1K: 0.015, outputPer1K: 0.12, currency: 'USD' });
    expect(openaiPricing('o1-pro')).toEqual({ inputPer1K: 0.15, outputPer1K: 0.6, currency: 'USD' });
    expect(openaiPricing('o3-pro')).toEqual({ inputPer1K: 0.02, outputPer1K: 0.08, currency: 'USD' });
    expect(openaiPricing('gpt-5-pro')).not.toEqual(openaiPricing('gpt-5'));
    expect(openaiPricing('o1-pro')).not.toEqual(openaiPricing('o1'));
    for (const model of [
      'gpt-4o-foo',
      'gpt-4o-2099-01-01',
      'gpt-5-turbo',
      'o1-mini',
      'gpt-3.5-turbo-16k',
      'GPT-4O',
      'gpt-4o ',
      'my-finetune',
      '',
      'constructor',
      '__proto__',
      'toString',
    ]) {
      expect(openaiPricing(model), model).toBeUndefined();
    }
    expect(createOpenAI({ name: 'o', model: 'gpt-4o-foo', apiKey: 'k' }).pricing).toBeUndefined();
    expect(createOpenAI({ name: 'o', model: 'gpt-5-pro', apiKey: 'k' }).pricing?.outputPer1K).toBe(0.12);
  });

  it('lists only USD prices with both directions', () => {
    for (const [model, price] of Object.entries(OPENAI_PRICES)) {
      expect(price.currency, model).toBe('USD');
      expect(price.inputPer1K, model).toBeGreaterThan(0);
      expect(price.outputPer1K, model).toBeGreaterThanOrEqual(price.inputPer1K);
    }
  });
});
