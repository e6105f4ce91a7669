import { checkGuardAgainstSchema } from '@llmo/testkit';
import { describe, expect, it } from 'vitest';
import { chatResponseZod, isChatResponse } from './ollama-api.js';

// Shapes from the protocol note's transcripts (shared/protocols/ollama.md).
const answers = [
  {
    model: 'llama3.2',
    created_at: '2024-07-22T20:33:28.123648Z',
    message: { role: 'assistant', content: 'Hello! How can I help?' },
    done_reason: 'stop',
    done: true,
    total_duration: 5191566416,
    load_duration: 2154458,
    prompt_eval_count: 26,
    prompt_eval_duration: 383809000,
    eval_count: 298,
    eval_duration: 4799921000,
  },
  {
    model: 'llama3.2',
    message: {
      role: 'assistant',
      content: '',
      tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Oslo' } } }],
    },
    done: true,
    done_reason: 'stop',
  },
  { model: 'llama3.2', message: { role: 'assistant', content: 'Hel' }, done: false },
  { error: 'model "nope" not found, try pulling it first' },
];

describe('the fast guard accepts only what the zod schema accepts', () => {
  it('answers and stream lines: well-formed ones take the fast path; no mutant passes that zod rejects', () => {
    const result = checkGuardAgainstSchema(isChatResponse, chatResponseZod(), answers);
    expect(result.fixturesRefused).toEqual([]);
    expect(result.tooLoose).toEqual([]);
    expect(result.accepted).toBeGreaterThan(20);
  });
});
