import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors/provider-error.js';
import type { StreamPart } from '../spec/stream-part.js';
import { parseToolArguments, StreamAssembler } from './stream-assembler.js';

const assembler = (options: Partial<ConstructorParameters<typeof StreamAssembler>[0]> = {}) =>
  new StreamAssembler({ provider: 'p', ...options });

function caught(fn: () => unknown): ProviderError {
  try {
    fn();
  } catch (error) {
    if (ProviderError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a throw');
}

describe('StreamAssembler: text', () => {
  it('opens one block on the first text, skips empty deltas and closes it at the finish', () => {
    const a = assembler();
    const parts: StreamPart[] = [
      ...a.text(''),
      ...a.text('Hel'),
      ...a.text(undefined),
      ...a.text('lo'),
      ...a.finish({ finishReason: 'stop' }),
    ];
    expect(parts).toEqual([
      { type: 'text-start', id: '0' },
      { type: 'text-delta', id: '0', delta: 'Hel' },
      { type: 'text-delta', id: '0', delta: 'lo' },
      { type: 'text-end', id: '0' },
      { type: 'finish', finishReason: 'stop' },
    ]);
  });

  it('snapshots: deltas while the text grows, a text-revision when earlier text changed', () => {
    const a = assembler();
    const parts = [
      ...a.textSnapshot(''),
      ...a.textSnapshot('Привет'),
      ...a.textSnapshot('Привет'),
      ...a.textSnapshot('Привет, мор'),
      ...a.textSnapshot('Привет, мир!'),
      ...a.textSnapshot('Привет, мир! Как'),
    ];
    expect(parts).toEqual([
      { type: 'text-start', id: '0' },
      { type: 'text-delta', id: '0', delta: 'Привет' },
      { type: 'text-delta', id: '0', delta: ', мор' },
      { type: 'text-revision', id: '0', text: 'Привет, мир!' },
      { type: 'text-delta', id: '0', delta: ' Как' },
    ]);
    expect(a.revisions).toBe(1);
  });
});

describe('StreamAssembler: tool calls', () => {
  it('ends the text block before the first tool-call part; later text opens the next block', () => {
    const a = assembler();
    const parts = [
      ...a.text('Let me check.'),
      ...a.toolCall({ id: 'a', name: 'weather', arguments: '{}' }),
      ...a.text('Done.'),
      ...a.finish({ finishReason: 'tool-calls' }),
    ];
    expect(parts.map((p) => p.type)).toEqual([
      'text-start',
      'text-delta',
      'text-end',
      'tool-call-delta',
      'tool-call',
      'text-start',
      'text-delta',
      'text-end',
      'finish',
    ]);
    expect(parts[5]).toEqual({ type: 'text-start', id: '1' });
    expect(a.toolCallCount).toBe(1);
  });

  it('assembles fragments by index and emits the calls at the finish', () => {
    const a = assembler();
    const parts = [
      ...a.text('x'),
      ...a.toolCallFragment({ index: 0, id: 'a', name: 'weather', argumentsDelta: '' }),
      ...a.toolCallFragment({ index: 1, id: 'b', name: 'time', argumentsDelta: '{}' }),
      ...a.toolCallFragment({ index: 0, argumentsDelta: '{"city":' }),
      ...a.toolCallFragment({ index: 0, argumentsDelta: '"Oslo"}' }),
      ...a.finish({ finishReason: 'tool-calls', usage: { promptTokens: 1 } }),
    ];
    expect(parts.slice(2)).toEqual([
      { type: 'text-end', id: '0' },
      { type: 'tool-call-delta', toolCallId: 'b', toolName: 'time', argumentsDelta: '{}' },
      { type: 'tool-call-delta', toolCallId: 'a', toolName: 'weather', argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', toolCallId: 'a', toolName: 'weather', argumentsDelta: '"Oslo"}' },
      { type: 'tool-call', id: 'a', name: 'weather', arguments: '{"city":"Oslo"}' },
      { type: 'tool-call', id: 'b', name: 'time', arguments: '{}' },
      { type: 'finish', finishReason: 'tool-calls', usage: { promptTokens: 1 } },
    ]);
  });

  it('fragments without index continue the last call unless they start another', () => {
    const a = assembler();
    const parts = [
      ...a.toolCallFragment({ id: 'a', name: 'weather', argumentsDelta: '' }),
      ...a.toolCallFragment({ argumentsDelta: '{"city":"Oslo"}' }),
      ...a.toolCallFragment({ id: 'b', name: 'time', argumentsDelta: '{}' }),
      ...a.toolCallFragment({ name: 'third', argumentsDelta: '{}' }),
      ...a.finish({ finishReason: 'tool-calls' }),
    ];
    expect(parts.filter((p) => p.type === 'tool-call')).toEqual([
      { type: 'tool-call', id: 'a', name: 'weather', arguments: '{"city":"Oslo"}' },
      { type: 'tool-call', id: 'b', name: 'time', arguments: '{}' },
      { type: 'tool-call', id: 'call_2', name: 'third', arguments: '{}' },
    ]);
    expect(a.toolCallCount).toBe(3);
  });

  it('keeps arguments that are not JSON by default, and fails on them with invalidToolArguments: error', () => {
    const keep = assembler();
    keep.toolCallFragment({ index: 0, id: 'a', name: 'f', argumentsDelta: '{"x":' });
    expect(keep.finish({ finishReason: 'tool-calls' })).toContainEqual({
      type: 'tool-call',
      id: 'a',
      name: 'f',
      arguments: '{"x":',
    });

    const strict = assembler({ invalidToolArguments: 'error' });
    strict.toolCallFragment({ index: 0, id: 'a', name: 'f', argumentsDelta: '{"x":' });
    const error = caught(() => strict.finish({ finishReason: 'tool-calls' }));
    expect(error.kind).toBe('invalid_response');
    expect(error.message).toBe('p: arguments of tool call "f" are not JSON');
    expect(
      caught(() =>
        assembler({ invalidToolArguments: 'error' }).toolCall({ id: 'a', name: 'f', arguments: 'x' }),
      ).kind,
    ).toBe('invalid_response');
  });

  it('a call streamed without arguments has arguments {}', () => {
    const a = assembler({ invalidToolArguments: 'error' });
    a.toolCallFragment({ index: 0, id: 'a', name: 'now', argumentsDelta: '' });
    expect(a.finish({ finishReason: 'tool-calls' })).toContainEqual({
      type: 'tool-call',
      id: 'a',
      name: 'now',
      arguments: '{}',
    });
  });
});

describe('StreamAssembler: finish and truncation', () => {
  it('a stream without a finish reason and without its end marker is truncated: a retryable network error', () => {
    const a = assembler({ endedEarly: 'before its finish_reason or [DONE]' });
    a.text('partial');
    const error = caught(() => a.finish({ finishReason: undefined }));
    expect(error.kind).toBe('network');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('p: the stream ended before its finish_reason or [DONE]');
    expect(assembler().truncated().message).toBe('p: the stream ended before a finish reason');
  });

  it('puts the response request id on the errors it raises', () => {
    const a = assembler({ requestId: 'req_7', invalidToolArguments: 'error' });
    expect(a.truncated().requestId).toBe('req_7');
    a.toolCallFragment({ index: 0, id: 'a', name: 'f', argumentsDelta: '{' });
    expect(caught(() => a.finish({ finishReason: 'tool-calls' })).requestId).toBe('req_7');
  });

  it('an end marker without a finish reason finishes with unknown; extra keys are copied as given', () => {
    const a = assembler();
    expect(
      a.finish({ finishReason: undefined, complete: true, usage: undefined, providerMetadata: { x: 1 } }),
    ).toStrictEqual([
      { type: 'finish', finishReason: 'unknown', usage: undefined, providerMetadata: { x: 1 } },
    ]);
    expect(() => a.finish({ finishReason: 'stop' })).toThrow(/twice/);
  });
});

describe('parseToolArguments', () => {
  it('parses JSON text, empty as {}, and rejects the rest as bad_request', () => {
    expect(parseToolArguments({ name: 'f', arguments: '{"a":1}' }, { provider: 'p' })).toEqual({ a: 1 });
    expect(parseToolArguments({ name: 'f', arguments: '' }, { provider: 'p' })).toEqual({});
    const error = caught(() => parseToolArguments({ name: 'f', arguments: '{' }, { provider: 'p' }));
    expect(error.kind).toBe('bad_request');
    expect(error.message).toBe('p: arguments of "f" are not JSON');
    expect(
      caught(() =>
        parseToolArguments(
          { name: 'f', arguments: '{' },
          { provider: 'p', message: 'tool call "f" has arguments that are not JSON' },
        ),
      ).message,
    ).toBe('p: tool call "f" has arguments that are not JSON');
  });
});
