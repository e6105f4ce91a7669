import type { StreamPart } from '@llmo/core/provider';
import { describe, expect, it } from 'vitest';
import { openAIStreamParts } from './openai-stream.js';

/** An SSE body of `data:` events, as the server sends them, ending with [DONE]. */
function sse(events: unknown[]): ReadableStream<Uint8Array> {
  const text = `${events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('')}data: [DONE]\n\n`;
  return new Response(text).body!;
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: 'c1',
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: finish }],
});

async function parts(events: unknown[]): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of openAIStreamParts(sse(events), { provider: 'p' })) out.push(part);
  return out;
}

describe('tool calls in an OpenAI-compatible stream', () => {
  it('fragments without `index` (several compatible servers omit it) do not merge two calls into one', async () => {
    const out = await parts([
      chunk({ tool_calls: [{ id: 'a', type: 'function', function: { name: 'weather', arguments: '' } }] }),
      chunk({ tool_calls: [{ function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ function: { arguments: '"Oslo"}' } }] }),
      chunk({ tool_calls: [{ id: 'b', type: 'function', function: { name: 'time', arguments: '{}' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    expect(out.filter((p) => p.type === 'tool-call')).toEqual([
      { type: 'tool-call', id: 'a', name: 'weather', arguments: '{"city":"Oslo"}' },
      { type: 'tool-call', id: 'b', name: 'time', arguments: '{}' },
    ]);
  });

  it('a second named call without id or index also starts a new call', async () => {
    const out = await parts([
      chunk({ tool_calls: [{ function: { name: 'one', arguments: '{}' } }] }),
      chunk({ tool_calls: [{ function: { name: 'two', arguments: '{}' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    expect(out.filter((p) => p.type === 'tool-call').map((p) => (p as { name: string }).name)).toEqual([
      'one',
      'two',
    ]);
  });

  it('ends the text block before the first tool-call part, as the stream part contract orders', async () => {
    const out = await parts([
      chunk({ content: 'Let me check.' }),
      chunk({ tool_calls: [{ index: 0, id: 'a', function: { name: 'weather', arguments: '{}' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    const types = out.map((p) => p.type);
    expect(types.indexOf('text-end')).toBeGreaterThan(types.indexOf('text-delta'));
    expect(types.indexOf('text-end')).toBeLessThan(types.indexOf('tool-call-delta'));
    expect(types.filter((t) => t === 'text-end')).toHaveLength(1);
  });
});
