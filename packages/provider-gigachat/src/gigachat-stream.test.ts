import type { StreamPart } from '@llmo/core/provider';
import { describe, expect, it } from 'vitest';
import { gigachatStreamParts } from './gigachat-stream.js';

async function parts(events: unknown[], done = true): Promise<StreamPart[]> {
  const text = `${events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('')}${done ? 'data: [DONE]\n\n' : ''}`;
  const out: StreamPart[] = [];
  for await (const part of gigachatStreamParts(new Response(text).body!, { provider: 'p' })) out.push(part);
  return out;
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  model: 'GigaChat',
  choices: [{ index: 0, delta, finish_reason: finish }],
});

describe('gigachat stream parts', () => {
  it('ends the text block before the first tool-call part, as the stream part contract orders', async () => {
    const out = await parts([
      chunk({ role: 'assistant', content: 'Let me check.' }),
      chunk(
        {
          content: '',
          function_call: { name: 'weather', arguments: { city: 'Oslo' } },
          functions_state_id: '6c1c6d6a-7c1e-4a55-9a3b-0c5c1e8a3f10',
        },
        'function_call',
      ),
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

  it('a stream without a finish_reason or [DONE] is truncated, a retryable network error', async () => {
    await expect(parts([chunk({ content: 'Hi' })], false)).rejects.toMatchObject({
      kind: 'network',
      retryable: true,
      message: 'p: the stream ended before its finish_reason or [DONE]',
    });
  });
});
