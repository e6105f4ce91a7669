import { type AIMessageChunk, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { tool } from '@langchain/core/tools';
import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { createOpenAI } from '@llmo/provider-openai';
import { OpenAIFakeServer } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ChatLlmo } from './chat-llmo.js';

const fast = { latencyMs: 1, chunkDelayMs: 1 };
const retry = { maxRetries: 0, initialDelayMs: 1, maxDelayMs: 2 };

function mockRouter(...models: string[]) {
  const router = new Router({ strategy: 'first-available', retry, circuitBreaker: false });
  for (const [i, model] of models.entries()) {
    router.addProvider(createMockProvider({ name: `mock-${i}`, model, ...fast }));
  }
  return router;
}

const prompt = ChatPromptTemplate.fromMessages([
  ['system', 'You answer in one sentence.'],
  ['human', 'Tell me about {topic}'],
]);

describe('ChatLlmo in a LangChain pipeline', () => {
  it('rejects a router with no providers at construction', () => {
    expect(() => new ChatLlmo({ router: new Router() })).toThrow(/no providers.*addProvider/);
  });

  it('prompt | model | StringOutputParser: invoke', async () => {
    const chain = prompt
      .pipe(new ChatLlmo({ router: mockRouter('mock-normal') }))
      .pipe(new StringOutputParser());
    expect(await chain.invoke({ topic: 'FAISS' })).toBe('Mock response to: Tell me about FAISS');
  });

  it('prompt | model | StringOutputParser: stream token by token', async () => {
    const chain = prompt
      .pipe(new ChatLlmo({ router: mockRouter('mock-normal') }))
      .pipe(new StringOutputParser());
    const chunks: string[] = [];
    for await (const chunk of await chain.stream({ topic: 'FAISS' })) chunks.push(chunk);
    expect(chunks.filter((c) => c !== '').length).toBeGreaterThan(3);
    expect(chunks.join('')).toBe('Mock response to: Tell me about FAISS');
  });

  it('usage_metadata and response_metadata say who answered, what it cost and every attempt', async () => {
    const model = new ChatLlmo({ router: mockRouter('mock-server-error', 'mock-normal') });
    const message = await model.invoke('hello there');
    expect(message.usage_metadata).toEqual({ input_tokens: 2, output_tokens: 5, total_tokens: 7 });
    expect(message.response_metadata).toMatchObject({
      provider: 'mock-1',
      model: 'mock-normal',
      cost: { amount: 0, currency: 'USD' },
      finishReason: 'stop',
      attempts: [
        { provider: 'mock-0', outcome: 'error', errorKind: 'server' },
        { provider: 'mock-1', outcome: 'success' },
      ],
    });
  });

  it('stream falls back before the first chunk, and the last chunk carries usage and metadata', async () => {
    const model = new ChatLlmo({ router: mockRouter('mock-server-error', 'mock-normal') });
    let merged: AIMessageChunk | undefined;
    for await (const chunk of await model.stream('hello there'))
      merged = merged ? merged.concat(chunk) : chunk;
    expect(merged?.content).toBe('Mock response to: hello there');
    expect(merged?.usage_metadata?.total_tokens).toBe(7);
    expect(merged?.response_metadata).toMatchObject({ provider: 'mock-1', attempts: [{}, {}] });
  });

  it('fires LangChain callbacks: start, new token, end; and error when every provider fails', async () => {
    const seen: string[] = [];
    let tokens = 0;
    const handler = {
      handleChatModelStart: () => void seen.push('start'),
      handleLLMNewToken: () => void tokens++,
      handleLLMEnd: () => void seen.push('end'),
      handleLLMError: (error: Error) => void seen.push(`error:${error.name}`),
    };
    const ok = new ChatLlmo({ router: mockRouter('mock-normal') });
    for await (const _ of await ok.stream('hi', { callbacks: [handler] })) void _;
    expect(seen).toEqual(['start', 'end']);
    expect(tokens).toBeGreaterThan(2);

    seen.length = 0;
    const down = new ChatLlmo({ router: mockRouter('mock-auth-error') });
    await expect(down.invoke('hi', { callbacks: [handler] })).rejects.toThrow(/auth/);
    expect(seen).toEqual(['start', 'error:RouteFailedError']);
  });

  it('batch runs every input and keeps their order', async () => {
    const model = new ChatLlmo({ router: mockRouter('mock-normal') });
    const out = await model.batch(['one', 'two', 'three'], { maxConcurrency: 2 });
    expect(out.map((m) => m.content)).toEqual([
      'Mock response to: one',
      'Mock response to: two',
      'Mock response to: three',
    ]);
  });

  it('an abort signal cancels the routed call', async () => {
    const router = new Router({ retry });
    router.addProvider(createMockProvider({ name: 'slow', latencyMs: 60_000 }));
    const controller = new AbortController();
    const pending = new ChatLlmo({ router }).invoke('hi', { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'RouteFailedError', reason: 'cancelled' });
  });

  it('per-call routing hints reach the router', async () => {
    const model = new ChatLlmo({ router: mockRouter('mock-normal', 'mock-normal') });
    const message = await model.invoke('hi', { route: { preferredProvider: 'mock-1' } });
    expect(message.response_metadata.provider).toBe('mock-1');
  });
});

describe('tools through the OpenAI fake server', () => {
  let down: OpenAIFakeServer;
  let up: OpenAIFakeServer;
  beforeAll(async () => {
    [down, up] = await Promise.all([OpenAIFakeServer.start(), OpenAIFakeServer.start()]);
  });
  afterAll(() => Promise.all([down.close(), up.close()]));
  beforeEach(() => {
    down.reset();
    up.reset();
  });

  const weather = tool(async ({ city }) => `It is 21 °C in ${city}.`, {
    name: 'get_weather',
    description: 'Current weather in a city',
    schema: z.object({ city: z.string().describe('City name') }),
  });

  function toolRouter() {
    const router = new Router({ strategy: 'first-available', retry, circuitBreaker: false });
    // A mock first: it declares no tool support, so with tools bound the router must skip it.
    router.addProvider(createMockProvider({ name: 'no-tools', ...fast }));
    router.addProvider(
      createOpenAI({ name: 'down', model: 'gpt-4o-mini', apiKey: 'sk-a', baseURL: down.baseURL }),
    );
    router.addProvider(
      createOpenAI({ name: 'up', model: 'gpt-4o-mini', apiKey: 'sk-b', baseURL: up.baseURL }),
    );
    return router;
  }

  it('a tool-calling round trip, with fallback keeping the tools bound', async () => {
    const overloaded = { type: 'error', status: 500, message: 'overloaded' } as const;
    down.reply(overloaded, overloaded);
    up.reply(
      { type: 'tool-call', name: 'get_weather', arguments: { city: 'Kazan' }, id: 'call_1' },
      { type: 'text', text: 'It is 21 °C in Kazan.' },
    );
    const model = new ChatLlmo({ router: toolRouter() }).bindTools([weather]);

    const question = new HumanMessage('Weather in Kazan?');
    const first = await model.invoke([question]);
    expect(first.tool_calls).toEqual([
      { type: 'tool_call', id: 'call_1', name: 'get_weather', args: { city: 'Kazan' } },
    ]);
    const attempts = first.response_metadata.attempts as { provider: string }[];
    expect(attempts.map((a) => a.provider)).toEqual(['down', 'up']);
    // The provider that answered after the fallback received the tools.
    const sent = up.chatRequests[0]!.body as { tools: { function: { name: string; parameters: unknown } }[] };
    expect(sent.tools[0]!.function).toMatchObject({
      name: 'get_weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    });

    const result = await weather.invoke(first.tool_calls![0]!);
    expect(result).toBeInstanceOf(ToolMessage);
    const second = await model.invoke([question, first, result]);
    expect(second.content).toBe('It is 21 °C in Kazan.');
    const messages = (up.chatRequests[1]!.body as { messages: Record<string, unknown>[] }).messages;
    expect(messages.at(-2)).toMatchObject({
      role: 'assistant',
      tool_calls: [{ id: 'call_1', function: { name: 'get_weather' } }],
    });
    expect(messages.at(-1)).toMatchObject({
      role: 'tool',
      tool_call_id: 'call_1',
      content: 'It is 21 °C in Kazan.',
    });
  });

  it('streams a tool call as one merged call', async () => {
    up.reply({ type: 'tool-call', name: 'get_weather', arguments: { city: 'Omsk' }, id: 'call_9' });
    down.reply({ type: 'error', status: 503 });
    const model = new ChatLlmo({ router: toolRouter() }).bindTools([weather], { tool_choice: 'get_weather' });
    let merged: AIMessageChunk | undefined;
    for await (const chunk of await model.stream('Weather in Omsk?'))
      merged = merged ? merged.concat(chunk) : chunk;
    expect(merged?.tool_calls).toEqual([
      { type: 'tool_call', id: 'call_9', name: 'get_weather', args: { city: 'Omsk' } },
    ]);
    expect((up.chatRequests[0]!.body as { tool_choice: unknown }).tool_choice).toEqual({
      type: 'function',
      function: { name: 'get_weather' },
    });
  });

  it('withStructuredOutput returns the parsed object', async () => {
    down.reply({ type: 'error', status: 500 });
    up.reply({ type: 'tool-call', name: 'extract', arguments: { name: 'Ada', age: 36 } });
    const structured = new ChatLlmo({ router: toolRouter() }).withStructuredOutput(
      z.object({ name: z.string(), age: z.number() }),
    );
    expect(await structured.invoke('Ada Lovelace was 36.')).toEqual({ name: 'Ada', age: 36 });
  });
});
