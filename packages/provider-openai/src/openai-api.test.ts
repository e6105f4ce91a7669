import { checkGuardAgainstSchema } from '@llmo/testkit';
import { describe, expect, it } from 'vitest';
import {
  chatCompletionChunkZod,
  chatCompletionZod,
  isChatCompletion,
  isChatCompletionChunk,
} from './openai-api.js';

const completion = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  model: 'gpt-4o-mini',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
        ],
      },
      finish_reason: 'tool_calls',
    },
  ],
  usage: {
    prompt_tokens: 9,
    completion_tokens: 3,
    total_tokens: 12,
    prompt_tokens_details: { cached_tokens: 0 },
  },
};
const chunks = [
  {
    id: 'c',
    model: 'm',
    choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: null }],
  },
  {
    id: 'c',
    model: 'm',
    choices: [
      {
        index: 0,
        delta: { tool_calls: [{ index: 0, id: 'call_1', function: { name: 'f', arguments: '{"a"' } }] },
        finish_reason: null,
      },
    ],
  },
  { id: 'c', model: 'm', choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } },
  { id: null, choices: null, usage: null, obfuscation: 'x' },
];

describe('the fast guards accept only what the zod schemas accept', () => {
  it('completion: well-formed bodies take the fast path; no mutant passes the guard that zod rejects', () => {
    const result = checkGuardAgainstSchema(isChatCompletion, chatCompletionZod(), [completion]);
    expect(result.fixturesRefused).toEqual([]);
    expect(result.tooLoose).toEqual([]);
    expect(result.accepted).toBeGreaterThan(20); // the guard is not simply refusing everything
  });

  it('chunks: the same, for text, tool-call, usage-only and all-null chunks', () => {
    const result = checkGuardAgainstSchema(isChatCompletionChunk, chatCompletionChunkZod(), chunks);
    expect(result.fixturesRefused).toEqual([]);
    expect(result.tooLoose).toEqual([]);
    expect(result.accepted).toBeGreaterThan(20);
  });
});
