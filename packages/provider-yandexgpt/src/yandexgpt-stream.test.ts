import type { StreamPart } from '@llmo/core/provider';
import { describe, expect, it } from 'vitest';
import { yandexStreamParts } from './yandexgpt-stream.js';

const line = (text: string, status: string, toolCalls?: { name: string; arguments: unknown }[]) => ({
  result: {
    alternatives: [
      {
        message: {
          role: 'assistant',
          text,
          ...(toolCalls
            ? { toolCallList: { toolCalls: toolCalls.map((functionCall) => ({ functionCall })) } }
            : {}),
        },
        status,
      },
    ],
    usage: { inputTextTokens: '3', completionTokens: '2', totalTokens: '5' },
    modelVersion: '1',
  },
});

async function parts(lines: unknown[]): Promise<StreamPart[]> {
  const body = new Response(lines.map((l) => `${JSON.stringify(l)}\n`).join('')).body!;
  const out: StreamPart[] = [];
  for await (const part of yandexStreamParts(body, { provider: 'p' })) out.push(part);
  return out;
}

describe('yandexgpt stream parts', () => {
  it('ends the text block before the first tool-call part, as the stream part contract orders', async () => {
    const out = await parts([
      line('Let me', 'ALTERNATIVE_STATUS_PARTIAL'),
      line('Let me check.', 'ALTERNATIVE_STATUS_TOOL_CALLS', [
        { name: 'weather', arguments: { city: 'Oslo' } },
      ]),
    ]);
    expect(out.map((p) => p.type)).toEqual([
      'text-start',
      'text-delta',
      'text-delta',
      'text-end',
      'tool-call-delta',
      'tool-call',
      'finish',
    ]);
    expect(out.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
  });

  it('a stream without a final status is truncated, a retryable network error', async () => {
    await expect(parts([line('Hi', 'ALTERNATIVE_STATUS_PARTIAL')])).rejects.toMatchObject({
      kind: 'network',
      retryable: true,
      message: 'p: the stream ended before a final status',
    });
  });
});
