import type { AIMessageChunk } from '@langchain/core/messages';
import { RunnableLambda } from '@langchain/core/runnables';
import { type ChatRequest, type ProviderV1, Router, type StreamPart } from '@llmo/core';
import { describe, expect, it } from 'vitest';
import { ChatLlmo, LlmoLLM, StreamRevisedError, TEXT_REVISED_EVENT } from './index.js';
import type { RoutedPart } from './streamed-text.js';

const usage = { promptTokens: 3, completionTokens: 6, totalTokens: 9 };

/** YandexGPT's cumulative stream, as the provider turns it into parts: `Привет` → `Привет, мор` → `Привет, мир! …`. */
const rewritten: RoutedPart[] = [
  { type: 'text-start', id: '0' },
  { type: 'text-delta', id: '0', delta: 'Привет' },
  { type: 'text-delta', id: '0', delta: ', мор' },
  { type: 'text-revision', id: '0', text: 'Привет, мир!' },
  { type: 'text-delta', id: '0', delta: ' Как дела?' },
  { type: 'text-end', id: '0' },
];
const FINAL = 'Привет, мир! Как дела?';

/** A provider that streams the given parts and answers `generate` with the final text; it records requests. */
function scripted(parts: RoutedPart[], options: { final?: string; tools?: boolean } = {}) {
  const requests: { kind: 'generate' | 'stream'; request: ChatRequest }[] = [];
  const provider: ProviderV1 = {
    specificationVersion: 'v1',
    name: 'yandex',
    model: 'yandexgpt-lite',
    providerType: 'mock',
    capabilities: { streaming: true, tools: options.tools ?? false, jsonSchema: false },
    pricing: { inputPer1K: 0, outputPer1K: 0, currency: 'RUB' },
    async generate(request) {
      requests.push({ kind: 'generate', request });
      return { text: options.final ?? FINAL, finishReason: 'stop', usage };
    },
    async *stream(request) {
      requests.push({ kind: 'stream', request });
      yield { type: 'stream-start', warnings: [] };
      // The part this package reads before (and whatever) the installed core declares it.
      for (const part of parts) yield part as StreamPart;
      yield { type: 'finish', finishReason: 'stop', usage };
    },
    async healthCheck() {
      return true;
    },
  };
  const router = new Router({ retry: { maxRetries: 0 }, circuitBreaker: false }).addProvider(provider);
  return { router, requests };
}

/** A LangChain handler that prefers streaming (as streamEvents' and LangGraph's do): invoke() then streams. */
function streamingHandler() {
  const seen = { tokens: [] as string[], revisions: [] as unknown[], errors: [] as string[] };
  const handler = {
    lc_prefer_streaming: true,
    handleLLMNewToken: (token: string) => void seen.tokens.push(token),
    handleCustomEvent: (name: string, data: unknown) => {
      if (name === TEXT_REVISED_EVENT) seen.revisions.push(data);
    },
    handleLLMError: (error: Error) => void seen.errors.push(error.name),
  };
  return { handler, seen };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<{ chunks: T[]; error: unknown }> {
  const chunks: T[] = [];
  try {
    for await (const chunk of iterable) chunks.push(chunk);
    return { chunks, error: undefined };
  } catch (error) {
    return { chunks, error };
  }
}

describe('ChatLlmo and a provider that revises streamed text', () => {
  it('invoke() returns the provider’s final text', async () => {
    const { router, requests } = scripted(rewritten);
    const message = await new ChatLlmo({ router }).invoke('Привет');
    expect(message.content).toBe(FINAL);
    expect(requests.map((r) => r.kind)).toEqual(['generate']);
  });

  it('invoke() with a streaming handler streams tokens to it, signals the revision, and returns the final text', async () => {
    const { router, requests } = scripted(rewritten);
    const { handler, seen } = streamingHandler();
    const message = await new ChatLlmo({ router }).invoke('Привет', { callbacks: [handler] });
    expect(requests.map((r) => r.kind)).toEqual(['stream']);
    expect(message.content).toBe(FINAL);
    expect(message.usage_metadata).toEqual({ input_tokens: 3, output_tokens: 6, total_tokens: 9 });
    expect(message.response_metadata).toMatchObject({ provider: 'yandex', finishReason: 'stop' });
    // The router's result says the text was revised; the message carries its warnings.
    expect(message.response_metadata.warnings).toContainEqual(
      expect.objectContaining({ message: expect.stringMatching(/revised/) }),
    );
    expect(seen.tokens).toEqual(['Привет', ', мор', ' Как дела?']);
    expect(seen.revisions).toEqual([{ id: '0', text: 'Привет, мир!' }]);
    expect(seen.errors).toEqual([]);
  });

  it('streamEvents v2 over a step that invokes the model (as in LangGraph): tokens, the revision event, the final message', async () => {
    const { router } = scripted(rewritten);
    const model = new ChatLlmo({ router });
    const step = RunnableLambda.from(async (input: string, config) => {
      const message = await model.invoke(input, config);
      return message.content;
    });
    const events: { event: string; name: string; data: Record<string, unknown> }[] = [];
    for await (const event of step.streamEvents('Привет', { version: 'v2' })) events.push(event);
    const tokens = events
      .filter((e) => e.event === 'on_chat_model_stream')
      .map((e) => (e.data.chunk as AIMessageChunk).content);
    expect(tokens).toEqual(['Привет', ', мор', ' Как дела?']);
    expect(events.find((e) => e.event === 'on_custom_event')).toMatchObject({
      name: TEXT_REVISED_EVENT,
      data: { id: '0', text: 'Привет, мир!' },
    });
    const end = events.find((e) => e.event === 'on_chat_model_end')!;
    expect((end.data.output as AIMessageChunk).content).toBe(FINAL);
    expect(events.at(-1)).toMatchObject({ event: 'on_chain_end', data: { output: FINAL } });
  });

  it('stream() yields what was streamed, then throws StreamRevisedError carrying the final text', async () => {
    const { router } = scripted(rewritten);
    const { handler, seen } = streamingHandler();
    const { chunks, error } = await collect(
      await new ChatLlmo({ router }).stream('Привет', { callbacks: [handler] }),
    );
    expect(chunks.map((c) => c.content)).toEqual(['Привет', ', мор']);
    expect(StreamRevisedError.isInstance(error)).toBe(true);
    const revised = error as StreamRevisedError;
    expect(revised).toMatchObject({
      name: 'StreamRevisedError',
      code: 'text-revised',
      provider: 'yandex',
      textId: '0',
      streamedText: 'Привет, мор',
      text: FINAL,
    });
    expect(revised.message).toMatch(
      /revised text it had already streamed.*invoke\(\) returns the provider's final text/,
    );
    expect(revised.result.usage.totalTokens).toBe(9);
    expect(seen.revisions).toEqual([{ id: '0', text: 'Привет, мир!' }]);
    expect(seen.errors).toEqual(['StreamRevisedError']);
  });

  it('streamEvents on the model (v2, and the chat-model event stream) surface the error the same way', async () => {
    const v2 = await collect(
      new ChatLlmo({ router: scripted(rewritten).router }).streamEvents('Привет', { version: 'v2' }),
    );
    const tokens = v2.chunks
      .filter((e) => e.event === 'on_chat_model_stream')
      .map((e) => (e.data.chunk as AIMessageChunk).content);
    expect(tokens).toEqual(['Привет', ', мор']);
    expect(StreamRevisedError.isInstance(v2.error)).toBe(true);

    const events = new ChatLlmo({ router: scripted(rewritten).router }).streamEvents('Привет');
    const seen = await collect(events);
    expect(StreamRevisedError.isInstance(seen.error)).toBe(true);
    await expect(Promise.resolve(events.text)).rejects.toMatchObject({ text: FINAL });
  });

  it('a revision that only extends the streamed text is one more chunk, not an error', async () => {
    const { router } = scripted([
      { type: 'text-start', id: '0' },
      { type: 'text-revision', id: '0', text: 'Привет' },
      { type: 'text-delta', id: '0', delta: ', м' },
      { type: 'text-revision', id: '0', text: 'Привет, мир!' },
      { type: 'text-delta', id: '0', delta: ' Как дела?' },
      { type: 'text-end', id: '0' },
    ]);
    const { chunks, error } = await collect(await new ChatLlmo({ router }).stream('Привет'));
    expect(error).toBeUndefined();
    expect(chunks.map((c) => c.content)).toEqual(['Привет', ', м', 'ир!', ' Как дела?', '']);
    expect(chunks.reduce((a, b) => a.concat(b)).content).toBe(FINAL);
  });

  it('a streamed tool call still reaches invoke() with a streaming handler', async () => {
    const { router } = scripted(
      [{ type: 'tool-call', id: 'get_weather', name: 'get_weather', arguments: '{"city":"Omsk"}' }],
      { tools: true },
    );
    const { handler } = streamingHandler();
    const model = new ChatLlmo({ router }).bindTools([
      { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
    ]);
    const message = await model.invoke('Weather?', { callbacks: [handler] });
    expect(message.tool_calls).toEqual([
      { type: 'tool_call', id: 'get_weather', name: 'get_weather', args: { city: 'Omsk' } },
    ]);
  });
});

describe('LlmoLLM and a provider that revises streamed text', () => {
  it('invoke() returns the final text, with or without a streaming handler', async () => {
    const { router } = scripted(rewritten);
    const llm = new LlmoLLM({ router });
    expect(await llm.invoke('Привет')).toBe(FINAL);
    const { handler, seen } = streamingHandler();
    expect(await llm.invoke('Привет', { callbacks: [handler] })).toBe(FINAL);
    expect(seen.tokens).toEqual(['Привет', ', мор', ' Как дела?']);
    expect(seen.revisions).toEqual([{ id: '0', text: 'Привет, мир!' }]);
  });

  it('stream() throws StreamRevisedError with the final text after what was streamed', async () => {
    const { router } = scripted(rewritten);
    const { chunks, error } = await collect(await new LlmoLLM({ router }).stream('Привет'));
    expect(chunks).toEqual(['Привет', ', мор']);
    expect(StreamRevisedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'text-revised', text: FINAL, streamedText: 'Привет, мор' });
  });
});
