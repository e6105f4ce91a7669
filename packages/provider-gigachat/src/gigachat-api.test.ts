import { checkGuardAgainstSchema } from '@llmo/testkit';
import { describe, expect, it } from 'vitest';
import { chunkZod, completionZod, isChunk, isCompletion } from './gigachat-api.js';

// Shapes from the protocol note's transcripts (shared/protocols/gigachat.md).
const completions = [
  {
    choices: [{ message: { content: 'Привет!', role: 'assistant' }, index: 0, finish_reason: 'stop' }],
    created: 1700000000,
    model: 'GigaChat:1.0.26.20',
    object: 'chat.completion',
    usage: { prompt_tokens: 18, completion_tokens: 3, total_tokens: 21, precached_prompt_tokens: 0 },
  },
  {
    choices: [
      {
        message: {
          content: '',
          role: 'assistant',
          function_call: { name: 'weather', arguments: { city: 'Москва' } },
          functions_state_id: '77d3fb14-457a-46ba-937e-8d856156d003',
        },
        index: 0,
        finish_reason: 'function_call',
      },
    ],
    model: 'GigaChat-Pro:2.0',
    object: 'chat.completions',
  },
];
const chunks = [
  {
    choices: [{ delta: { content: 'При', role: 'assistant' }, index: 0 }],
    created: 1700000000,
    model: 'GigaChat:1.0.26.20',
    object: 'chat.completion',
  },
  {
    choices: [{ delta: { content: '' }, index: 0, finish_reason: 'stop' }],
    model: 'GigaChat:1.0.26.20',
    usage: { prompt_tokens: 18, completion_tokens: 3, total_tokens: 21 },
  },
  {
    choices: [
      {
        delta: { role: 'assistant', function_call: { name: 'weather', arguments: { city: 'Москва' } } },
        finish_reason: 'function_call',
      },
    ],
  },
  { status: 429, message: 'Too Many Requests' },
];

describe('the fast guards accept only what the zod schemas accept', () => {
  it('completions: well-formed bodies take the fast path; no mutant passes the guard that zod rejects', () => {
    const result = checkGuardAgainstSchema(isCompletion, completionZod(), completions);
    expect(result.fixturesRefused).toEqual([]);
    expect(result.tooLoose).toEqual([]);
    expect(result.accepted).toBeGreaterThan(20);
  });

  it('chunks: text, finish + usage, function call and in-stream error chunks', () => {
    const result = checkGuardAgainstSchema(isChunk, chunkZod(), chunks);
    expect(result.fixturesRefused).toEqual([]);
    expect(result.tooLoose).toEqual([]);
    expect(result.accepted).toBeGreaterThan(20);
  });
});
