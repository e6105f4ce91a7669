import type { ChatRequest, ProviderError, StreamPart } from '@llmo/core/provider';
import { OllamaFakeServer, collectParts as parts, rejectionOf } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOllama, OLLAMA_BASE_URL, type OllamaSettings } from './ollama-provider.js';

let server: OllamaFakeServer;
beforeAll(async () => {
  server = await OllamaFakeServer.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const provider = (extra: Partial<OllamaSettings> = {}) =>
  createOllama({ name: 'ollama', model: 'llama3.2', baseURL: server.baseURL, ...extra });
const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: 'Why is the sky blue?' }],
  ...extra,
});
const fail = (p: Promise<unknown>) => rejectionOf<ProviderError>(p);
const ndjson = (...lines: unknown[]) => ({
  type: 'raw' as const,
  response: {
    headers: { 'content-type': 'application/x-ndjson' },
    chunks: lines.map((l) => `${JSON.stringify(l)}\n`),
  },
});

describe('request', () => {
  it('always sends stream explicitly (the server streams when it is omitted)', async () => {
    await provider().generate(ask());
    await parts(provider().stream(ask()));
    expect(server.chatRequests.map((r) => (r.body as { stream: boolean }).stream)).toEqual([false, true]);
  });

  it('maps settings into options, format, keep_alive and tools', async () => {
    await provider({ keepAlive: '10m', options: { num_ctx: 8192, top_k: 20 } }).generate(
      ask({
        temperature: 0.1,
        maxTokens: 64,
        topP: 0.5,
        stop: ['\n\n'],
        seed: 42,
        responseFormat: {
          type: 'json-schema',
          schema: { type: 'object', properties: { a: { type: 'string' } } },
        },
        tools: [{ name: 'get_weather', parameters: { type: 'object' } }],
        providerOptions: { ollama: { think: false, options: { top_k: 5 } } },
      }),
    );
    expect(server.chatRequests[0]!.body).toMatchInlineSnapshot(`
      {
        "format": {
          "properties": {
            "a": {
              "type": "string",
            },
          },
          "type": "object",
        },
        "keep_alive": "10m",
        "messages": [
          {
            "content": "Why is the sky blue?",
            "role": "user",
          },
        ],
        "model": "llama3.2",
        "options": {
          "num_ctx": 8192,
          "num_predict": 64,
          "seed": 42,
          "stop": [
            "

      ",
          ],
          "temperature": 0.1,
          "top_k": 5,
          "top_p": 0.5,
        },
        "stream": false,
        "think": false,
        "tools": [
          {
            "function": {
              "name": "get_weather",
              "parameters": {
                "type": "object",
              },
            },
            "type": "function",
          },
        ],
      }
    `);
  });

  it('sends json mode as format "json" and keep_alive as seconds when numeric', async () => {
    await provider({ keepAlive: 0 }).generate(ask({ responseFormat: { type: 'json' } }));
    expect(server.chatRequests[0]!.body).toMatchObject({ format: 'json', keep_alive: 0 });
  });

  it('sends tool results with tool_name and tool-call arguments as objects', async () => {
    await provider().generate({
      messages: [
        { role: 'user', content: 'Weather in Tokyo?' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'call_0', name: 'get_weather', arguments: '{"city":"Tokyo"}' }],
        },
        { role: 'tool', toolCallId: 'call_0', name: 'get_weather', content: '22°C' },
      ],
    });
    expect((server.chatRequests[0]!.body as { messages: unknown[] }).messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: '',
        tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Tokyo' } } }],
      },
      { role: 'tool', content: '22°C', tool_name: 'get_weather' },
    ]);
  });

  it('rejects tool-call arguments that are not JSON as a caller error', async () => {
    const error = await fail(
      provider().generate({
        messages: [
          { role: 'assistant', content: '', toolCalls: [{ id: 'c', name: 'f', arguments: '{oops' }] },
        ],
      }),
    );
    expect(error).toMatchObject({ kind: 'bad_request' });
  });

  it('defaults to http://localhost:11434', () => {
    expect(OLLAMA_BASE_URL).toBe('http://localhost:11434');
  });
});

describe('responses', () => {
  it('reports eval counts as usage and converts nanosecond durations', async () => {
    server.reply({
      type: 'text',
      text: 'Rayleigh scattering.',
      usage: { promptTokens: 26, completionTokens: 5 },
    });
    const result = await provider().generate(ask());
    expect(result.usage).toEqual({ promptTokens: 26, completionTokens: 5, totalTokens: 31 });
    expect(result.providerMetadata?.ollama).toMatchObject({
      totalDurationMs: 174.560334,
      loadDurationMs: 101.397084,
      evalDurationMs: 52.479709,
    });
    expect((result.providerMetadata!.ollama as { tokensPerSecond: number }).tokensPerSecond).toBeCloseTo(
      (5 / 52479709) * 1e9,
    );
  });

  it('leaves usage unreported when the counts are omitted (omitempty)', async () => {
    server.reply({
      type: 'raw',
      response: { body: { model: 'llama3.2', message: { role: 'assistant', content: 'hi' }, done: true } },
    });
    expect((await provider().generate(ask())).usage).toBeUndefined();
  });

  it('returns whole tool calls with generated ids and JSON arguments', async () => {
    server.reply({ type: 'tool-call', name: 'get_weather', arguments: { city: 'Tokyo' } });
    expect(await provider().generate(ask())).toMatchObject({
      finishReason: 'tool-calls',
      toolCalls: [{ id: 'call_0', name: 'get_weather', arguments: '{"city":"Tokyo"}' }],
    });
    server.reply({ type: 'tool-call', name: 'get_weather', arguments: { city: 'Tokyo' } });
    const streamed = await parts(provider().stream(ask()));
    expect(streamed.filter((p) => p.type === 'tool-call')).toEqual([
      { type: 'tool-call', id: 'call_0', name: 'get_weather', arguments: '{"city":"Tokyo"}' },
    ]);
    expect(streamed.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
  });

  it('maps done_reason length', async () => {
    server.reply({ type: 'text', text: 'cut', finishReason: 'length' });
    expect((await provider().generate(ask())).finishReason).toBe('length');
  });
});

describe('streams', () => {
  it('appends the text of the done:true line too', async () => {
    server.reply(
      ndjson(
        { model: 'gemma4', response: 'x', message: { role: 'assistant', content: 'That' }, done: false },
        { model: 'gemma4', message: { role: 'assistant', content: ' is it' }, done: false },
        {
          model: 'gemma4',
          message: { role: 'assistant', content: '!' },
          done: true,
          done_reason: 'stop',
          prompt_eval_count: 3,
          eval_count: 3,
        },
      ),
    );
    const streamed = await parts(provider().stream(ask()));
    expect(streamed.map((p) => (p.type === 'text-delta' ? p.delta : '')).join('')).toBe('That is it!');
    expect(streamed.at(-1)).toMatchObject({
      type: 'finish',
      usage: { promptTokens: 3, completionTokens: 3 },
    });
  });

  it('an error line on the 200 stream is thrown after the text so far', async () => {
    server.reply(
      ndjson(
        { message: { content: 'partial' }, done: false },
        { error: 'an error was encountered while running the model' },
      ),
    );
    const seen: StreamPart[] = [];
    const error = await fail(
      (async () => {
        for await (const part of provider().stream(ask())) seen.push(part);
      })(),
    );
    expect(error.message).toContain('an error was encountered while running the model');
    expect(seen.some((p) => p.type === 'text-delta')).toBe(true);
  });

  it('a stream that ends without done:true is not a success', async () => {
    server.reply(ndjson({ message: { content: 'cut off' }, done: false }));
    expect(await fail(parts(provider().stream(ask())))).toMatchObject({ kind: 'network', retryable: true });
  });

  it('CRLF line endings and a last line without newline are fine', async () => {
    server.reply({
      type: 'raw',
      response: {
        chunks: [
          '{"message":{"content":"a"},"done":false}\r\n',
          '{"message":{"content":"b"},"done":true,"eval_count":2}',
        ],
      },
    });
    const streamed = await parts(provider().stream(ask()));
    expect(streamed.map((p) => (p.type === 'text-delta' ? p.delta : '')).join('')).toBe('ab');
  });
});

describe('errors', () => {
  it('model not found is a 404 not_found, whatever the message says', async () => {
    server.reply({ type: 'error', status: 404, message: 'model "missing" not found, try pulling it first' });
    const error = await fail(provider().generate(ask()));
    expect(error).toMatchObject({ kind: 'not_found', retryable: false });
    expect(error.message).toContain('try pulling it first');
  });

  it('503 "server busy" (queue full) is retryable', async () => {
    server.reply({ type: 'error', status: 503 });
    expect(await fail(provider().generate(ask()))).toMatchObject({ kind: 'overloaded', retryable: true });
  });
});

describe('models, health, cost', () => {
  it('lists /api/tags and uses it as the health check', async () => {
    expect(await provider().listModels!()).toEqual([{ id: 'llama3.2:latest', size: 2019393189 }]);
    expect(await provider().healthCheck()).toBe(true);
    expect(
      await createOllama({ name: 'down', model: 'm', baseURL: 'http://127.0.0.1:9' }).healthCheck(),
    ).toBe(false);
  });

  it('costs nothing', () => {
    expect(provider().pricing).toEqual({ inputPer1K: 0, outputPer1K: 0, currency: 'USD' });
  });
});
