import { readFileSync } from 'node:fs';
import { Router } from '@llmo/core';
import type { ChatRequest, ProviderError, StreamPart } from '@llmo/core/provider';
import { GeminiFakeServer, geminiErrorBody, geminiSseEvent } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { geminiEmbeddings } from './gemini-embeddings.js';
import { SKIP_THOUGHT_SIGNATURE } from './gemini-messages.js';
import { createGemini, type GeminiSettings } from './gemini-provider.js';

const KEY = 'AIzaSy-test-key-4242';
let server: GeminiFakeServer;
beforeAll(async () => {
  server = await GeminiFakeServer.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const fixture = (name: string) =>
  readFileSync(new URL(`./__fixtures__/gemini-${name}`, import.meta.url), 'utf8');
const json = (name: string, status = 200) => ({
  type: 'raw' as const,
  response: { status, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: fixture(name) },
});
const sse = (name: string, splitBytes?: number) => ({
  type: 'raw' as const,
  response: { headers: { 'content-type': 'text/event-stream' }, body: fixture(name), splitBytes },
});

const provider = (extra: Partial<GeminiSettings> = {}) =>
  createGemini({ name: 'gemini', model: 'gemini-2.5-flash', apiKey: KEY, baseURL: server.baseURL, ...extra });
const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: 'Hi' }],
  ...extra,
});
async function collect(iterable: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of iterable) out.push(part);
  return out;
}
const fail = (p: Promise<unknown>) =>
  p.then(
    () => Promise.reject(new Error('expected failure')),
    (e: ProviderError) => e,
  );

describe('request mapping', () => {
  it('sends systemInstruction, roles user/model, functionCall/functionResponse and camelCase config (pitfalls 1, 3)', async () => {
    await provider().generate({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Oslo and Bergen?' },
        {
          role: 'assistant',
          content: 'Let me check.',
          toolCalls: [
            { id: 'call_1', name: 'weather', arguments: '{"city":"Oslo"}' },
            { id: 'call_2', name: 'weather', arguments: '{"city":"Bergen"}' },
          ],
        },
        { role: 'tool', toolCallId: 'call_1', content: '{"tempC":3}' },
        { role: 'tool', toolCallId: 'call_2', content: 'five degrees' },
        { role: 'user', content: 'And tomorrow?' },
      ],
      temperature: 0.2,
      topP: 0.9,
      maxTokens: 256,
      stop: ['END'],
      seed: 7,
      tools: [
        {
          name: 'weather',
          description: 'Weather by city',
          parameters: {
            $schema: 'http://json-schema.org/draft-07/schema#',
            type: 'object',
            properties: { city: { type: 'string' }, unit: { type: ['string', 'null'], enum: ['C', 'F'] } },
            required: ['city'],
            additionalProperties: false,
          },
        },
      ],
      toolChoice: 'required',
      providerOptions: {
        gemini: { generationConfig: { topK: 40, thinkingConfig: { thinkingBudget: 0 } } },
        openai: { service_tier: 'flex' },
      },
    });
    const request = server.chatRequests[0]!;
    expect(request.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(request.body).toMatchInlineSnapshot(`
      {
        "contents": [
          {
            "parts": [
              {
                "text": "Weather in Oslo and Bergen?",
              },
            ],
            "role": "user",
          },
          {
            "parts": [
              {
                "text": "Let me check.",
              },
              {
                "functionCall": {
                  "args": {
                    "city": "Oslo",
                  },
                  "name": "weather",
                },
              },
              {
                "functionCall": {
                  "args": {
                    "city": "Bergen",
                  },
                  "name": "weather",
                },
              },
            ],
            "role": "model",
          },
          {
            "parts": [
              {
                "functionResponse": {
                  "name": "weather",
                  "response": {
                    "tempC": 3,
                  },
                },
              },
              {
                "functionResponse": {
                  "name": "weather",
                  "response": {
                    "result": "five degrees",
                  },
                },
              },
              {
                "text": "And tomorrow?",
              },
            ],
            "role": "user",
          },
        ],
        "generationConfig": {
          "maxOutputTokens": 256,
          "seed": 7,
          "stopSequences": [
            "END",
          ],
          "temperature": 0.2,
          "thinkingConfig": {
            "thinkingBudget": 0,
          },
          "topK": 40,
          "topP": 0.9,
        },
        "systemInstruction": {
          "parts": [
            {
              "text": "Be brief.",
            },
          ],
        },
        "toolConfig": {
          "functionCallingConfig": {
            "mode": "ANY",
          },
        },
        "tools": [
          {
            "functionDeclarations": [
              {
                "description": "Weather by city",
                "name": "weather",
                "parameters": {
                  "properties": {
                    "city": {
                      "type": "STRING",
                    },
                    "unit": {
                      "enum": [
                        "C",
                        "F",
                      ],
                      "nullable": true,
                      "type": "STRING",
                    },
                  },
                  "required": [
                    "city",
                  ],
                  "type": "OBJECT",
                },
              },
            ],
          },
        ],
      }
    `);
  });

  it('sends the key only in x-goog-api-key, never in the URL (pitfall 13)', async () => {
    await provider().generate(ask());
    await collect(provider().stream(ask()));
    await provider().listModels!();
    await provider().countTokens(ask());
    await provider().embed({ values: ['a', 'b'] });
    expect(server.requests.length).toBeGreaterThanOrEqual(5);
    for (const r of server.requests) {
      expect(r.headers['x-goog-api-key']).toBe(KEY);
      expect(r.query.has('key')).toBe(false);
      expect(`${r.path}?${r.query}`).not.toContain(KEY);
    }
  });

  it('streams from :streamGenerateContent?alt=sse (pitfall 4)', async () => {
    await collect(provider().stream(ask()));
    const request = server.chatRequests[0]!;
    expect(request.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent');
    expect(request.query.get('alt')).toBe('sse');
    expect(request.headers.accept).toBe('text/event-stream');
  });

  it('appends the API version to an origin, and keeps a baseURL that ends in one', async () => {
    await provider({ baseURL: server.url }).generate(ask());
    await provider({ baseURL: `${server.url}/`, apiVersion: 'v1beta' }).generate(ask());
    await provider({ baseURL: `${server.url}/v1beta/` }).generate(ask());
    expect(server.chatRequests.map((r) => r.path)).toEqual(
      Array(3).fill('/v1beta/models/gemini-2.5-flash:generateContent'),
    );
  });

  it('puts models/ before a bare id, and uses an id with a slash as it is (pitfall 2)', async () => {
    await provider({ model: 'models/gemini-2.5-pro' }).generate(ask());
    await provider({ model: 'tunedModels/my-tune-7' }).generate(ask());
    expect(server.chatRequests.map((r) => r.path)).toEqual([
      '/v1beta/models/gemini-2.5-pro:generateContent',
      '/v1beta/tunedModels/my-tune-7:generateContent',
    ]);
  });

  it('maps the JSON schema response format to responseMimeType + responseSchema', async () => {
    const result = await provider().generate(
      ask({
        responseFormat: {
          type: 'json-schema',
          name: 'answer',
          description: 'The answer',
          schema: {
            type: 'object',
            properties: {
              n: { type: 'integer' },
              tags: { type: 'array', items: { type: 'string' } },
              kind: { const: 'count' },
            },
            required: ['n'],
            additionalProperties: false,
          },
        },
      }),
    );
    const config = (server.chatRequests[0]!.body as { generationConfig: unknown }).generationConfig;
    expect(config).toEqual({
      responseMimeType: 'application/json',
      responseSchema: {
        type: 'OBJECT',
        description: 'The answer',
        properties: {
          n: { type: 'INTEGER' },
          tags: { type: 'ARRAY', items: { type: 'STRING' } },
          kind: { type: 'STRING', enum: ['count'] },
        },
        required: ['n'],
      },
    });
    expect(result.warnings).toEqual([]);
    await provider().generate(ask({ responseFormat: { type: 'json' } }));
    expect((server.chatRequests[1]!.body as { generationConfig: unknown }).generationConfig).toEqual({
      responseMimeType: 'application/json',
    });
  });

  it('warns about schema keywords it cannot send, and about more than 5 stop sequences', async () => {
    const result = await provider().generate(
      ask({
        stop: ['a', 'b', 'c', 'd', 'e', 'f'],
        responseFormat: {
          type: 'json-schema',
          schema: {
            type: 'object',
            properties: { x: { $ref: '#/$defs/x' } },
            $defs: { x: { type: 'string' } },
          },
        },
      }),
    );
    expect(result.warnings).toEqual([
      {
        type: 'unsupported-setting',
        setting: 'stop',
        details: 'Gemini accepts at most 5 stop sequences; the first 5 were sent',
      },
      {
        type: 'unsupported-setting',
        setting: 'responseFormat',
        details: 'responseSchema takes an OpenAPI subset of JSON Schema; dropped: $ref, $defs',
      },
    ]);
    const config = (server.chatRequests[0]!.body as { generationConfig: { stopSequences: string[] } })
      .generationConfig;
    expect(config.stopSequences).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('leaves out the parameters of a tool without any, and maps tool choices to functionCallingConfig', async () => {
    await provider().generate(
      ask({
        tools: [
          { name: 'now', parameters: { type: 'object', properties: {} } },
          { name: 'add', parameters: { type: 'object', properties: { a: { type: 'number' } } } },
        ],
        toolChoice: { type: 'tool', name: 'add' },
      }),
    );
    const body = server.chatRequests[0]!.body as Record<string, unknown>;
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          { name: 'now' },
          { name: 'add', parameters: { type: 'OBJECT', properties: { a: { type: 'NUMBER' } } } },
        ],
      },
    ]);
    expect(body.toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['add'] },
    });
  });

  it('sends the safetySettings setting, which providerOptions.gemini overrides', async () => {
    const safetySettings = [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }];
    await provider({ safetySettings }).generate(ask());
    await provider({ safetySettings }).generate(ask({ providerOptions: { gemini: { safetySettings: [] } } }));
    expect(server.chatRequests.map((r) => (r.body as { safetySettings?: unknown }).safetySettings)).toEqual([
      safetySettings,
      [],
    ]);
  });

  it('rejects provider options that set owned fields, and values out of range, before sending', async () => {
    const error = await fail(
      provider().generate(
        ask({
          temperature: 3,
          providerOptions: { gemini: { contents: [], generationConfig: { maxOutputTokens: 5 } } },
        }),
      ),
    );
    expect(error).toMatchObject({ kind: 'bad_request', retryable: false });
    expect(error.message).toContain('temperature must be a number between 0 and 2 for Gemini');
    expect(error.message).toContain('providerOptions.gemini.contents cannot override');
    expect(error.message).toContain(
      'providerOptions.gemini.generationConfig.maxOutputTokens cannot override',
    );
    expect(server.chatRequests).toHaveLength(0);
  });

  it('a tool message whose call is unknown and has no name is a bad_request', async () => {
    const error = await fail(
      provider().generate({
        messages: [
          { role: 'user', content: 'x' },
          { role: 'tool', toolCallId: 'nope', content: '1' },
        ],
      }),
    );
    expect(error.kind).toBe('bad_request');
    expect(error.message).toContain('functionResponse needs the function name');
  });

  it('gives Gemma models the system text in the first user turn (no systemInstruction there)', async () => {
    await provider({ model: 'gemma-3-27b-it' }).generate({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
    });
    expect(server.chatRequests[0]!.body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Be brief.' }, { text: 'Hi' }] }],
    });
  });
});

describe('responses', () => {
  it('reads the recorded text response: usage with thinking counted (pitfall 7), ids and metadata', async () => {
    server.reply(json('text.1.json'));
    const result = await provider({ model: 'gemini-3-pro-preview' }).generate(ask());
    expect(result).toEqual({
      text: "There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.",
      toolCalls: undefined,
      finishReason: 'stop',
      usage: { promptTokens: 9, completionTokens: 272, totalTokens: 281 },
      warnings: [],
      response: { id: 'Un6LacrVMcjUxs0PmJfWoQc', model: 'gemini-3-pro-preview', requestId: undefined },
      providerMetadata: {
        gemini: {
          promptTokens: 9,
          cachedTokens: 0,
          toolUsePromptTokens: 0,
          candidatesTokens: 28,
          thoughtsTokens: 244,
          cost: { amount: 0.003282, currency: 'USD' },
          finishReason: 'STOP',
          modelVersion: 'gemini-3-pro-preview',
        },
      },
    });
  });

  it('reports context-cache reads as cacheReadTokens, which the Router prices at the cached price', async () => {
    server.reply({
      type: 'raw',
      response: {
        body: {
          candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP' }],
          usageMetadata: {
            promptTokenCount: 10_000,
            cachedContentTokenCount: 8000,
            candidatesTokenCount: 100,
            totalTokenCount: 10_100,
          },
        },
      },
    });
    const router = new Router({ onWarning: false }).addProvider(provider({ model: 'gemini-2.5-flash' }));
    const result = await router.route('Hi');
    expect(result.usage).toMatchObject({
      promptTokens: 10_000,
      cacheReadTokens: 8000,
      completionTokens: 100,
    });
    // $0.30/M fresh input, $0.03/M cached, $2.50/M output: the same as the exact amount in the metadata.
    expect(result.cost.amount).toBeCloseTo((2000 * 0.3 + 8000 * 0.03 + 100 * 2.5) / 1e6, 12);
    await router.close();
  });

  it('detects tool calls from parts: STOP becomes tool-calls, ids are made up (pitfall 8)', async () => {
    server.reply(json('tool-call.1.json'));
    const result = await provider().generate(ask({ tools: [{ name: 'weather', parameters: {} }] }));
    expect(result.finishReason).toBe('tool-calls');
    expect(result.toolCalls).toEqual([
      {
        id: 'gemini-call-xH6LaY2wKI7Uxs0P2fOV4Qg-0',
        name: 'weather',
        arguments: '{"location":"San Francisco"}',
      },
    ]);
    expect(result.providerMetadata?.gemini).toMatchObject({
      finishMessage: 'Model generated function call(s).',
    });
  });

  it("echoes a call's thoughtSignature on the same part in the next turn, and no made-up id (pitfall 9)", async () => {
    const gemini = provider({ model: 'gemini-3-pro-preview' });
    server.reply(json('tool-call.1.json'));
    const first = await gemini.generate(ask({ tools: [{ name: 'weather', parameters: {} }] }));
    const call = first.toolCalls![0]!;
    await gemini.generate({
      messages: [
        { role: 'user', content: 'Weather in San Francisco?' },
        { role: 'assistant', content: '', toolCalls: [call] },
        { role: 'tool', toolCallId: call.id, content: '{"tempC":15}' },
      ],
    });
    expect((server.chatRequests[1]!.body as { contents: unknown }).contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in San Francisco?' }] },
      {
        role: 'model',
        parts: [
          {
            functionCall: { name: 'weather', args: { location: 'San Francisco' } },
            thoughtSignature: 'CiQBcsjafPUm9nYk...',
          },
        ],
      },
      { role: 'user', parts: [{ functionResponse: { name: 'weather', response: { tempC: 15 } } }] },
    ]);
  });

  it('sends ids back when the wire gave them (functionCall.id / functionResponse.id)', async () => {
    const gemini = provider();
    server.reply({ type: 'tool-call', name: 'lookup', arguments: { q: 'x' }, id: 'fc_wire_1' });
    const call = (await gemini.generate(ask({ tools: [{ name: 'lookup', parameters: {} }] }))).toolCalls![0]!;
    expect(call.id).toBe('fc_wire_1');
    await gemini.generate({
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: '', toolCalls: [call] },
        { role: 'tool', toolCallId: call.id, content: 'found' },
      ],
    });
    expect((server.chatRequests[1]!.body as { contents: unknown[] }).contents.slice(1)).toEqual([
      {
        role: 'model',
        parts: [
          {
            functionCall: { name: 'lookup', args: { q: 'x' }, id: 'fc_wire_1' },
            thoughtSignature: 'fake-signature',
          },
        ],
      },
      {
        role: 'user',
        parts: [{ functionResponse: { name: 'lookup', response: { result: 'found' }, id: 'fc_wire_1' } }],
      },
    ]);
  });

  it('on Gemini 3, replays a call from another provider with the documented placeholder signature (pitfall 9)', async () => {
    await provider({ model: 'gemini-3-pro-preview' }).generate({
      messages: [
        { role: 'user', content: 'q' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [
            { id: 'call_openai_1', name: 'a', arguments: '{}' },
            { id: 'call_openai_2', name: 'b', arguments: '' },
          ],
        },
        { role: 'tool', toolCallId: 'call_openai_1', content: '1' },
        { role: 'tool', toolCallId: 'call_openai_2', name: 'b', content: '2' },
      ],
    });
    const contents = (server.chatRequests[0]!.body as { contents: { parts: unknown[] }[] }).contents;
    expect(contents[1]!.parts).toEqual([
      { functionCall: { name: 'a', args: {} }, thoughtSignature: SKIP_THOUGHT_SIGNATURE },
      { functionCall: { name: 'b', args: {} } },
    ]);
    // The results of parallel calls go back together, in one user turn.
    expect(contents[2]).toEqual({
      role: 'user',
      parts: [
        { functionResponse: { name: 'a', response: { result: 1 } } },
        { functionResponse: { name: 'b', response: { result: 2 } } },
      ],
    });
  });

  it('streams the recorded tool-call transcript over HTTP, split every 5 bytes, and replays it next turn', async () => {
    const gemini = provider();
    server.reply(sse('tool-call.chunks.txt', 5));
    const all = await collect(gemini.stream(ask({ tools: [{ name: 'weather', parameters: {} }] })));
    const calls = all.filter((p) => p.type === 'tool-call');
    expect(calls.map((c) => c.type === 'tool-call' && c.id)).toEqual([
      'gemini-call-tOoLCall1-0',
      'gemini-call-tOoLCall1-1',
    ]);
    expect(all.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
    await gemini.generate({
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: 'Let me check both cities.',
          toolCalls: calls.flatMap((c) =>
            c.type === 'tool-call' ? [{ id: c.id, name: c.name, arguments: c.arguments }] : [],
          ),
        },
      ],
    });
    const model = (server.chatRequests[1]!.body as { contents: { parts: unknown[] }[] }).contents[1]!;
    expect(model.parts).toEqual([
      { text: 'Let me check both cities.' },
      {
        functionCall: { name: 'weather', args: { location: 'San Francisco' } },
        thoughtSignature: 'CiQBcsjafPUm9nYk...',
      },
      { functionCall: { name: 'weather', args: { location: 'Paris' } } },
    ]);
  });

  it('a prompt blocked by safety is a content_filter error with the reason (pitfall 10)', async () => {
    server.reply(json('prompt-blocked.1.json'));
    const error = await fail(provider().generate(ask()));
    expect(error).toMatchObject({ kind: 'content_filter', code: 'SAFETY', retryable: false });
    expect(error.message).toBe('gemini: the prompt was blocked (SAFETY) for HARM_CATEGORY_HARASSMENT');
  });

  it('an answer blocked with no parts is a content_filter error, never an index into nothing (pitfall 10)', async () => {
    server.reply(json('safety-output.1.json'));
    const error = await fail(provider().generate(ask()));
    expect(error).toMatchObject({ kind: 'content_filter', code: 'SAFETY' });
    expect(error.message).toBe(
      'gemini: the answer was blocked (finishReason SAFETY) for HARM_CATEGORY_DANGEROUS_CONTENT',
    );
  });

  it('a router moves past a safety block to the next provider', async () => {
    server.reply(json('prompt-blocked.1.json'), { type: 'text', text: 'from the second' });
    const router = new Router({ strategy: 'first-available', onWarning: false });
    router.addProvider(provider({ name: 'gemini-a' }));
    router.addProvider(provider({ name: 'gemini-b' }));
    const result = await router.route('Hi');
    expect(result.text).toBe('from the second');
    expect(result.attempts[0]).toMatchObject({ provider: 'gemini-a', errorKind: 'content_filter' });
    await router.close();
  });

  it('a response with neither candidates nor a block reason is invalid_response', async () => {
    server.reply({ type: 'raw', response: { body: { usageMetadata: { promptTokenCount: 3 } } } });
    const error = await fail(provider().generate(ask()));
    expect(error).toMatchObject({ kind: 'invalid_response', retryable: false });
    expect(error.message).toBe('gemini: the response has no candidates');
  });

  it('a malformed 200 is invalid_response, not retryable', async () => {
    server.reply({
      type: 'raw',
      response: { headers: { 'content-type': 'text/html' }, body: '<html>oops</html>' },
    });
    const error = await fail(provider().generate(ask()));
    expect(error).toMatchObject({ kind: 'invalid_response', retryable: false });
  });

  it('MAX_TOKENS is length; count strings (int64 as proto3-JSON) are read as numbers', async () => {
    server.reply({
      type: 'raw',
      response: {
        body: {
          candidates: [{ content: { role: 'model', parts: [{ text: 'Cut' }] }, finishReason: 'MAX_TOKENS' }],
          usageMetadata: { promptTokenCount: '5', candidatesTokenCount: '1', totalTokenCount: '6' },
        },
      },
    });
    const result = await provider().generate(ask());
    expect(result).toMatchObject({
      finishReason: 'length',
      usage: { promptTokens: 5, completionTokens: 1, totalTokens: 6 },
    });
  });
});

describe('errors', () => {
  it('400 API_KEY_INVALID is auth, classified by details, not status (pitfall 11)', async () => {
    server.reply(json('api-key-invalid.1.json', 400));
    const error = await fail(provider().generate(ask()));
    expect(error).toMatchObject({ kind: 'auth', status: 400, retryable: false, code: 'API_KEY_INVALID' });
    expect(error.message).toBe('gemini: HTTP 400 (auth): API key not valid. Please pass a valid API key.');
  });

  it('reads the array-wrapped error body too', async () => {
    server.reply(json('api-key-invalid.2.json', 400));
    const error = await fail(provider().generate(ask()));
    expect(error).toMatchObject({ kind: 'auth', status: 400 });
    expect(error.message).toContain('API key not valid');
  });

  it('the fake server rejects keys it does not know with the same body', async () => {
    const strict = await GeminiFakeServer.start({ validKeys: ['good-key-1'] });
    try {
      const error = await fail(
        createGemini({
          name: 'g',
          model: 'gemini-2.5-flash',
          apiKey: 'bad-key-9',
          baseURL: strict.baseURL,
        }).generate(ask()),
      );
      expect(error).toMatchObject({ kind: 'auth', status: 400 });
      const healthy = await createGemini({
        name: 'g',
        model: 'gemini-2.5-flash',
        apiKey: 'good-key-1',
        baseURL: strict.baseURL,
      }).healthCheck();
      expect(healthy).toBe(true);
    } finally {
      await strict.close();
    }
  });

  it('429 RESOURCE_EXHAUSTED honours RetryInfo.retryDelay (no Retry-After on the wire, §9)', async () => {
    server.reply(json('429-retry-info.1.json', 429));
    const error = await fail(provider().generate(ask()));
    expect(error).toMatchObject({
      kind: 'rate_limit',
      retryable: true,
      retryAfterMs: 34_400,
      code: 'RESOURCE_EXHAUSTED',
    });
  });

  it('a per-day quota is quota, not retryable, whatever the RetryInfo says', async () => {
    server.reply(json('429-per-day.1.json', 429));
    const error = await fail(provider().generate(ask()));
    expect(error).toMatchObject({ kind: 'quota', retryable: false, retryAfterMs: undefined });
  });

  it('400 FAILED_PRECONDITION (billing / region) is permission; an oversized prompt is context_length', async () => {
    server.reply(
      {
        type: 'raw',
        response: {
          status: 400,
          body: {
            error: {
              code: 400,
              message: 'User location is not supported for the API use.',
              status: 'FAILED_PRECONDITION',
            },
          },
        },
      },
      {
        type: 'raw',
        response: {
          status: 400,
          body: geminiErrorBody(
            400,
            'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).',
          ),
        },
      },
    );
    expect(await fail(provider().generate(ask()))).toMatchObject({ kind: 'permission', retryable: false });
    expect(await fail(provider().generate(ask()))).toMatchObject({
      kind: 'context_length',
      retryable: false,
    });
  });

  it('503 UNAVAILABLE is overloaded, 504 DEADLINE_EXCEEDED timeout, 500 INTERNAL server: all retryable', async () => {
    server.reply(
      { type: 'error', status: 503 },
      { type: 'error', status: 504 },
      { type: 'error', status: 500 },
    );
    const kinds = [];
    for (let i = 0; i < 3; i++) kinds.push(await fail(provider().generate(ask())));
    expect(kinds.map((e) => [e.kind, e.retryable, e.code])).toEqual([
      ['overloaded', true, 'UNAVAILABLE'],
      ['timeout', true, 'DEADLINE_EXCEEDED'],
      ['server', true, 'INTERNAL'],
    ]);
  });

  it('an error status on the stream endpoint with a text/event-stream content type is still read as JSON (pitfall 12)', async () => {
    server.reply({
      type: 'raw',
      response: {
        status: 429,
        headers: { 'content-type': 'text/event-stream' },
        body: JSON.stringify(JSON.parse(fixture('429-retry-info.1.json'))),
      },
    });
    const error = await fail(collect(provider().stream(ask())));
    expect(error).toMatchObject({ kind: 'rate_limit', retryAfterMs: 34_400 });
  });

  it('a key echoed in an error body, an in-stream error or the model list never leaves the provider', async () => {
    const echo = `API key not valid: ${KEY}`;
    server.reply(
      {
        type: 'raw',
        response: { status: 400, body: geminiErrorBody(400, echo, { reason: 'API_KEY_INVALID' }) },
      },
      {
        type: 'raw',
        response: {
          headers: { 'content-type': 'text/event-stream' },
          chunks: [
            geminiSseEvent({ candidates: [{ content: { parts: [{ text: 'hi' }] } }] }),
            JSON.stringify(geminiErrorBody(500, echo)),
          ],
        },
      },
    );
    const errors = [await fail(provider().generate(ask())), await fail(collect(provider().stream(ask())))];
    for (const error of errors) {
      expect(error.message).toContain('[redacted]');
      expect(JSON.stringify(error)).not.toContain(KEY);
      expect(String(error.stack)).not.toContain(KEY);
    }
  });

  it('an ephemeral token (auth_tokens/…) is refused before sending', async () => {
    const error = await fail(provider({ apiKey: 'auth_tokens/abc123' }).generate(ask()));
    expect(error).toMatchObject({ kind: 'auth', retryable: false });
    expect(server.chatRequests).toHaveLength(0);
  });

  it('a missing key is a clear auth error naming the setting', async () => {
    const error = await fail(provider({ apiKey: () => undefined }).generate(ask()));
    expect(error.message).toContain('setting "apiKey" is missing');
  });
});

describe('hostile servers', () => {
  it('a stream that stalls after a chunk ends in the router idle timeout with the text so far', async () => {
    server.reply({
      type: 'raw',
      response: {
        headers: { 'content-type': 'text/event-stream' },
        chunks: [geminiSseEvent({ candidates: [{ content: { parts: [{ text: 'Hello ' }] } }] })],
        // The chunk above, then silence: the body is not ended for a minute.
        chunkDelayMs: 60_000,
      },
    });
    const router = new Router({
      strategy: 'first-available',
      idleTimeoutMs: 200,
      retry: { maxRetries: 0 },
      onWarning: false,
    });
    router.addProvider(provider());
    const stream = router.routeStream('Hi');
    const seen: string[] = [];
    const error = await fail(
      (async () => {
        for await (const delta of stream) seen.push(delta);
      })(),
    );
    expect(error).toMatchObject({ kind: 'timeout' });
    expect(seen.join('')).toBe('Hello ');
    await router.close();
  });

  it('a reset after one chunk is a retryable network error; the router does not mix providers after text', async () => {
    server.reply({ type: 'reset', text: 'one two three', afterDeltas: 1 });
    const error = await fail(collect(provider().stream(ask())));
    expect(error).toMatchObject({ kind: 'network', retryable: true });
  });

  it('the JSON-array stream (no alt=sse) served by the fake is not what the provider asks for', async () => {
    const response = await fetch(`${server.baseURL}/models/gemini-2.5-flash:streamGenerateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] }),
    });
    const text = await response.text();
    expect(text.startsWith('[{\n  "candidates"')).toBe(true);
    expect(JSON.parse(text)).toHaveLength(6);
  });
});

describe('models, health, tokens', () => {
  it('lists models with context sizes, following nextPageToken', async () => {
    const small = await GeminiFakeServer.start({
      models: [
        { id: 'gemini-2.5-flash', inputTokenLimit: 1_048_576, outputTokenLimit: 65_536 },
        { id: 'gemini-2.5-pro', inputTokenLimit: 1_048_576, outputTokenLimit: 65_536 },
        {
          id: 'gemini-embedding-001',
          inputTokenLimit: 2048,
          outputTokenLimit: 1,
          supportedGenerationMethods: ['embedContent'],
        },
      ],
    });
    try {
      // Page size 1 on the fake: three pages.
      small.http.on('GET', '/v1beta/models', (r) => {
        const token = r.query.get('pageToken');
        const index = token ? Number(token) : 0;
        return {
          body: {
            models: [
              JSON.parse(fixture('models.1.json')).models[0],
              { name: 'models/gemini-2.5-pro', inputTokenLimit: 1_048_576, outputTokenLimit: 65_536 },
              JSON.parse(fixture('models.2.json')).models[0],
            ].slice(index, index + 1),
            ...(index < 2 ? { nextPageToken: String(index + 1) } : {}),
          },
        };
      });
      const models = await createGemini({
        name: 'g',
        model: 'gemini-2.5-flash',
        apiKey: KEY,
        baseURL: small.baseURL,
      }).listModels!();
      expect(models).toEqual([
        {
          id: 'gemini-2.5-flash',
          ownedBy: 'google',
          displayName: 'Gemini 2.5 Flash',
          description: undefined,
          version: '001',
          contextWindow: 1_048_576,
          maxOutputTokens: 65_536,
          supportedGenerationMethods: ['generateContent', 'countTokens'],
          thinking: true,
        },
        expect.objectContaining({ id: 'gemini-2.5-pro', contextWindow: 1_048_576 }),
        expect.objectContaining({ id: 'gemini-embedding-001', contextWindow: 2048, maxOutputTokens: 1 }),
      ]);
      expect(small.requestsTo('/v1beta/models').map((r) => r.query.get('pageToken'))).toEqual([
        null,
        '1',
        '2',
      ]);
      expect(small.requestsTo('/v1beta/models')[0]!.query.get('pageSize')).toBe('1000');
    } finally {
      await small.close();
    }
  });

  it("pages through the fake server's own paging", async () => {
    const many = await GeminiFakeServer.start({
      models: Array.from({ length: 2500 }, (_, i) => ({ id: `gemini-fake-${i}` })),
    });
    try {
      const models = await createGemini({
        name: 'g',
        model: 'gemini-2.5-flash',
        apiKey: KEY,
        baseURL: many.baseURL,
      }).listModels!();
      expect(models).toHaveLength(2500);
      expect(many.requestsTo('/v1beta/models')).toHaveLength(3);
    } finally {
      await many.close();
    }
  });

  it('health check: one model page, true on success, false on any failure', async () => {
    expect(await provider().healthCheck()).toBe(true);
    expect(server.requestsTo('/v1beta/models')[0]!.query.get('pageSize')).toBe('1');
    expect(await provider({ apiKey: () => undefined }).healthCheck()).toBe(false);
  });

  it('declares the context window of known models, for the router', () => {
    expect(provider().capabilities).toMatchObject({ contextWindow: 1_048_576, jsonSchema: true });
    expect(provider({ model: 'some-new-model' }).capabilities?.contextWindow).toBeUndefined();
  });

  it('countTokens counts the prompt with its system instruction and tools', async () => {
    const count = await provider().countTokens({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello there' },
      ],
      tools: [{ name: 'now', parameters: {} }],
    });
    expect(count).toBeGreaterThan(0);
    const request = server.methodRequests('countTokens')[0]!;
    expect(request.path).toBe('/v1beta/models/gemini-2.5-flash:countTokens');
    expect(request.body).toEqual({
      generateContentRequest: {
        model: 'models/gemini-2.5-flash',
        contents: [{ role: 'user', parts: [{ text: 'Hello there' }] }],
        systemInstruction: { parts: [{ text: 'Be brief.' }] },
        tools: [{ functionDeclarations: [{ name: 'now', parameters: {} }] }],
      },
    });
  });
});

describe('embeddings', () => {
  it('one value through embedContent, with taskType, title and outputDimensionality', async () => {
    const result = await provider().embed({
      values: ['Hello world'],
      taskType: 'RETRIEVAL_DOCUMENT',
      title: 'Doc',
      outputDimensionality: 4,
    });
    expect(result.embeddings).toHaveLength(1);
    expect(result.embeddings[0]).toHaveLength(4);
    const request = server.methodRequests('embedContent')[0]!;
    expect(request.path).toBe('/v1beta/models/gemini-embedding-001:embedContent');
    expect(request.body).toEqual({
      content: { parts: [{ text: 'Hello world' }] },
      taskType: 'RETRIEVAL_DOCUMENT',
      title: 'Doc',
      outputDimensionality: 4,
    });
  });

  it('many values through batchEmbedContents, 100 per call, in order, each naming the URL model', async () => {
    const values = Array.from({ length: 230 }, (_, i) => `text ${i}`);
    const result = await provider({ embeddingModel: 'text-embedding-004' }).embed({
      values,
      taskType: 'RETRIEVAL_QUERY',
      title: 'ignored',
    });
    expect(result.embeddings).toHaveLength(230);
    const calls = server.methodRequests('batchEmbedContents');
    expect(calls.map((c) => (c.body as { requests: unknown[] }).requests.length)).toEqual([100, 100, 30]);
    expect(calls[0]!.path).toBe('/v1beta/models/text-embedding-004:batchEmbedContents');
    expect((calls[0]!.body as { requests: unknown[] }).requests[0]).toEqual({
      model: 'models/text-embedding-004',
      content: { parts: [{ text: 'text 0' }] },
      taskType: 'RETRIEVAL_QUERY',
    });
    // The same text gives the same vector whether embedded alone or in a batch: order is kept.
    const alone = await provider({ embeddingModel: 'text-embedding-004' }).embed({ values: ['text 117'] });
    expect(result.embeddings[117]).toEqual(alone.embeddings[0]);
  });

  it('geminiEmbeddings adapts the provider to the { embedDocuments, embedQuery } a retrieval store takes', async () => {
    const embeddings = geminiEmbeddings(provider());
    const docs = await embeddings.embedDocuments(['a cat', 'a dog']);
    const query = await embeddings.embedQuery('a cat');
    expect(docs).toHaveLength(2);
    expect(query).toEqual(docs[0]);
    expect(
      server.requests.map(
        (r) =>
          (r.body as { taskType?: string; requests?: { taskType: string }[] }).requests?.[0]?.taskType ??
          (r.body as { taskType?: string }).taskType,
      ),
    ).toEqual(['RETRIEVAL_DOCUMENT', 'RETRIEVAL_QUERY']);
  });

  it('rejects empty values before sending; embedding errors are typed and redacted', async () => {
    expect(await fail(provider().embed({ values: ['ok', ' '] }))).toMatchObject({ kind: 'bad_request' });
    server.replyTo('embedContent', {
      status: 429,
      body: geminiErrorBody(429, `slow down ${KEY}`, { retryDelay: '1.5s' }),
    });
    const error = await fail(provider().embed({ values: ['x'] }));
    expect(error).toMatchObject({ kind: 'rate_limit', retryAfterMs: 1500 });
    expect(error.message).not.toContain(KEY);
  });
});

describe('settings', () => {
  it('are strict: a misspelt key is named, values never echoed', () => {
    expect(() =>
      createGemini({
        name: 'g',
        model: 'gemini-2.5-flash',
        apiKy: 'secret-value-1',
      } as unknown as GeminiSettings),
    ).toThrow(/apiKy is not a setting; did you mean apiKey\?/);
    expect(() =>
      createGemini({
        name: 'g',
        model: 'm',
        safetySettings: [{ category: 'X' }],
      } as unknown as GeminiSettings),
    ).toThrow(/safetySettings/);
  });

  it('read the key per request, never at creation', async () => {
    let reads = 0;
    const gemini = provider({
      apiKey: () => {
        reads++;
        return KEY;
      },
    });
    expect(reads).toBe(0);
    await gemini.generate(ask());
    expect(reads).toBe(1);
  });
});
