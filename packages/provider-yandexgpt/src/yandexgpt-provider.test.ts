import { Router } from '@llmo/core';
import type { ChatRequest, ProviderError } from '@llmo/core/provider';
import { collectParts as parts, rejectionOf, YandexGPTFakeServer } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { yandexModelUri } from './yandexgpt-model-uri.js';
import { yandexgptPricing } from './yandexgpt-pricing.js';
import { createYandexGPT, type YandexGPTSettings } from './yandexgpt-provider.js';

let server: YandexGPTFakeServer;
beforeAll(async () => {
  server = await YandexGPTFakeServer.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const base = (s: YandexGPTFakeServer = server) => ({
  name: 'yandex',
  model: 'yandexgpt-lite',
  folderId: 'b1gfolder',
  baseURL: s.baseURL,
});
const withKey = (extra: Partial<YandexGPTSettings> = {}, s?: YandexGPTFakeServer) =>
  createYandexGPT({ ...base(s), apiKey: 'AQVN-secret-key', ...extra });
const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: 'Привет' }],
  ...extra,
});
const fail = (p: Promise<unknown>) => rejectionOf<ProviderError>(p);
const line = (text: string, status = 'ALTERNATIVE_STATUS_PARTIAL') =>
  `${JSON.stringify({ result: { alternatives: [{ message: { role: 'assistant', text }, status }], usage: { inputTextTokens: '5', completionTokens: '3', totalTokens: '8' }, modelVersion: '07.03.2024' } })}\n`;

describe('auth and folder', () => {
  it('an API key goes as Api-Key, without x-folder-id', async () => {
    await withKey().generate(ask());
    const headers = server.chatRequests[0]!.headers;
    expect(headers.authorization).toBe('Api-Key AQVN-secret-key');
    expect(headers['x-folder-id']).toBeUndefined();
    expect(headers['x-client-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('an IAM token goes as Bearer, with x-folder-id, and is read per request', async () => {
    let n = 0;
    const p = createYandexGPT({ ...base(), iamToken: () => `t1.token-${++n}` });
    await p.generate(ask());
    await p.generate(ask());
    expect(server.chatRequests.map((r) => [r.headers.authorization, r.headers['x-folder-id']])).toEqual([
      ['Bearer t1.token-1', 'b1gfolder'],
      ['Bearer t1.token-2', 'b1gfolder'],
    ]);
  });

  it('sendFolderHeader and disableDataLogging are honoured', async () => {
    await withKey({ sendFolderHeader: true, disableDataLogging: true }).generate(ask());
    expect(server.chatRequests[0]!.headers).toMatchObject({
      'x-folder-id': 'b1gfolder',
      'x-data-logging-enabled': 'false',
    });
  });

  it('rejects neither or both credentials, and a missing folder, at creation', () => {
    expect(() => createYandexGPT({ ...base() })).toThrow(
      /exactly one of iamToken \(Bearer\) or apiKey \(Api-Key\)/,
    );
    expect(() => createYandexGPT({ ...base(), apiKey: 'a', iamToken: 'b' })).toThrow(/exactly one/);
    expect(() => createYandexGPT({ ...base(), folderId: undefined as never, apiKey: 'a' })).toThrow(
      /folderId is required/,
    );
  });
});

describe('request', () => {
  it('builds modelUri from the folder and the model, unless the model is already a URI', async () => {
    expect(yandexModelUri('yandexgpt-lite', 'b1g')).toBe('gpt://b1g/yandexgpt-lite');
    expect(yandexModelUri('yandexgpt/rc', 'b1g')).toBe('gpt://b1g/yandexgpt/rc');
    expect(yandexModelUri('gpt://other/yandexgpt/latest', 'b1g')).toBe('gpt://other/yandexgpt/latest');
    await withKey({ model: 'gpt://b1gexplicit/yandexgpt/latest' }).generate(ask());
    expect(server.chatRequests[0]!.body).toMatchObject({ modelUri: 'gpt://b1gexplicit/yandexgpt/latest' });
  });

  it('sends text messages, completionOptions with maxTokens as a string, tools and JSON schema', async () => {
    await withKey().generate({
      messages: [
        { role: 'system', content: 'Переводи текст' },
        { role: 'user', content: 'Посчитай 7*8' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'calculator', name: 'calculator', arguments: '{"expression":"7*8"}' }],
        },
        { role: 'tool', toolCallId: 'calculator', content: '56' },
      ],
      temperature: 0.1,
      maxTokens: 1000,
      tools: [{ name: 'calculator', description: 'Калькулятор', parameters: { type: 'object' } }],
      toolChoice: 'auto',
      responseFormat: { type: 'json-schema', schema: { type: 'object' } },
      providerOptions: { yandexgpt: { completionOptions: { reasoningOptions: { mode: 'DISABLED' } } } },
    });
    expect(server.chatRequests[0]!.body).toMatchInlineSnapshot(`
      {
        "completionOptions": {
          "maxTokens": "1000",
          "reasoningOptions": {
            "mode": "DISABLED",
          },
          "stream": false,
          "temperature": 0.1,
        },
        "jsonSchema": {
          "schema": {
            "type": "object",
          },
        },
        "messages": [
          {
            "role": "system",
            "text": "Переводи текст",
          },
          {
            "role": "user",
            "text": "Посчитай 7*8",
          },
          {
            "role": "assistant",
            "toolCallList": {
              "toolCalls": [
                {
                  "functionCall": {
                    "arguments": {
                      "expression": "7*8",
                    },
                    "name": "calculator",
                  },
                },
              ],
            },
          },
          {
            "role": "user",
            "toolResultList": {
              "toolResults": [
                {
                  "functionResult": {
                    "content": "56",
                    "name": "calculator",
                  },
                },
              ],
            },
          },
        ],
        "modelUri": "gpt://b1gfolder/yandexgpt-lite",
        "toolChoice": {
          "mode": "AUTO",
        },
        "tools": [
          {
            "function": {
              "description": "Калькулятор",
              "name": "calculator",
              "parameters": {
                "type": "object",
              },
            },
          },
        ],
      }
    `);
  });

  it('maps json mode to jsonObject and streams with completionOptions.stream', async () => {
    await withKey().generate(ask({ responseFormat: { type: 'json' } }));
    await parts(withKey().stream(ask()));
    expect(server.chatRequests[0]!.body).toMatchObject({ jsonObject: true });
    expect(server.chatRequests[1]!.body).toMatchObject({ completionOptions: { stream: true } });
  });
});

describe('responses', () => {
  it('reads token counts sent as strings, and the request id', async () => {
    server.reply({ type: 'text', text: 'Ответ', usage: { promptTokens: 28, completionTokens: 10 } });
    const result = await withKey().generate(ask());
    expect(result.usage).toEqual({ promptTokens: 28, completionTokens: 10, totalTokens: 38 });
    expect(result.response?.requestId).toBeTruthy();
    expect(result.response?.model).toBe('07.03.2024');
  });

  it('accepts the body without the result wrapper, as the API reference shows it', async () => {
    const bare = await YandexGPTFakeServer.start({ omitResultWrapper: true });
    try {
      bare.reply({ type: 'text', text: 'bare' });
      expect((await withKey({}, bare).generate(ask())).text).toBe('bare');
      bare.reply({ type: 'text', text: 'bare stream' });
      const streamed = await parts(withKey({}, bare).stream(ask()));
      expect(streamed.map((p) => (p.type === 'text-delta' ? p.delta : '')).join('')).toBe('bare stream');
    } finally {
      await bare.close();
    }
  });

  it('maps the truncated status to length and tool calls to tool-calls', async () => {
    server.reply({ type: 'text', text: 'cut', finishReason: 'length' });
    expect((await withKey().generate(ask())).finishReason).toBe('length');
    server.reply({ type: 'tool-call', name: 'calculator', arguments: { expression: '7@8' } });
    expect(await withKey().generate(ask())).toMatchObject({
      finishReason: 'tool-calls',
      toolCalls: [{ id: 'calculator', name: 'calculator', arguments: '{"expression":"7@8"}' }],
    });
  });
});

describe('cumulative streaming', () => {
  it('turns repeated whole texts into deltas', async () => {
    server.reply({
      type: 'raw',
      response: {
        chunks: [
          line('Утконосы, '),
          line('Утконосы, также известные'),
          line('Утконосы, также известные как', 'ALTERNATIVE_STATUS_FINAL'),
        ],
      },
    });
    const streamed = await parts(withKey().stream(ask()));
    expect(
      streamed.filter((p) => p.type === 'text-delta').map((p) => (p.type === 'text-delta' ? p.delta : '')),
    ).toEqual(['Утконосы, ', 'также известные', ' как']);
    expect(streamed.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      usage: { promptTokens: 5, completionTokens: 3 },
    });
  });

  it('sends a rewrite of earlier text at once as a text-revision; the final text is the provider’s', async () => {
    server.reply({
      type: 'raw',
      response: {
        chunks: [
          line('Привет'),
          line('Привет, мор'),
          line('Привет, мир!'),
          line('Привет, мир! Как дела?', 'ALTERNATIVE_STATUS_FINAL'),
        ],
      },
    });
    const streamed = await parts(withKey().stream(ask()));
    expect(streamed.filter((p) => p.type.startsWith('text-')).map((p) => ({ ...p }))).toEqual([
      { type: 'text-start', id: '0' },
      { type: 'text-delta', id: '0', delta: 'Привет' },
      { type: 'text-delta', id: '0', delta: ', мор' },
      { type: 'text-revision', id: '0', text: 'Привет, мир!' },
      { type: 'text-delta', id: '0', delta: ' Как дела?' },
      { type: 'text-end', id: '0' },
    ]);
    expect(streamed.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      providerMetadata: { yandexgpt: { rewrites: 1 } },
    });
  });

  it('through the router, the result text is the final text and a warning says it was revised', async () => {
    server.reply({
      type: 'raw',
      response: {
        chunks: [line('Hello wor'), line('Hi there, world', 'ALTERNATIVE_STATUS_FINAL')],
      },
    });
    const router = new Router({ onWarning: false }).addProvider(withKey());
    const stream = router.routeStream('hi');
    const result = await stream.result;
    expect(result.text).toBe('Hi there, world');
    expect(result.warnings.map((w) => (w.type === 'other' ? w.message : ''))).toContainEqual(
      expect.stringContaining('revised text it had already streamed (1 time)'),
    );
    await router.close();
  });

  it('a stream that ends without a final status is truncated', async () => {
    server.reply({ type: 'raw', response: { chunks: [line('part')] } });
    expect(await fail(parts(withKey().stream(ask())))).toMatchObject({ kind: 'network', retryable: true });
  });

  it('handles CRLF and a last line without newline', async () => {
    server.reply({
      type: 'raw',
      response: {
        chunks: [line('a').replace('\n', '\r\n'), line('ab', 'ALTERNATIVE_STATUS_FINAL').trimEnd()],
      },
    });
    const streamed = await parts(withKey().stream(ask()));
    expect(streamed.map((p) => (p.type === 'text-delta' ? p.delta : '')).join('')).toBe('ab');
  });
});

describe('errors', () => {
  it('403 permission denied names the folder, is not retryable, and echoes the gRPC code and request id', async () => {
    server.reply({ type: 'error', status: 403 });
    const error = await fail(withKey().generate(ask()));
    expect(error).toMatchObject({
      kind: 'permission',
      retryable: false,
      code: '7',
      requestId: 'yandex-fake-request-id',
    });
    expect(error.message).toContain('resource-manager.folder');
  });

  it('google.rpc.Status bodies give the message, the code and the request id from details', async () => {
    const status = await YandexGPTFakeServer.start({ errorFormat: 'status' });
    try {
      status.reply({
        type: 'raw',
        response: {
          status: 401,
          body: {
            code: 16,
            message: 'Token is invalid or has expired.',
            details: [{ requestId: 'req-in-body' }],
          },
        },
      });
      const error = await fail(withKey({}, status).generate(ask()));
      expect(error).toMatchObject({ kind: 'auth', code: '16', requestId: 'req-in-body' });
      expect(error.message).toContain('Token is invalid or has expired.');
    } finally {
      await status.close();
    }
  });

  it('a context overflow is context_length', async () => {
    server.reply({
      type: 'error',
      status: 400,
      message: 'Number of input tokens must be no more than 8192, got 9136',
    });
    expect(await fail(withKey().generate(ask()))).toMatchObject({ kind: 'context_length' });
  });

  it('never leaks the key', async () => {
    server.reply({ type: 'error', status: 401, message: 'bad key AQVN-secret-key' });
    expect((await fail(withKey().generate(ask()))).message).not.toContain('AQVN-secret-key');
  });
});

describe('health and price', () => {
  it('the health check tokenizes (free) and never asks for a completion', async () => {
    expect(await withKey().healthCheck()).toBe(true);
    expect(server.chatRequests).toHaveLength(0);
    expect(server.requestsTo('/foundationModels/v1/tokenize')[0]!.body).toEqual({
      modelUri: 'gpt://b1gfolder/yandexgpt-lite',
      text: 'ping',
    });
    server.http.enqueue('POST', '/foundationModels/v1/tokenize', {
      status: 403,
      body: { error: { grpcCode: 7, message: 'denied' } },
    });
    expect(await withKey().healthCheck()).toBe(false);
  });

  it('lists models through the OpenAI-compatible /v1/models, with the folder as OpenAI-Project', async () => {
    const models = await withKey().listModels!();
    expect(models.map((m) => m.id)).toContain('gpt://b1gfolder/yandexgpt-lite/latest');
    const sent = server.requestsTo('/v1/models')[0]!;
    expect(sent.headers).toMatchObject({
      authorization: 'Api-Key AQVN-secret-key',
      'openai-project': 'b1gfolder',
    });
    server.http.enqueue('GET', '/v1/models', {
      status: 401,
      body: { error: { message: 'bad key AQVN-secret-key' } },
    });
    const error = await fail(withKey().listModels!());
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect(error.message).not.toContain('AQVN-secret-key');
  });

  it('prices in RUB by exact model path, as a name or a gpt:// URI', () => {
    expect(yandexgptPricing('yandexgpt-lite')).toEqual({
      inputPer1K: 0.2,
      outputPer1K: 0.2,
      currency: 'RUB',
    });
    for (const model of [
      'yandexgpt-lite/latest',
      'gpt://b1g/yandexgpt-lite',
      'gpt://b1g/yandexgpt-lite/latest',
    ])
      expect(yandexgptPricing(model)?.inputPer1K, model).toBe(0.2);
    for (const model of [
      'yandexgpt',
      'yandexgpt/latest',
      'gpt://b1g/yandexgpt',
      'gpt://b1g/yandexgpt/latest',
    ])
      expect(yandexgptPricing(model)?.inputPer1K, model).toBe(1.2);
    expect(withKey().pricing?.currency).toBe('RUB');
  });

  it('leaves other branches, fine-tunes, other models and other URI kinds unpriced', () => {
    for (const model of [
      'yandexgpt/rc',
      'gpt://b1g/yandexgpt/rc',
      'yandexgpt-lite/deprecated',
      'gpt://b1g/yandexgpt-lite/latest@tamr1234',
      'yandexgpt-32k',
      'yandexgpt-lite-foo',
      'llama-lite',
      'gpt://yandexgpt-lite',
      'ds://bt1abc/yandexgpt-lite',
      'emb://b1g/yandexgpt/latest',
      'constructor',
    ]) {
      expect(yandexgptPricing(model), model).toBeUndefined();
    }
  });
});
