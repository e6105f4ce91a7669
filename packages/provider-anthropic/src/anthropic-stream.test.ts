import { readFileSync } from 'node:fs';
import type { ProviderError, StreamPart } from '@llmo/core/provider';
import { describe, expect, it } from 'vitest';
import { AnthropicStreamMapper, anthropicStreamParts } from './anthropic-stream.js';

// Wire fixtures from ../shared/protocols/anthropic.md (docs transcripts and the Vercel AI SDK recordings it
// cites), fed through the real SSE reader in pieces of 7 bytes so events and JSON split mid-way.
const fixture = (name: string) =>
  readFileSync(new URL(`./__fixtures__/anthropic-${name}.chunks.txt`, import.meta.url), 'utf8');

function body(text: string, pieceBytes = 7): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + pieceBytes));
      offset += pieceBytes;
    },
  });
}

async function parts(name: string): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of anthropicStreamParts(body(fixture(name)), {
    provider: 'claude',
    requestId: 'req_1',
  }))
    out.push(part);
  return out;
}

async function failure(name: string): Promise<{ error: ProviderError; parts: StreamPart[] }> {
  const seen: StreamPart[] = [];
  try {
    for await (const part of anthropicStreamParts(body(fixture(name)), { provider: 'claude' }))
      seen.push(part);
  } catch (error) {
    return { error: error as ProviderError, parts: seen };
  }
  throw new Error('expected the stream to fail');
}

describe('anthropicStreamParts', () => {
  it('assembles the docs tool-use transcript: split partial_json, the first fragment empty', async () => {
    const all = await parts('tool-use');
    expect(all.map((p) => p.type)).toEqual([
      'response-metadata',
      'text-start',
      'text-delta',
      'text-end',
      ...Array(8).fill('tool-call-delta'),
      'tool-call',
      'finish',
    ]);
    const call = all.find((p) => p.type === 'tool-call');
    expect(call).toEqual({
      type: 'tool-call',
      id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
      name: 'get_weather',
      arguments: '{"location": "San Francisco, CA", "unit": "fahrenheit"}',
    });
    expect(all.at(-1)).toMatchObject({
      finishReason: 'tool-calls',
      usage: { promptTokens: 25, completionTokens: 89, totalTokens: 114 },
    });
  });

  it('a tool call whose only fragment is "" has arguments {}', async () => {
    const all = await parts('tool-no-args');
    expect(all.find((p) => p.type === 'tool-call')).toMatchObject({ name: 'get_time', arguments: '{}' });
    expect(all.some((p) => p.type === 'tool-call-delta')).toBe(false);
  });

  it('a refusal with no content blocks finishes with content-filter', async () => {
    const all = await parts('refusal');
    expect(all.map((p) => p.type)).toEqual(['response-metadata', 'finish']);
    expect(all.at(-1)).toMatchObject({ finishReason: 'content-filter' });
  });

  it('ignores a repeated message_start with the same id, and pings between blocks', async () => {
    const all = await parts('duplicate-message-start');
    expect(all.filter((p) => p.type === 'response-metadata')).toEqual([
      { type: 'response-metadata', id: 'msg_04', model: 'claude-opus-4-1-20250805', requestId: 'req_1' },
    ]);
    expect(
      all
        .filter((p) => p.type === 'text-delta')
        .map((p) => (p as { delta: string }).delta)
        .join(''),
    ).toBe('Hello!');
  });

  it('a message_start with another id mid-stream is an invalid_response', async () => {
    const { error, parts: seen } = await failure('spliced-message-start');
    expect(error).toMatchObject({ name: 'ProviderError', kind: 'invalid_response', retryable: false });
    expect(seen.some((p) => p.type === 'finish')).toBe(false);
  });

  it('a body that ends before message_stop is a retryable network error, never a clean finish', async () => {
    const { error, parts: seen } = await failure('truncated');
    expect(error).toMatchObject({ kind: 'network', retryable: true });
    expect(error.message).toContain('message_stop');
    expect(seen.some((p) => p.type === 'finish')).toBe(false);
  });

  it('skips thinking blocks, signature deltas and unknown events; null cache counts read as 0', async () => {
    const all = await parts('thinking-unknown-events');
    expect(all.map((p) => p.type)).toEqual([
      'response-metadata',
      'text-start',
      'text-delta',
      'text-end',
      'finish',
    ]);
    expect(all.at(-1)).toMatchObject({
      finishReason: 'stop',
      usage: { promptTokens: 28, completionTokens: 30 },
      providerMetadata: {
        anthropic: { inputTokens: 25, cacheCreationInputTokens: 0, cacheReadInputTokens: 3 },
      },
    });
  });
});

describe('AnthropicStreamMapper usage', () => {
  it('prefers input_tokens from message_delta when a gateway reports 0 in message_start (pitfall 8)', () => {
    const mapper = new AnthropicStreamMapper({ provider: 'claude' });
    mapper.map({
      type: 'message_start',
      message: { id: 'msg_1', usage: { input_tokens: 0, output_tokens: 1 } },
    });
    mapper.map({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 5 } });
    mapper.map({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn' },
      usage: { input_tokens: 42, output_tokens: 9, cache_read_input_tokens: null },
    });
    mapper.map({ type: 'message_stop' });
    expect(mapper.end().at(-1)).toMatchObject({
      type: 'finish',
      usage: { promptTokens: 42, completionTokens: 9, totalTokens: 51 },
    });
  });
});
