import { checkGuardAgainstSchema } from '@llmo/testkit';
import { describe, expect, it } from 'vitest';
import { completionEnvelopeZod, isCompletionEnvelope } from './yandexgpt-api.js';

// Shapes from the protocol note's transcripts (shared/protocols/yandexgpt.md): both envelopes, a tool call,
// and an error line inside a 200 stream.
const envelopes = [
  {
    result: {
      alternatives: [{ message: { role: 'assistant', text: 'Привет!' }, status: 'ALTERNATIVE_STATUS_FINAL' }],
      usage: { inputTextTokens: '19', completionTokens: '3', totalTokens: '22' },
      modelVersion: '23.10.2024',
    },
  },
  {
    alternatives: [
      {
        message: {
          role: 'assistant',
          toolCallList: {
            toolCalls: [{ functionCall: { name: 'weather', arguments: { city: 'Москва' } } }],
          },
        },
        status: 'ALTERNATIVE_STATUS_TOOL_CALLS',
      },
    ],
    usage: { inputTextTokens: 40, completionTokens: 12, totalTokens: 52 },
    modelVersion: '23.10.2024',
  },
  {
    result: {
      alternatives: [{ message: { role: 'assistant', text: 'При' }, status: 'ALTERNATIVE_STATUS_PARTIAL' }],
      usage: { inputTextTokens: '19', completionTokens: '1', totalTokens: '20' },
      modelVersion: '23.10.2024',
    },
  },
  { error: { grpcCode: 8, httpCode: 429, message: 'ai.languageModels.user.completions.maxTokens' } },
];

describe('the fast guard accepts only what the zod schema accepts', () => {
  it('both envelopes and stream lines: well-formed ones take the fast path; no mutant passes that zod rejects', () => {
    const result = checkGuardAgainstSchema(isCompletionEnvelope, completionEnvelopeZod(), envelopes);
    expect(result.fixturesRefused).toEqual([]);
    expect(result.tooLoose).toEqual([]);
    expect(result.accepted).toBeGreaterThan(20);
  });
});
