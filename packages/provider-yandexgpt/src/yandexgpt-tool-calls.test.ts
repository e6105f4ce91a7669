import { describe, expect, it } from 'vitest';
import type { YandexResult } from './yandexgpt-api.js';
import { toYandexMessages } from './yandexgpt-messages.js';
import { yandexToolCalls } from './yandexgpt-response.js';

const result = (names: string[]) =>
  ({
    alternatives: [
      {
        status: 'ALTERNATIVE_STATUS_TOOL_CALLS',
        message: {
          role: 'assistant',
          toolCallList: {
            toolCalls: names.map((name, i) => ({ functionCall: { name, arguments: { n: i } } })),
          },
        },
      },
    ],
  }) as unknown as YandexResult;

describe('YandexGPT tool call ids', () => {
  it('two calls to the same function get unique ids (the first keeps the name, as the OpenAI layer does)', () => {
    const calls = yandexToolCalls(result(['weather', 'time', 'weather', 'weather']));
    expect(calls.map((c) => c.id)).toEqual(['weather', 'time', 'weather#2', 'weather#3']);
    expect(calls.map((c) => c.name)).toEqual(['weather', 'time', 'weather', 'weather']);
  });

  it('a tool result answers its call by id, named after the function on the wire', () => {
    const calls = yandexToolCalls(result(['weather', 'weather']));
    const wire = toYandexMessages(
      [
        { role: 'user', content: 'Oslo and Bergen?' },
        { role: 'assistant', content: '', toolCalls: calls },
        { role: 'tool', toolCallId: 'weather#2', content: 'rain' },
        { role: 'tool', toolCallId: 'weather', content: 'sun' },
      ],
      'y',
    );
    expect(wire.slice(2)).toEqual([
      {
        role: 'user',
        toolResultList: { toolResults: [{ functionResult: { name: 'weather', content: 'rain' } }] },
      },
      {
        role: 'user',
        toolResultList: { toolResults: [{ functionResult: { name: 'weather', content: 'sun' } }] },
      },
    ]);
  });
});
