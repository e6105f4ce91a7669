import { crc32 as zlibCrc32 } from 'node:zlib';
import type { ProviderError, StreamPart } from '@llmo/core/provider';
import { bedrockEvent, bedrockException, chunkedBody, encodeEventStreamMessage } from '@llmo/testkit';
import { describe, expect, it } from 'vitest';
import { concatBytes, hexFixture, RECORDED_STREAM, RECORDED_TEXT } from './bedrock.test-helper.js';
import { crc32, EventStreamDecoder, type EventStreamMessage, MAX_MESSAGE } from './bedrock-eventstream.js';
import { bedrockStreamParts } from './bedrock-stream.js';

// Wire fixtures from ../shared/protocols/bedrock.md: the recorded 16-frame ConverseStream and the note's
// synthetic `throttlingException` frame (§5.4).
const RECORDED = RECORDED_STREAM;
const THROTTLING = hexFixture('throttling-exception.1');
const FRAME_1 = RECORDED.subarray(184, 184 + 170);
const utf8 = new TextDecoder();
const concat = concatBytes;
const body = chunkedBody;

async function parts(bytes: Uint8Array, pieceBytes = 7): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of bedrockStreamParts(body(bytes, pieceBytes), {
    provider: 'bedrock',
    requestId: 'req-1',
  }))
    out.push(part);
  return out;
}

async function failure(
  bytes: Uint8Array,
  pieceBytes = 7,
): Promise<{ error: ProviderError; parts: StreamPart[] }> {
  const seen: StreamPart[] = [];
  try {
    for await (const part of bedrockStreamParts(body(bytes, pieceBytes), { provider: 'bedrock' }))
      seen.push(part);
  } catch (error) {
    return { error: error as ProviderError, parts: seen };
  }
  throw new Error('expected the stream to fail');
}

const textOf = (all: StreamPart[]) => all.flatMap((p) => (p.type === 'text-delta' ? [p.delta] : [])).join('');

describe('crc32', () => {
  it('is the IEEE CRC-32: check value and zlib agree', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(RECORDED)).toBe(zlibCrc32(RECORDED));
  });
});

describe('EventStreamDecoder', () => {
  const decodeAll = (chunks: Uint8Array[]) => {
    const decoder = new EventStreamDecoder({ provider: 'bedrock' });
    const messages: EventStreamMessage[] = [];
    for (const chunk of chunks) decoder.push(chunk, messages);
    decoder.end();
    return messages;
  };

  it('decodes the note’s frame #1 byte by byte: headers and payload', () => {
    const [message] = decodeAll([FRAME_1]);
    expect(message!.headers).toEqual({
      ':event-type': 'contentBlockDelta',
      ':content-type': 'application/json',
      ':message-type': 'event',
    });
    expect(utf8.decode(message!.payload)).toBe(
      '{"contentBlockIndex":0,"delta":{"text":"Hello"},"p":"abcdefghijkl"}',
    );
  });

  it('frame #1 split at every offset gives the same message (pitfall 5)', () => {
    const whole = decodeAll([FRAME_1]);
    for (let at = 0; at <= FRAME_1.length; at++) {
      const split = decodeAll([FRAME_1.slice(0, at), FRAME_1.slice(at)]);
      expect(split, `split at ${at}`).toEqual(whole);
    }
  });

  it('the recorded stream split in two at every offset decodes to the same 16 messages', () => {
    const whole = decodeAll([RECORDED]);
    expect(whole).toHaveLength(16);
    for (let at = 1; at < RECORDED.length; at++) {
      const split = decodeAll([RECORDED.subarray(0, at), RECORDED.subarray(at)]);
      if (split.length !== 16 || utf8.decode(split[15]!.payload) !== utf8.decode(whole[15]!.payload))
        throw new Error(`split at ${at} decoded differently`);
    }
  });

  it('reads every header type (0–9), as the smithy all_headers vector does', () => {
    // [name, value type, value bytes] for each of the ten types.
    const entries: [string, number, number[]][] = [
      ['t', 0, []],
      ['f', 1, []],
      ['b', 2, [0xff]],
      ['s', 3, [0x01, 0x00]],
      ['i', 4, [0x00, 0x01, 0x00, 0x00]],
      ['l', 5, [0, 0, 0, 0, 0, 0, 0x10, 0]],
      ['y', 6, [0, 2, 0xca, 0xfe]],
      ['str', 7, [0, 3, 0x61, 0x62, 0x63]],
      ['ts', 8, [0, 0, 0x01, 0x8c, 0xc2, 0x51, 0xf4, 0x00]],
      ['u', 9, Array.from({ length: 16 }, (_, i) => i)],
    ];
    const headerBytes = Uint8Array.from(
      entries.flatMap(([name, type, bytes]) => [
        name.length,
        ...new TextEncoder().encode(name),
        type,
        ...bytes,
      ]),
    );
    const payload = new TextEncoder().encode('{}');
    const total = 16 + headerBytes.length + payload.length;
    const frame = new Uint8Array(total);
    const view = new DataView(frame.buffer);
    view.setUint32(0, total);
    view.setUint32(4, headerBytes.length);
    view.setUint32(8, zlibCrc32(frame.subarray(0, 8)));
    frame.set(headerBytes, 12);
    frame.set(payload, 12 + headerBytes.length);
    view.setUint32(total - 4, zlibCrc32(frame.subarray(0, total - 4)));
    const [message] = decodeAll([frame]);
    expect(message!.headers).toEqual({
      t: true,
      f: false,
      b: -1,
      s: 256,
      i: 65536,
      l: 4096,
      y: Uint8Array.from([0xca, 0xfe]),
      str: 'abc',
      ts: new Date(0x018cc251f400),
      u: '000102030405060708090a0b0c0d0e0f',
    });
  });

  it('a corrupt payload byte fails the message CRC, a corrupt length the prelude CRC', () => {
    const payloadByte = FRAME_1.slice();
    payloadByte[120]! ^= 0x01;
    expect(() => decodeAll([payloadByte])).toThrow(/message CRC mismatch/);
    const lengthByte = FRAME_1.slice();
    lengthByte[3]! ^= 0x01;
    expect(() => decodeAll([lengthByte])).toThrow(/prelude CRC mismatch/);
  });

  it('refuses a frame longer than the event-stream limit without buffering it', () => {
    const frame = new Uint8Array(12);
    const view = new DataView(frame.buffer);
    view.setUint32(0, MAX_MESSAGE + 1);
    view.setUint32(4, 0);
    view.setUint32(8, zlibCrc32(frame.subarray(0, 8)));
    expect(() => decodeAll([frame])).toThrow(/message length/);
  });

  it('bytes of an unfinished frame at EOF are a truncated stream', () => {
    const decoder = new EventStreamDecoder({ provider: 'bedrock' });
    expect(decoder.push(FRAME_1.subarray(0, 100))).toEqual([]);
    expect(() => decoder.end()).toThrow(/ended inside a frame \(100 bytes left\)/);
  });
});

describe('bedrockStreamParts', () => {
  for (const pieceBytes of [1, 7, 4096]) {
    it(`the recorded ConverseStream in ${pieceBytes}-byte reads: text, stop, usage from metadata after messageStop`, async () => {
      const all = await parts(RECORDED, pieceBytes);
      expect(all.map((p) => p.type)).toEqual([
        'response-metadata',
        'text-start',
        ...Array(12).fill('text-delta'),
        'text-end',
        'finish',
      ]);
      expect(textOf(all)).toBe(RECORDED_TEXT);
      expect(all.at(-1)).toEqual({
        type: 'finish',
        finishReason: 'stop',
        usage: { promptTokens: 13, completionTokens: 35, totalTokens: 48 },
        providerMetadata: {
          bedrock: { stopReason: 'end_turn', latencyMs: 1118, inputTokens: 13, outputTokens: 35 },
        },
      });
    });
  }

  it('the throttlingException frame after two deltas: the text first, then a retryable rate_limit, no finish', async () => {
    const { error, parts: seen } = await failure(concat(RECORDED.subarray(0, 184 + 170 + 191), THROTTLING));
    expect(textOf(seen)).toBe('Hello! As');
    expect(seen.some((p) => p.type === 'finish')).toBe(false);
    expect(error).toMatchObject({
      name: 'ProviderError',
      kind: 'rate_limit',
      retryable: true,
      code: 'ThrottlingException',
    });
    expect(error.message).toContain('Too many tokens, please wait before trying again.');
  });

  it('modelStreamErrorException, serviceUnavailableException, validationException mid-stream are typed', async () => {
    const start = bedrockEvent('messageStart', { role: 'assistant' });
    const cases: [string, string, string, boolean][] = [
      ['modelStreamErrorException', 'The model failed. Retry your request.', 'server', true],
      ['serviceUnavailableException', 'Service unavailable', 'overloaded', true],
      ['internalServerException', 'Internal error', 'server', true],
      ['validationException', 'Input is too long for requested model.', 'context_length', false],
      ['validationException', 'messages: roles must alternate', 'bad_request', false],
    ];
    for (const [type, message, kind, retryable] of cases) {
      const { error } = await failure(concat(start, bedrockException(type, { message })));
      expect(error, type).toMatchObject({ kind, retryable });
    }
  });

  it('an unmodeled :message-type error frame carries :error-code and :error-message', async () => {
    const frame = encodeEventStreamMessage(
      {
        ':message-type': 'error',
        ':error-code': 'InternalFailure',
        ':error-message': 'We encountered an internal error.',
      },
      '',
    );
    const { error } = await failure(concat(bedrockEvent('messageStart', { role: 'assistant' }), frame));
    expect(error).toMatchObject({ kind: 'server', retryable: true, code: 'InternalFailure' });
    expect(error.message).toContain('We encountered an internal error.');
  });

  it('a tool block: contentBlockStart, string fragments joined and parsed at the stop; "" input is {}', async () => {
    const all = await parts(
      concat(
        bedrockEvent('messageStart', { role: 'assistant' }),
        bedrockEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Checking.' } }),
        bedrockEvent('contentBlockStop', { contentBlockIndex: 0 }),
        bedrockEvent('contentBlockStart', {
          contentBlockIndex: 1,
          start: { toolUse: { toolUseId: 'tooluse_a', name: 'weather' } },
        }),
        bedrockEvent('contentBlockDelta', {
          contentBlockIndex: 1,
          delta: { toolUse: { input: '{"city":' } },
        }),
        bedrockEvent('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '"Oslo"}' } } }),
        bedrockEvent('contentBlockStop', { contentBlockIndex: 1 }),
        bedrockEvent('contentBlockStart', {
          contentBlockIndex: 2,
          start: { toolUse: { toolUseId: 'tooluse_b', name: 'now' } },
        }),
        bedrockEvent('contentBlockDelta', { contentBlockIndex: 2, delta: { toolUse: { input: '' } } }),
        bedrockEvent('contentBlockStop', { contentBlockIndex: 2 }),
        bedrockEvent('messageStop', { stopReason: 'tool_use' }),
        bedrockEvent('metadata', { usage: { inputTokens: 5, outputTokens: 9, totalTokens: 14 } }),
      ),
    );
    expect(all.filter((p) => p.type === 'tool-call')).toEqual([
      { type: 'tool-call', id: 'tooluse_a', name: 'weather', arguments: '{"city":"Oslo"}' },
      { type: 'tool-call', id: 'tooluse_b', name: 'now', arguments: '{}' },
    ]);
    expect(all.at(-1)).toMatchObject({
      finishReason: 'tool-calls',
      usage: { promptTokens: 5, completionTokens: 9 },
    });
  });

  it('tool input that is not JSON at the stop fails the stream as invalid_response', async () => {
    const { error } = await failure(
      concat(
        bedrockEvent('messageStart', { role: 'assistant' }),
        bedrockEvent('contentBlockStart', {
          contentBlockIndex: 0,
          start: { toolUse: { toolUseId: 't', name: 'x' } },
        }),
        bedrockEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input: '{"a":' } } }),
        bedrockEvent('contentBlockStop', { contentBlockIndex: 0 }),
        bedrockEvent('messageStop', { stopReason: 'tool_use' }),
      ),
    );
    expect(error).toMatchObject({ kind: 'invalid_response' });
  });

  it('reasoning deltas, unknown events and padding are ignored; metadata cache counts join the prompt', async () => {
    const all = await parts(
      concat(
        bedrockEvent('messageStart', { role: 'assistant' }),
        bedrockEvent('contentBlockDelta', {
          contentBlockIndex: 0,
          delta: { reasoningContent: { text: 'hmm' } },
        }),
        bedrockEvent('contentBlockStop', { contentBlockIndex: 0 }),
        bedrockEvent('somethingNew', { x: 1 }),
        bedrockEvent('contentBlockDelta', { contentBlockIndex: 1, delta: { text: 'Hi' } }),
        bedrockEvent('contentBlockStop', { contentBlockIndex: 1 }),
        bedrockEvent('messageStop', { stopReason: 'end_turn' }),
        bedrockEvent('metadata', {
          usage: {
            inputTokens: 4,
            outputTokens: 1,
            totalTokens: 15,
            cacheReadInputTokens: 10,
            cacheWriteInputTokens: 0,
          },
        }),
      ),
    );
    expect(textOf(all)).toBe('Hi');
    expect(all.at(-1)).toMatchObject({
      usage: {
        promptTokens: 14,
        completionTokens: 1,
        totalTokens: 15,
        cacheReadTokens: 10,
        cacheWriteTokens: 0,
      },
    });
  });

  it('a stream that ends after the deltas but before messageStop is a retryable network error', async () => {
    const { error, parts: seen } = await failure(RECORDED.subarray(0, 184 + 170));
    expect(textOf(seen)).toBe('Hello');
    expect(error).toMatchObject({ kind: 'network', retryable: true });
    expect(error.message).toContain('messageStop');
  });

  it('a frame cut at EOF is a retryable network error; a corrupt frame an invalid_response after the good ones', async () => {
    const cut = await failure(RECORDED.subarray(0, 184 + 100));
    expect(cut.error).toMatchObject({ kind: 'network', retryable: true });
    const corrupt = RECORDED.slice();
    corrupt[184 + 170 + 120]! ^= 0x20;
    const bad = await failure(corrupt, 4096);
    expect(bad.error).toMatchObject({ kind: 'invalid_response', retryable: false });
    expect(textOf(bad.parts)).toBe('Hello');
  });

  it('an event payload that is not JSON is an invalid_response', async () => {
    const frame = encodeEventStreamMessage(
      { ':event-type': 'contentBlockDelta', ':content-type': 'application/json', ':message-type': 'event' },
      '{"contentBlockIndex":0,"delta":',
    );
    const { error } = await failure(concat(bedrockEvent('messageStart', { role: 'assistant' }), frame));
    expect(error).toMatchObject({ kind: 'invalid_response' });
  });
});
