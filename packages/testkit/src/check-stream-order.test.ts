import type { StreamPart } from '@llmo/core';
import { describe, expect, it } from 'vitest';
import { checkStreamOrder } from './describe-provider.js';

const finish: StreamPart = { type: 'finish', finishReason: 'stop' };
const start: StreamPart = { type: 'stream-start', warnings: [] };
const call: StreamPart[] = [
  { type: 'tool-call-delta', toolCallId: 'c', toolName: 'f', argumentsDelta: '{}' },
  { type: 'tool-call', id: 'c', name: 'f', arguments: '{}' },
];

describe('checkStreamOrder', () => {
  it('accepts text, then the closed block, then tool parts, then one finish', () => {
    expect(() =>
      checkStreamOrder([
        start,
        { type: 'text-start', id: '0' },
        { type: 'text-delta', id: '0', delta: 'Hi' },
        { type: 'text-end', id: '0' },
        ...call,
        finish,
      ]),
    ).not.toThrow();
  });

  it('names each broken rule', () => {
    expect(() => checkStreamOrder([{ type: 'text-start', id: '0' }, finish])).toThrow(
      /first part must be stream-start/,
    );
    expect(() => checkStreamOrder([start, finish, finish])).toThrow(/exactly one finish/);
    expect(() => checkStreamOrder([start, { type: 'text-delta', id: '0', delta: 'x' }, finish])).toThrow(
      /outside its open text block/,
    );
    expect(() => checkStreamOrder([start, { type: 'text-start', id: '0' }, finish])).toThrow(/left open: 0/);
    expect(() =>
      checkStreamOrder([
        start,
        { type: 'text-start', id: '0' },
        ...call,
        { type: 'text-end', id: '0' },
        finish,
      ]),
    ).toThrow(/text block 0 still open at a tool-call-delta part/);
  });
});
