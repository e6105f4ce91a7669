import { readFileSync } from 'node:fs';
import type { ProviderError, StreamPart } from '@llmo/core/provider';
import { describe, expect, it } from 'vitest';
import { GeminiToolCallMemory } from './gemini-messages.js';
import { geminiPricing } from './gemini-pricing.js';
import { type GeminiStreamContext, geminiSseValues, geminiStreamParts } from './gemini-stream.js';

// Wire fixtures from ../shared/protocols/gemini.md (the raw captures and the Vercel AI SDK recordings it
// cites), fed through the stream reader in small pieces so events, CRLFs and JSON split mid-way.
const fixture = (name: string) =>
  readFileSync(new URL(`./__fixtures__/gemini-${name}.chunks.txt`, import.meta.url), 'utf8');

function body(text: string | Uint8Array, pieceBytes = 7): ReadableStream<Uint8Array> {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + pieceBytes));
      offset += pieceBytes;
    },
  });
}

const context = (extra: Partial<GeminiStreamContext> = {}): GeminiStreamContext => ({
  provider: 'gemini',
  requestId: 'req_1',
  ...extra,
});

async function parts(text: string, extra?: Partial<GeminiStreamContext>, piece = 7): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of geminiStreamParts(body(text, piece), context(extra))) out.push(part);
  return out;
}

async function failure(
  text: string | ReadableStream<Uint8Array>,
  extra?: Partial<GeminiStreamContext>,
): Promise<{ error: ProviderError; parts: StreamPart[] }> {
  const seen: StreamPart[] = [];
  try {
    for await (const part of geminiStreamParts(typeof text === 'string' ? body(text) : text, context(extra)))
      seen.push(part);
  } catch (error) {
    return { error: error as ProviderError, parts: seen };
  }
  throw new Error('expected the stream to fail');
}

const textOf = (all: StreamPart[]) => all.map((p) => (p.type === 'text-delta' ? p.delta : '')).join('');

describe('geminiStreamParts: the captures of the protocol note', () => {
  it('reads the single-event capture (CRLF CRLF, pitfall 5): text, STOP, usage with thinking counted', async () => {
    const all = await parts(fixture('count'));
    expect(all).toEqual([
      {
        type: 'response-metadata',
        id: '4HkhaaajEJaY0-kPyI_b2A4',
        model: 'gemini-2.5-flash',
        requestId: 'req_1',
      },
      { type: 'text-start', id: '0' },
      { type: 'text-delta', id: '0', delta: '1, 2, 3' },
      { type: 'text-end', id: '0' },
      {
        type: 'finish',
        finishReason: 'stop',
        // Pitfall 7: candidatesTokenCount (7) excludes the 23 thinking tokens; both are output.
        usage: { promptTokens: 8, completionTokens: 30, totalTokens: 38 },
        providerMetadata: {
          gemini: {
            promptTokens: 8,
            cachedTokens: 0,
            toolUsePromptTokens: 0,
            candidatesTokens: 7,
            thoughtsTokens: 23,
            finishReason: 'STOP',
            modelVersion: 'gemini-2.5-flash',
          },
        },
      },
    ]);
  });

  it('splits CRLF event ends across reads, byte by byte, and never stalls until EOF (pitfall 5)', async () => {
    const all = await parts(fixture('count'), {}, 1);
    expect(textOf(all)).toBe('1, 2, 3');
    // Each value is dispatched at its blank line, not when the body ends.
    const values: unknown[] = [];
    let resolveRead: (() => void) | undefined;
    const text = fixture('count');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text));
        // The body stays open: a parser that only splits on \n\n (or waits for EOF) would never yield.
        resolveRead = () => controller.close();
      },
    });
    for await (const value of geminiSseValues(stream, { provider: 'gemini' })) {
      values.push(value);
      resolveRead?.();
    }
    expect(values).toHaveLength(1);
  });

  it('treats parts as deltas and usage as running totals: the last wins, never a sum (pitfall 6)', async () => {
    const all = await parts(fixture('long'));
    expect(all.filter((p) => p.type === 'text-delta')).toHaveLength(3);
    expect(textOf(all)).toMatch(/^Okay, let's create a Tetris game.*high scores, etc\.$/s);
    const finish = all.at(-1);
    expect(finish).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      usage: { promptTokens: 4, completionTokens: 5947 + 2042, totalTokens: 7993 },
    });
  });

  it('prices the call exactly, thinking at the output price', async () => {
    const all = await parts(fixture('count'), { pricing: geminiPricing('gemini-2.5-flash') });
    const finish = all.at(-1) as Extract<StreamPart, { type: 'finish' }>;
    // 8 input × $0.30/M + (7 + 23) output × $2.50/M
    expect(finish.providerMetadata?.gemini).toMatchObject({
      cost: { amount: 0.0000774, currency: 'USD' },
    });
  });

  it('skips the final empty-text part that only carries a thoughtSignature (§5.1)', async () => {
    const all = await parts(fixture('text-signature'));
    expect(all.map((p) => p.type)).toEqual([
      'response-metadata',
      'text-start',
      'text-delta',
      'text-delta',
      'text-end',
      'finish',
    ]);
    expect(textOf(all)).toBe("There are **3** r's in strawberry.");
  });

  it('leaves thought summaries out of the answer text', async () => {
    const all = await parts(fixture('thoughts'));
    expect(textOf(all)).toBe('Three.');
    expect(all.at(-1)).toMatchObject({ usage: { promptTokens: 9, completionTokens: 93, totalTokens: 102 } });
  });
});

describe('geminiStreamParts: function calls', () => {
  it('yields whole calls with made-up ids, closes the text first, and maps STOP to tool-calls (pitfall 8)', async () => {
    const memory = new GeminiToolCallMemory();
    const all = await parts(fixture('tool-call'), { memory });
    expect(all.map((p) => p.type)).toEqual([
      'response-metadata',
      'text-start',
      'text-delta',
      'text-end',
      'tool-call-delta',
      'tool-call',
      'tool-call-delta',
      'tool-call',
      'finish',
    ]);
    const calls = all.filter((p) => p.type === 'tool-call');
    expect(calls).toEqual([
      {
        type: 'tool-call',
        id: 'gemini-call-tOoLCall1-0',
        name: 'weather',
        arguments: '{"location":"San Francisco"}',
      },
      {
        type: 'tool-call',
        id: 'gemini-call-tOoLCall1-1',
        name: 'weather',
        arguments: '{"location":"Paris"}',
      },
    ]);
    expect(all.at(-1)).toMatchObject({ finishReason: 'tool-calls' });
    // The signature is kept for the next turn (pitfall 9); the ids were not on the wire.
    expect(memory.get('gemini-call-tOoLCall1-0')).toEqual({
      signature: 'CiQBcsjafPUm9nYk...',
      wireId: false,
    });
    expect(memory.get('gemini-call-tOoLCall1-1')).toEqual({ signature: undefined, wireId: false });
  });
});

describe('geminiStreamParts: blocks, errors and broken streams', () => {
  it('a bare error object inside the 200 stream is a typed error after the text (pitfall 12)', async () => {
    const { error, parts: seen } = await failure(fixture('error-in-stream'));
    expect(error).toMatchObject({
      kind: 'overloaded',
      retryable: true,
      code: 'UNAVAILABLE',
      requestId: 'req_1',
    });
    expect(error.message).toContain('The model is overloaded');
    expect(textOf(seen)).toMatch(/^Okay, let's create/);
    expect(seen.some((p) => p.type === 'finish')).toBe(false);
  });

  it('an error as a data: event, with RetryInfo, is rate_limit with retryAfterMs', async () => {
    const event = `data: ${JSON.stringify({
      error: {
        code: 429,
        message: 'Resource has been exhausted (e.g. check quota).',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '26s' }],
      },
    })}\r\n\r\n`;
    const { error } = await failure(event);
    expect(error).toMatchObject({ kind: 'rate_limit', retryable: true, retryAfterMs: 26_000 });
  });

  it('a blocked prompt in the first chunk is a content_filter error with the reason (pitfall 10)', async () => {
    const { error, parts: seen } = await failure(fixture('prompt-blocked'));
    expect(error).toMatchObject({ kind: 'content_filter', code: 'PROHIBITED_CONTENT', retryable: false });
    expect(error.message).toContain('the prompt was blocked (PROHIBITED_CONTENT)');
    expect(seen).toEqual([]);
  });

  it('a block after some text ends with finish reason content-filter, the reason in providerMetadata', async () => {
    const all = await parts(fixture('safety-midway'));
    expect(textOf(all)).toBe('Here is how you');
    expect(all.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: 'content-filter',
      providerMetadata: {
        gemini: {
          finishReason: 'SAFETY',
          blockReason: 'SAFETY',
          safetyRatings: [
            { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true },
          ],
        },
      },
    });
  });

  it('an answer blocked before any text is a content_filter error (nothing to return)', async () => {
    const event = `data: ${JSON.stringify({
      candidates: [
        {
          content: { role: 'model', parts: [] },
          finishReason: 'SAFETY',
          index: 0,
          safetyRatings: [
            { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true },
          ],
        },
      ],
    })}\r\n\r\n`;
    const { error } = await failure(event);
    expect(error).toMatchObject({ kind: 'content_filter', code: 'SAFETY' });
    expect(error.message).toContain('HARM_CATEGORY_DANGEROUS_CONTENT');
  });

  it('a body that ends before a finishReason is a retryable network error (no end marker, §5.1)', async () => {
    const { error, parts: seen } = await failure(fixture('truncated'));
    expect(error).toMatchObject({ kind: 'network', retryable: true });
    expect(error.message).toBe('gemini: the stream ended before a finishReason');
    expect(seen.filter((p) => p.type === 'text-delta')).toHaveLength(2);
  });

  it('a body that ends in the middle of an event is a retryable network error', async () => {
    const { error } = await failure(fixture('cut-mid-event'));
    expect(error).toMatchObject({ kind: 'network', retryable: true });
  });

  it('a last event without its blank line still counts when it is complete JSON', async () => {
    const all = await parts(fixture('count').trimEnd());
    expect(all.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
  });

  it('a malformed 200 (HTML instead of events) is invalid_response, not retryable', async () => {
    const { error } = await failure('<html><body>502 Bad Gateway</body></html>\n');
    expect(error).toMatchObject({ kind: 'invalid_response', retryable: false });
  });

  it('a data: event that is not JSON is invalid_response', async () => {
    const { error } = await failure('data: {"candidates": [\r\n\r\n');
    expect(error).toMatchObject({ kind: 'invalid_response', retryable: false });
  });

  it('an endless line ends in line-too-long, never unbounded memory', async () => {
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent++;
        controller.enqueue(
          new TextEncoder().encode(sent === 1 ? 'data: {"candidates": "' : 'x'.repeat(4096)),
        );
      },
    });
    const { error } = await failure(endless, { maxLineLength: 64 * 1024 });
    expect(error).toMatchObject({ kind: 'invalid_response', code: 'line-too-long', retryable: false });
    expect(sent).toBeLessThan(100);
  });

  it('a reset while reading is a retryable network error after the text so far', async () => {
    const text = fixture('long');
    let sent = false;
    const resetting = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent)
          return controller.error(new TypeError('terminated', { cause: new Error('other side closed') }));
        sent = true;
        controller.enqueue(new TextEncoder().encode(text.slice(0, text.indexOf('\r\n\r\n') + 4)));
      },
    });
    const { error, parts: seen } = await failure(resetting);
    expect(error).toMatchObject({ kind: 'network', retryable: true });
    expect(textOf(seen)).toMatch(/^Okay/);
  });

  it('an abort while reading is cancelled', async () => {
    const controller = new AbortController();
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode(`${fixture('truncated').split('\r\n\r\n')[0]!}\r\n\r\n`));
      },
      pull() {
        controller.abort();
        throw new DOMException('This operation was aborted', 'AbortError');
      },
    });
    const { error } = await failure(stream, { signal: controller.signal });
    expect(error).toMatchObject({ kind: 'cancelled', retryable: false });
  });
});
