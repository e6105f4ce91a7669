import { RouteFailedError, StreamInterruptedError, type StreamPart } from '@llmo/core';
import type * as AI from 'ai';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { type FakeRouter, startFakeRouter } from './fake-routers.test-helper.js';

// The AI SDK prints every warning by default; the tests assert them instead.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

/** Waits on observable state, long enough for a loaded 2-core machine; never a timing assertion. */
const WAIT = { timeout: 15_000, interval: 10 };

type LlmoModel = Parameters<typeof AI.generateText>[0]['model'];

/**
 * The same end-to-end behaviour for each AI SDK major: the real `ai` package (6 as `ai`, 5 as `ai-v5`) calls
 * the router as a model, and the router calls two OpenAI-compatible fake servers over 127.0.0.1 through the
 * real @llmo/provider-openai.
 */
export function describeAISDK(label: string, ai: typeof AI, createModel: (fake: FakeRouter) => LlmoModel) {
  describe(label, () => {
    let fake: FakeRouter;
    let model: LlmoModel;
    beforeEach(async () => {
      fake = await startFakeRouter();
      model = createModel(fake);
    });
    afterEach(() => fake.close());

    const llmo = (metadata: unknown) => (metadata as { llmo: Record<string, unknown> }).llmo;

    it('generateText falls back from a failing provider; who answered and every attempt are in providerMetadata', async () => {
      fake.a.reply({ type: 'error', status: 500 }, { type: 'error', status: 503 });
      fake.b.reply({ type: 'text', text: 'Answer from b', usage: { promptTokens: 11, completionTokens: 3 } });
      const result = await ai.generateText({ model, prompt: 'Hi', maxOutputTokens: 50, temperature: 0.2 });
      expect(result.text).toBe('Answer from b');
      expect(result.finishReason).toBe('stop');
      expect([result.usage.inputTokens, result.usage.outputTokens, result.usage.totalTokens]).toEqual([
        11, 3, 14,
      ]);
      expect(result.response.modelId).toBe('model-b');
      const meta = llmo(result.providerMetadata);
      expect(meta.provider).toBe('b');
      expect(meta.model).toBe('model-b');
      expect(
        (meta.attempts as { provider: string; outcome: string; errorKind?: string }[]).map((a) => [
          a.provider,
          a.outcome,
          a.errorKind ?? null,
        ]),
      ).toEqual([
        ['a', 'error', 'server'],
        ['a', 'error', 'overloaded'],
        ['b', 'success', null],
      ]);
      // The call's settings reached the upstream as the wire format says.
      expect(fake.b.chatRequests[0]?.body).toMatchObject({
        model: 'model-b',
        messages: [{ role: 'user', content: 'Hi' }],
        temperature: 0.2,
      });
      // One usage record per attempt, failures included.
      await vi.waitFor(() => expect(fake.usage).toHaveLength(3), WAIT);
    });

    it('streamText streams the answering provider, with usage, finish reason and attempts at the end', async () => {
      fake.a.reply(
        { type: 'reset', text: 'never', afterDeltas: 0 },
        { type: 'reset', text: 'never', afterDeltas: 0 },
      );
      fake.b.reply({ type: 'text', text: 'one two three', usage: { promptTokens: 5, completionTokens: 3 } });
      const stream = ai.streamText({ model, prompt: 'Count' });
      const deltas: string[] = [];
      for await (const delta of stream.textStream) deltas.push(delta);
      expect(deltas).toEqual(['one ', 'two ', 'three']);
      expect(await stream.finishReason).toBe('stop');
      const usage = await stream.usage;
      expect([usage.inputTokens, usage.outputTokens]).toEqual([5, 3]);
      const meta = llmo(await stream.providerMetadata);
      expect(meta.provider).toBe('b');
      expect((meta.attempts as unknown[]).length).toBe(3);
      expect(meta.ttftMs).toEqual(expect.any(Number));
      expect((await stream.response).modelId).toBe('model-b');
    });

    it('generateObject sends the JSON schema as the response format and parses the answer', async () => {
      fake.a.reply({ type: 'text', text: '{"city":"Moscow","celsius":-3}' });
      const { object, finishReason } = await ai.generateObject({
        model,
        schema: z.object({ city: z.string(), celsius: z.number() }),
        schemaName: 'weather',
        prompt: 'Weather?',
      });
      expect(object).toEqual({ city: 'Moscow', celsius: -3 });
      expect(finishReason).toBe('stop');
      const body = fake.a.chatRequests[0]?.body as { response_format?: unknown } | undefined;
      const format = body?.response_format;
      expect(format).toMatchObject({
        type: 'json_schema',
        json_schema: {
          name: 'weather',
          schema: { type: 'object', properties: { city: { type: 'string' }, celsius: { type: 'number' } } },
        },
      });
    });

    it('runs a tool loop: the tool call goes out, its result comes back as a tool message', async () => {
      fake.a.reply(
        { type: 'tool-call', id: 'call_1', name: 'weather', arguments: { city: 'Moscow' } },
        { type: 'text', text: 'It is -3 in Moscow' },
      );
      const execute = vi.fn(async ({ city }: { city: string }) => ({ city, celsius: -3 }));
      const result = await ai.generateText({
        model,
        prompt: 'Weather in Moscow?',
        tools: {
          weather: ai.tool({
            description: 'Weather by city',
            inputSchema: z.object({ city: z.string() }),
            execute,
          }),
        },
        stopWhen: ai.stepCountIs(3),
      });
      expect(execute).toHaveBeenCalledWith({ city: 'Moscow' }, expect.anything());
      expect(result.text).toBe('It is -3 in Moscow');
      expect(result.steps.map((s) => s.finishReason)).toEqual(['tool-calls', 'stop']);
      const first = fake.a.chatRequests[0]?.body as { tools: unknown[] };
      expect(first.tools).toEqual([
        {
          type: 'function',
          function: expect.objectContaining({
            name: 'weather',
            description: 'Weather by city',
            parameters: expect.objectContaining({ type: 'object', properties: { city: { type: 'string' } } }),
          }),
        },
      ]);
      const second = fake.a.chatRequests[1]?.body as { messages: unknown[] };
      expect(second.messages).toEqual([
        { role: 'user', content: 'Weather in Moscow?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Moscow"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"city":"Moscow","celsius":-3}' },
      ]);
    });

    it('streams a tool call as tool-input parts, then the tool call, then the next step', async () => {
      fake.a.reply(
        { type: 'tool-call', id: 'call_9', name: 'weather', arguments: { city: 'Paris' } },
        { type: 'text', text: 'Sunny' },
      );
      const stream = ai.streamText({
        model,
        prompt: 'Weather in Paris?',
        tools: {
          weather: ai.tool({
            inputSchema: z.object({ city: z.string() }),
            execute: async ({ city }) => `${city}: sunny`,
          }),
        },
        stopWhen: ai.stepCountIs(2),
      });
      const types: string[] = [];
      let input = '';
      for await (const part of stream.fullStream) {
        types.push(part.type);
        if (part.type === 'tool-input-delta') input += part.delta;
      }
      expect(JSON.parse(input)).toEqual({ city: 'Paris' });
      const tool = types.filter((t) => t.startsWith('tool-'));
      expect(tool).toEqual([
        'tool-input-start',
        ...tool.filter((t) => t === 'tool-input-delta'),
        'tool-input-end',
        'tool-call',
        'tool-result',
      ]);
      expect(await stream.text).toBe('Sunny');
      expect((await stream.toolCalls).length).toBe(0); // the last step's: the text
      expect((await stream.steps)[0]?.toolCalls[0]?.input).toEqual({ city: 'Paris' });
    });

    it('maps the length finish reason, call headers, routing hints and unsupported settings', async () => {
      fake.b.reply({ type: 'text', text: 'cut', finishReason: 'length' });
      const result = await ai.generateText({
        model,
        prompt: 'Long story',
        topK: 3,
        headers: { 'x-trace-id': 'trace-1' },
        providerOptions: { llmo: { preferredProvider: 'b' } },
      });
      expect(result.finishReason).toBe('length');
      expect(llmo(result.providerMetadata).provider).toBe('b');
      expect(fake.a.chatRequests).toHaveLength(0);
      expect(fake.b.chatRequests[0]?.headers['x-trace-id']).toBe('trace-1');
      expect(JSON.stringify(result.warnings)).toContain('topK');
    });

    it('rejects with the router error when every provider fails (no AI SDK retries on top)', async () => {
      fake.a.setDefault({ type: 'error', status: 500 });
      fake.b.setDefault({ type: 'error', status: 401 });
      const error = await ai.generateText({ model, prompt: 'Hi' }).catch((e: unknown) => e);
      expect(RouteFailedError.isInstance(error)).toBe(true);
      expect((error as RouteFailedError).attempts.map((a) => `${a.provider}:${a.errorKind}`)).toEqual([
        'a:server',
        'a:server',
        'b:auth',
      ]);
      expect(fake.a.chatRequests.length + fake.b.chatRequests.length).toBe(3);
    });

    it('a stream that no provider can start ends in an error part carrying the router error', async () => {
      fake.a.setDefault({ type: 'error', status: 400, message: 'bad' });
      const errors: unknown[] = [];
      const stream = ai.streamText({ model, prompt: 'Hi', onError: ({ error }) => void errors.push(error) });
      const types: string[] = [];
      for await (const part of stream.fullStream) types.push(part.type);
      expect(types).toContain('error');
      expect(errors).toHaveLength(1);
      expect(RouteFailedError.isInstance(errors[0])).toBe(true);
      expect(fake.b.chatRequests).toHaveLength(0); // a caller fault: no fallback
    });

    it('hostile: the upstream resets mid-stream; the text so far stays, the error is typed, nothing is mixed', async () => {
      fake.a.reply({ type: 'reset', text: 'alpha beta gamma delta', afterDeltas: 2 });
      const errors: unknown[] = [];
      const stream = ai.streamText({ model, prompt: 'Hi', onError: ({ error }) => void errors.push(error) });
      let text = '';
      for await (const part of stream.fullStream) if (part.type === 'text-delta') text += part.text;
      expect(text).toBe('alpha beta ');
      expect(errors).toHaveLength(1);
      expect(StreamInterruptedError.isInstance(errors[0])).toBe(true);
      expect((errors[0] as StreamInterruptedError).textSoFar).toBe('alpha beta ');
      expect(await stream.finishReason).toBe('error');
      expect(fake.b.chatRequests).toHaveLength(0);
      await vi.waitFor(() => expect(fake.usage.map((u) => u.errorKind)).toEqual(['network']), WAIT);
    });

    it('hostile: an upstream that stalls after a chunk ends at the idle timeout (a per-call hint), typed', async () => {
      const chunk = (delta: string) =>
        `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'model-a', choices: [{ index: 0, delta: { content: delta }, finish_reason: null }] })}\n\n`;
      // The second chunk comes 30 s later: long after the 300 ms of silence this call allows.
      fake.a.reply({
        type: 'raw',
        response: {
          headers: { 'content-type': 'text/event-stream' },
          chunks: [chunk('early '), chunk('late')],
          chunkDelayMs: 30_000,
        },
      });
      const errors: unknown[] = [];
      const stream = ai.streamText({
        model,
        prompt: 'Hi',
        providerOptions: { llmo: { idleTimeoutMs: 300 } },
        onError: ({ error }) => void errors.push(error),
      });
      let text = '';
      for await (const part of stream.fullStream) if (part.type === 'text-delta') text += part.text;
      expect(text).toBe('early ');
      expect(StreamInterruptedError.isInstance(errors[0])).toBe(true);
      expect((errors[0] as StreamInterruptedError).kind).toBe('timeout');
      expect(fake.b.chatRequests).toHaveLength(0);
    });

    it('hostile: a malformed 200 is a provider fault; the router falls back and the answer is whole', async () => {
      const garbage = {
        type: 'raw',
        response: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"choices": "nope' },
      } as const;
      fake.a.reply(garbage, garbage);
      fake.b.reply({ type: 'text', text: 'fine' });
      const result = await ai.generateText({ model, prompt: 'Hi' });
      expect(result.text).toBe('fine');
      expect((llmo(result.providerMetadata).attempts as { errorKind?: string }[])[0]?.errorKind).toBe(
        'invalid_response',
      );
    });

    it('hostile: aborting mid-stream stops the upstream read, ends the stream and records a cancelled attempt', async () => {
      fake.a.reply({ type: 'text', text: 'word '.repeat(400), chunkDelayMs: 5 });
      const controller = new AbortController();
      const errors: unknown[] = [];
      let aborts = 0;
      const stream = ai.streamText({
        model,
        prompt: 'Talk',
        abortSignal: controller.signal,
        onError: ({ error }) => void errors.push(error),
        onAbort: () => void aborts++,
      });
      let deltas = 0;
      const types: string[] = [];
      // The AI SDK sees an abort, not a failure: an `abort` part ends fullStream (no throw) and onAbort runs.
      for await (const part of stream.fullStream) {
        types.push(part.type);
        if (part.type === 'text-delta' && ++deltas === 3) controller.abort();
      }
      expect(types.at(-1)).toBe('abort');
      expect(types).not.toContain('error');
      expect(errors).toEqual([]);
      expect(aborts).toBe(1);
      expect(deltas).toBeGreaterThanOrEqual(3);
      expect(deltas).toBeLessThan(400);
      await vi.waitFor(
        () =>
          expect(fake.events.find((e) => e.type === 'route-end')).toMatchObject({
            success: false,
            errorKind: 'cancelled',
          }),
        WAIT,
      );
      await vi.waitFor(() => expect(fake.usage.map((u) => u.errorKind)).toEqual(['cancelled']), WAIT);
      expect(fake.b.chatRequests).toHaveLength(0);
    });

    it('hostile: aborting before the first chunk is an abort to streamText (abort part, onAbort), not an error', async () => {
      fake.a.setDefault({ type: 'hang' });
      const controller = new AbortController();
      const errors: unknown[] = [];
      let aborts = 0;
      const stream = ai.streamText({
        model,
        prompt: 'Hi',
        abortSignal: controller.signal,
        onError: ({ error }) => void errors.push(error),
        onAbort: () => void aborts++,
      });
      const types: string[] = [];
      const consumed = (async () => {
        for await (const part of stream.fullStream) types.push(part.type);
      })();
      await vi.waitFor(() => expect(fake.a.chatRequests).toHaveLength(1), WAIT);
      controller.abort();
      await consumed;
      expect(types).toContain('abort');
      expect(types).not.toContain('error');
      expect(errors).toEqual([]);
      expect(aborts).toBe(1);
      // What the model itself does (streamText checks the signal on its own before the first part): doStream
      // rejects with an AbortError carrying the router's error.
      const direct = new AbortController();
      const call = (model as unknown as { doStream(options: unknown): Promise<unknown> })
        .doStream({
          prompt: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
          abortSignal: direct.signal,
        })
        .catch((e: unknown) => e);
      await vi.waitFor(() => expect(fake.a.chatRequests).toHaveLength(2), WAIT);
      direct.abort('gone');
      const error = (await call) as Error;
      expect([error.name, error.message]).toEqual(['AbortError', 'gone']);
      expect(RouteFailedError.isInstance(error.cause)).toBe(true);
      expect(fake.b.chatRequests).toHaveLength(0);
    });

    it('hostile: generateText aborted while the upstream is silent rejects with an AbortError, the router error as cause', async () => {
      fake.a.setDefault({ type: 'hang' });
      // The caller's own AbortError comes back as it was given.
      const plain = new AbortController();
      const first = ai
        .generateText({ model, prompt: 'Hi', abortSignal: plain.signal })
        .catch((e: unknown) => e);
      await vi.waitFor(() => expect(fake.a.chatRequests).toHaveLength(1), WAIT);
      plain.abort();
      expect(await first).toBe(plain.signal.reason);
      expect(((await first) as Error).name).toBe('AbortError');
      // Any other reason becomes an AbortError with that message and llmo's error as its cause.
      const custom = new AbortController();
      const second = ai
        .generateText({ model, prompt: 'Hi', abortSignal: custom.signal })
        .catch((e: unknown) => e);
      await vi.waitFor(() => expect(fake.a.chatRequests).toHaveLength(2), WAIT);
      custom.abort(new Error('the user left'));
      const error = (await second) as Error;
      expect([error.name, error.message]).toEqual(['AbortError', 'the user left']);
      expect(RouteFailedError.isInstance(error.cause)).toBe(true);
      expect((error.cause as RouteFailedError).attempts.map((a) => a.errorKind)).toEqual(['cancelled']);
      expect(fake.b.chatRequests).toHaveLength(0);
      await vi.waitFor(
        () => expect(fake.usage.map((u) => u.errorKind)).toEqual(['cancelled', 'cancelled']),
        WAIT,
      );
    });

    it('hostile: cancelling the stream while the upstream is silent ends the call at once, recorded cancelled', async () => {
      const chunk = (delta: string) =>
        `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'model-a', choices: [{ index: 0, delta: { content: delta }, finish_reason: null }] })}\n\n`;
      fake.a.reply({
        type: 'raw',
        response: {
          headers: { 'content-type': 'text/event-stream' },
          chunks: [chunk('early '), chunk('late')],
          chunkDelayMs: 60_000,
        },
      });
      // Counts the router reads in flight, to cancel exactly while one waits on the silent upstream.
      let reading = 0;
      const routeStream = fake.router.routeStream.bind(fake.router);
      fake.router.routeStream = ((...args: Parameters<typeof routeStream>) => {
        const routed = routeStream(...args);
        const parts = routed.parts;
        const counted: AsyncIterable<StreamPart> = {
          [Symbol.asyncIterator]: () => {
            const iterator = parts[Symbol.asyncIterator]();
            return {
              next: () => {
                reading++;
                return iterator.next().finally(() => void reading--);
              },
              return: () => iterator.return?.() ?? Promise.resolve({ done: true, value: undefined }),
            };
          },
        };
        Object.defineProperty(routed, 'parts', { value: counted });
        return routed;
      }) as typeof fake.router.routeStream;
      const { stream } = await (
        model as unknown as {
          doStream(options: unknown): Promise<{ stream: ReadableStream<{ type: string }> }>;
        }
      ).doStream({
        prompt: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
        // Far beyond the wait below: a call that is only ended by the idle timeout fails this test.
        providerOptions: { llmo: { idleTimeoutMs: 50_000 } },
      });
      const reader = stream.getReader();
      for (let i = 0; i < 10; i++) if ((await reader.read()).value?.type === 'text-delta') break;
      const pending = reader.read().catch(() => undefined);
      await vi.waitFor(() => expect(reading).toBe(1), WAIT); // the read waits on the silent upstream
      await reader.cancel();
      await pending;
      await vi.waitFor(
        () =>
          expect(fake.events.find((e) => e.type === 'route-end')).toMatchObject({
            success: false,
            errorKind: 'cancelled',
          }),
        WAIT,
      );
      await vi.waitFor(() => expect(fake.usage.map((u) => u.errorKind)).toEqual(['cancelled']), WAIT);
      expect(fake.b.chatRequests).toHaveLength(0);
    });

    it('many streams at once each get a whole answer from one provider', async () => {
      fake.a.setDefault({ type: 'text', text: 'from a ok' });
      fake.b.setDefault({ type: 'text', text: 'from b ok' });
      const texts = await Promise.all(
        Array.from({ length: 30 }, async (_, i) => {
          const stream = ai.streamText({
            model,
            prompt: `n${i}`,
            providerOptions: { llmo: { preferredProvider: i % 2 ? 'a' : 'b' } },
          });
          return stream.text;
        }),
      );
      expect(texts).toEqual(texts.map((_, i) => (i % 2 ? 'from a ok' : 'from b ok')));
      await vi.waitFor(() => expect(fake.usage).toHaveLength(30), WAIT);
    });
  });
}
