import { Router } from '@llmo/core';
import type { ChatRequest, ProviderError, StreamPart } from '@llmo/core/provider';
import { AnthropicFakeServer, collectParts as collect, rejectionOf } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AnthropicSettings, createAnthropic } from './anthropic-provider.js';

let server: AnthropicFakeServer;
beforeAll(async () => {
  server = await AnthropicFakeServer.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const provider = (extra: Partial<AnthropicSettings> = {}) =>
  createAnthropic({
    name: 'claude',
    model: 'claude-sonnet-4-5',
    apiKey: 'sk-ant-test-123456',
    baseURL: server.baseURL,
    ...extra,
  });
const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: 'Hi' }],
  ...extra,
});
const fail = (p: Promise<unknown>) => rejectionOf<ProviderError>(p);

describe('request mapping', () => {
  it('puts system at the top level, groups tool results into one user turn, and sends the headers', async () => {
    await provider().generate({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Oslo and Bergen?' },
        {
          role: 'assistant',
          content: 'Let me check.',
          toolCalls: [
            { id: 'toolu_1', name: 'weather', arguments: '{"city":"Oslo"}' },
            { id: 'toolu_2', name: 'weather', arguments: '{"city":"Bergen"}' },
          ],
        },
        { role: 'tool', toolCallId: 'toolu_1', content: '3°C' },
        { role: 'tool', toolCallId: 'toolu_2', content: '5°C' },
        { role: 'user', content: 'And tomorrow?' },
      ],
      temperature: 0.2,
      stop: ['END'],
      tools: [{ name: 'weather', description: 'Weather by city', parameters: { type: 'object' } }],
      toolChoice: 'required',
      providerOptions: { anthropic: { top_k: 5 }, openai: { service_tier: 'flex' } },
    });
    const request = server.chatRequests[0]!;
    expect(request.headers['anthropic-version']).toBe('2023-06-01');
    expect(request.headers['x-api-key']).toBe('sk-ant-test-123456');
    expect(request.headers.authorization).toBeUndefined();
    expect(request.body).toMatchInlineSnapshot(`
      {
        "max_tokens": 21333,
        "messages": [
          {
            "content": "Weather in Oslo and Bergen?",
            "role": "user",
          },
          {
            "content": [
              {
                "text": "Let me check.",
                "type": "text",
              },
              {
                "id": "toolu_1",
                "input": {
                  "city": "Oslo",
                },
                "name": "weather",
                "type": "tool_use",
              },
              {
                "id": "toolu_2",
                "input": {
                  "city": "Bergen",
                },
                "name": "weather",
                "type": "tool_use",
              },
            ],
            "role": "assistant",
          },
          {
            "content": [
              {
                "content": "3°C",
                "tool_use_id": "toolu_1",
                "type": "tool_result",
              },
              {
                "content": "5°C",
                "tool_use_id": "toolu_2",
                "type": "tool_result",
              },
              {
                "text": "And tomorrow?",
                "type": "text",
              },
            ],
            "role": "user",
          },
        ],
        "model": "claude-sonnet-4-5",
        "stop_sequences": [
          "END",
        ],
        "system": "Be brief.",
        "temperature": 0.2,
        "tool_choice": {
          "type": "any",
        },
        "tools": [
          {
            "description": "Weather by city",
            "input_schema": {
              "type": "object",
            },
            "name": "weather",
          },
        ],
        "top_k": 5,
      }
    `);
  });

  it('sends several system messages as text blocks, merges adjacent user turns, drops empty text', async () => {
    await provider().generate({
      messages: [
        { role: 'system', content: 'One.' },
        { role: 'user', content: 'a' },
        { role: 'system', content: 'Two.' },
        { role: 'user', content: 'b' },
        { role: 'assistant', content: '' },
        { role: 'user', content: 'c' },
      ],
    });
    const body = server.chatRequests[0]!.body as Record<string, unknown>;
    expect(body.system).toEqual([
      { type: 'text', text: 'One.' },
      { type: 'text', text: 'Two.' },
    ]);
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
          { type: 'text', text: 'c' },
        ],
      },
    ]);
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('top_p');
  });

  it('max_tokens is always sent: request, then the setting, then a per-model default', async () => {
    const maxTokens = async (model: string, stream: boolean, extra: Partial<AnthropicSettings> = {}) => {
      server.reset();
      const p = provider({ model, ...extra });
      if (stream) await collect(p.stream(ask()));
      else await p.generate(ask());
      return (server.chatRequests[0]!.body as { max_tokens: number }).max_tokens;
    };
    expect(await maxTokens('claude-sonnet-4-5-20250929', true)).toBe(64_000);
    expect(await maxTokens('claude-sonnet-4-5-20250929', false)).toBe(21_333);
    expect(await maxTokens('claude-opus-4-1', true)).toBe(32_000);
    expect(await maxTokens('claude-3-5-haiku-latest', false)).toBe(8_192);
    expect(await maxTokens('claude-3-haiku-20240307', false)).toBe(4_096);
    expect(await maxTokens('some-future-model', true)).toBe(4_096);
    expect(await maxTokens('claude-sonnet-4-5', false, { defaultMaxTokens: 1000 })).toBe(1000);
    server.reset();
    await provider({ defaultMaxTokens: 1000 }).generate(ask({ maxTokens: 50 }));
    expect((server.chatRequests[0]!.body as { max_tokens: number }).max_tokens).toBe(50);
  });

  it('seed and responseFormat come back as warnings; owned fields in providerOptions are refused', async () => {
    const result = await provider().generate(
      ask({ seed: 1, responseFormat: { type: 'json-schema', schema: { type: 'object' } } }),
    );
    expect(result.warnings?.map((w) => (w.type === 'unsupported-setting' ? w.setting : w.type))).toEqual([
      'seed',
      'responseFormat',
    ]);
    const error = await fail(provider().generate(ask({ providerOptions: { anthropic: { max_tokens: 5 } } })));
    expect(error).toMatchObject({ kind: 'bad_request', retryable: false });
    expect(error.message).toContain('max_tokens');
    expect(server.chatRequests).toHaveLength(1);
  });

  it('temperature above 1 is a bad_request before anything is sent', async () => {
    const error = await fail(provider().generate(ask({ temperature: 1.5 })));
    expect(error.kind).toBe('bad_request');
    expect(error.message).toContain('between 0 and 1 for Anthropic');
    expect(server.chatRequests).toHaveLength(0);
  });

  it('authToken goes out as Authorization: Bearer; anthropicVersion and betas as headers', async () => {
    await provider({
      apiKey: undefined,
      authToken: () => 'oauth-token-1234',
      anthropicVersion: '2023-01-01',
      betas: ['a-2025-01-01', 'b-2025-02-02'],
    }).generate(ask());
    const headers = server.chatRequests[0]!.headers;
    expect(headers.authorization).toBe('Bearer oauth-token-1234');
    expect(headers['x-api-key']).toBeUndefined();
    expect(headers['anthropic-version']).toBe('2023-01-01');
    expect(headers['anthropic-beta']).toBe('a-2025-01-01,b-2025-02-02');
  });

  it('a missing key is a non-retryable auth error before any request', async () => {
    const error = await fail(provider({ apiKey: () => undefined }).generate(ask()));
    expect(error).toMatchObject({ kind: 'auth', retryable: false });
    expect(server.requests).toHaveLength(0);
  });
});

describe('responses', () => {
  it('returns tool_use blocks as tool calls with JSON arguments', async () => {
    server.reply({ type: 'tool-call', name: 'weather', arguments: { city: 'Oslo' }, id: 'toolu_9' });
    const result = await provider().generate(ask());
    expect(result.finishReason).toBe('tool-calls');
    expect(result.toolCalls).toEqual([{ id: 'toolu_9', name: 'weather', arguments: '{"city":"Oslo"}' }]);
    expect(result.response?.requestId).toMatch(/^req_fake/);
  });

  it('assembles input_json_delta fragments into one tool call', async () => {
    server.reply({ type: 'tool-call', name: 'weather', arguments: { city: 'San Francisco', unit: 'f' } });
    const parts = await collect(provider().stream(ask()));
    const deltas = parts.filter((p) => p.type === 'tool-call-delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(parts.filter((p) => p.type === 'tool-call')).toEqual([
      {
        type: 'tool-call',
        id: 'toolu_fake1',
        name: 'weather',
        arguments: '{"city":"San Francisco","unit":"f"}',
      },
    ]);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
  });
});

describe('prompt-caching usage', () => {
  it('counts cache reads and writes in promptTokens and prices them exactly in providerMetadata', async () => {
    const cached = await AnthropicFakeServer.start({
      cacheUsage: { cacheCreationInputTokens: 1000, cacheReadInputTokens: 10_000 },
    });
    try {
      cached.reply(
        { type: 'text', text: 'ok', usage: { promptTokens: 100, completionTokens: 50 } },
        { type: 'text', text: 'ok', usage: { promptTokens: 100, completionTokens: 50 } },
      );
      const p = provider({ baseURL: cached.baseURL, model: 'claude-sonnet-4-5-20250929' });
      const result = await p.generate(ask());
      expect(result.usage).toEqual({
        promptTokens: 11_100,
        completionTokens: 50,
        totalTokens: 11_150,
        cacheReadTokens: 10_000,
        cacheWriteTokens: 1000,
      });
      // $3/M input, $3.75/M cache write, $0.30/M cache read, $15/M output.
      const amount = (100 * 3 + 1000 * 3.75 + 10_000 * 0.3 + 50 * 15) / 1_000_000;
      expect(result.providerMetadata).toEqual({
        anthropic: {
          inputTokens: 100,
          cacheCreationInputTokens: 1000,
          cacheCreation1hInputTokens: 0,
          cacheReadInputTokens: 10_000,
          outputTokens: 50,
          cost: { amount, currency: 'USD' },
        },
      });
      const finish = (await collect(p.stream(ask()))).at(-1);
      expect(finish).toMatchObject({
        type: 'finish',
        usage: { promptTokens: 11_100, completionTokens: 50 },
        providerMetadata: { anthropic: { cacheReadInputTokens: 10_000, cost: { amount } } },
      });
      expect(p.pricing).toMatchObject({ inputPer1K: 0.003, outputPer1K: 0.015, currency: 'USD' });
      // The Router prices the cache parts at their own prices too: its cost is the exact one.
      cached.reply({ type: 'text', text: 'ok', usage: { promptTokens: 100, completionTokens: 50 } });
      const router = new Router({ onWarning: false }).addProvider(p);
      const routed = await router.route('Hi');
      expect(routed.cost).toEqual({ amount, currency: 'USD', known: true });
      // A price given in the settings gets Anthropic's cache multipliers.
      expect(provider({ pricing: { inputPer1K: 1, outputPer1K: 2, currency: 'USD' } }).pricing).toMatchObject(
        {
          cacheReadPer1K: 0.1,
          cacheWritePer1K: 1.25,
        },
      );
      await router.close();
    } finally {
      await cached.close();
    }
  });

  it('keeps message_start input counts when message_delta reports only output_tokens (older shape)', async () => {
    const older = await AnthropicFakeServer.start({
      repeatUsageInMessageDelta: false,
      pingEverywhere: true,
    });
    try {
      older.reply({ type: 'text', text: 'a b c', usage: { promptTokens: 25, completionTokens: 15 } });
      const parts = await collect(provider({ baseURL: older.baseURL }).stream(ask()));
      expect(parts.at(-1)).toMatchObject({
        type: 'finish',
        finishReason: 'stop',
        usage: { promptTokens: 25, completionTokens: 15, totalTokens: 40 },
      });
    } finally {
      await older.close();
    }
  });
});

describe('rate-limit headers', () => {
  it('are reported in providerMetadata.anthropic.rateLimits, for generate and for a stream', async () => {
    const headers = {
      'anthropic-ratelimit-requests-limit': '1000',
      'anthropic-ratelimit-requests-remaining': '999',
      'anthropic-ratelimit-requests-reset': '2025-02-24T22:25:30Z',
      'anthropic-ratelimit-input-tokens-remaining': '79000',
    };
    const rateLimits = {
      'requests-limit': 1000,
      'requests-remaining': 999,
      'requests-reset': '2025-02-24T22:25:30Z',
      'input-tokens-remaining': 79000,
    };
    server.reply({ type: 'text', text: 'ok', headers }, { type: 'text', text: 'ok', headers });
    const result = await provider().generate(ask());
    expect(result.providerMetadata).toMatchObject({ anthropic: { rateLimits, inputTokens: 12 } });
    const finish = (await collect(provider().stream(ask()))).at(-1);
    expect(finish).toMatchObject({ type: 'finish', providerMetadata: { anthropic: { rateLimits } } });
    server.reply({ type: 'text', text: 'ok' });
    const plain = await provider().generate(ask());
    expect(plain.providerMetadata?.anthropic).not.toHaveProperty('rateLimits');
  });
});

describe('errors', () => {
  it('529 overloaded_error → overloaded, retryable, with retry-after and the request-id', async () => {
    server.reply({ type: 'error', status: 529, retryAfter: '7' });
    const error = await fail(provider().generate(ask()));
    expect(error).toMatchObject({
      kind: 'overloaded',
      retryable: true,
      status: 529,
      retryAfterMs: 7000,
      code: 'overloaded_error',
    });
    expect(error.requestId).toMatch(/^req_fake/);
    expect(error.message).toContain('Overloaded');
  });

  it('overloaded_error behind another status is still overloaded; billing_error is quota', async () => {
    server.reply(
      { type: 'error', status: 500, code: 'overloaded_error' },
      { type: 'error', status: 400, code: 'billing_error' },
    );
    expect((await fail(provider().generate(ask()))).kind).toBe('overloaded');
    expect(await fail(provider().generate(ask()))).toMatchObject({ kind: 'quota', retryable: false });
  });

  it('"prompt is too long" is context_length; x-should-retry: false wins over a 500', async () => {
    server.reply(
      { type: 'error', status: 400, message: 'prompt is too long: 250000 tokens > 200000 maximum' },
      { type: 'error', status: 500, headers: { 'x-should-retry': 'false' } },
    );
    expect((await fail(provider().generate(ask()))).kind).toBe('context_length');
    expect(await fail(provider().generate(ask()))).toMatchObject({ kind: 'server', retryable: false });
  });

  it('429 with rate-limit headers: rate_limit, retry-after-ms preferred over retry-after', async () => {
    server.reply({
      type: 'error',
      status: 429,
      retryAfter: '30',
      headers: {
        'retry-after-ms': '1500',
        'anthropic-ratelimit-requests-limit': '1000',
        'anthropic-ratelimit-requests-remaining': '0',
        'anthropic-ratelimit-requests-reset': '2025-02-24T22:25:30Z',
      },
    });
    expect(await fail(provider().generate(ask()))).toMatchObject({
      kind: 'rate_limit',
      retryable: true,
      retryAfterMs: 1500,
      code: 'rate_limit_error',
    });
  });

  it('a 413 whose body is not the JSON error shape falls back on the status: context_length', async () => {
    server.reply({
      type: 'raw',
      response: {
        status: 413,
        headers: { 'content-type': 'text/html' },
        body: '<html><body>413 Request Entity Too Large</body></html>',
      },
    });
    expect(await fail(provider().generate(ask()))).toMatchObject({
      kind: 'context_length',
      status: 413,
      retryable: false,
    });
  });

  it('event: error after a 200 is a typed error after the text already streamed, with no finish', async () => {
    server.reply({ type: 'stream-error', text: 'one two three', afterDeltas: 2, message: 'Overloaded' });
    const parts: StreamPart[] = [];
    const error = await fail(
      (async () => {
        for await (const part of provider().stream(ask())) parts.push(part);
      })(),
    );
    expect(error).toMatchObject({ kind: 'overloaded', retryable: true, code: 'overloaded_error' });
    expect(error.requestId).toMatch(/^req_fake/);
    expect(parts.filter((p) => p.type === 'text-delta').map((p) => (p as { delta: string }).delta)).toEqual([
      'one ',
      'two ',
    ]);
    expect(parts.some((p) => p.type === 'finish')).toBe(false);
  });
});

describe('models and tokens', () => {
  it('lists every page of models, following after_id while has_more', async () => {
    server.http.enqueue('GET', '/v1/models', {
      body: {
        data: [{ type: 'model', id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5' }],
        has_more: true,
        first_id: 'claude-sonnet-4-5-20250929',
        last_id: 'claude-sonnet-4-5-20250929',
      },
    });
    const models = await provider().listModels!();
    expect(models.map((m) => m.id)).toEqual([
      'claude-sonnet-4-5-20250929',
      'claude-haiku-4-5-20251001',
      'claude-opus-4-1-20250805',
    ]);
    const pages = server.requestsTo('/v1/models');
    expect(pages).toHaveLength(2);
    expect(pages[1]!.query.get('after_id')).toBe('claude-sonnet-4-5-20250929');
    expect(pages[1]!.headers['anthropic-version']).toBe('2023-06-01');
  });

  it('healthCheck lists one model and never calls the paid endpoint', async () => {
    expect(await provider().healthCheck()).toBe(true);
    expect(server.requestsTo('/v1/models')[0]!.query.get('limit')).toBe('1');
    expect(server.chatRequests).toHaveLength(0);
    expect(await provider({ apiKey: () => undefined }).healthCheck()).toBe(false);
  });

  it('countTokens posts the prompt to count_tokens', async () => {
    const tokens = await provider().countTokens({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello there' },
      ],
      maxTokens: 10,
    });
    expect(tokens).toBeGreaterThan(0);
    const sent = server.requestsTo('/v1/messages/count_tokens')[0]!;
    expect(sent.body).toEqual({
      model: 'claude-sonnet-4-5',
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hello there' }],
    });
    expect(server.chatRequests).toHaveLength(0);
  });
});

describe('settings', () => {
  it('are strict: a misspelt key names the closest setting, wrong types are named, values never echoed', () => {
    expect(() => provider({ apiKy: 'sk-ant-secret-typo' } as never)).toThrow(
      /apiKy is not a setting; did you mean apiKey\?/,
    );
    let message = '';
    try {
      provider({ defaultMaxTokens: 0, betas: 'x' as never, anthropicVersion: '' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('defaultMaxTokens');
    expect(message).toContain('betas');
    expect(message).toContain('anthropicVersion');
    expect(server.requests).toHaveLength(0);
  });
});
