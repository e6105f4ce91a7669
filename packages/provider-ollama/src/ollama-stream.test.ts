import type { StreamPart } from '@llmo/core/provider';
import { describe, expect, it } from 'vitest';
import { ollamaStreamParts } from './ollama-stream.js';

async function parts(lines: unknown[]): Promise<StreamPart[]> {
  const body = new Response(lines.map((line) => `${JSON.stringify(line)}\n`).join('')).body!;
  const out: StreamPart[] = [];
  for await (const part of ollamaStreamParts(body, { provider: 'p' })) out.push(part);
  return out;
}

describe('ollama stream parts', () => {
  it('ends the text block before the first tool-call part, as the stream part contract orders', async () => {
    const out = await parts([
      { model: 'm', message: { role: 'assistant', content: 'Let me check.' }, done: false },
      {
        model: 'm',
        message: {
          role: 'assistant',
          content: '',
          tool_calls: [{ function: { name: 'f', arguments: { a: 1 } } }],
        },
        done: false,
      },
      { model: 'm', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' },
    ]);
    expect(out.map((p) => p.type)).toEqual([
      'text-start',
      'text-delta',
      'text-end',
      'tool-call-delta',
      'tool-call',
      'finish',
    ]);
    expect(out.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
  });

  it('a stream without done: true is truncated, a retryable network error', async () => {
    await expect(
      parts([{ model: 'm', message: { role: 'assistant', content: 'Hi' }, done: false }]),
    ).rejects.toMatchObject({
      kind: 'network',
      retryable: true,
      message: 'p: the stream ended without a done:true object',
    });
  });
});
