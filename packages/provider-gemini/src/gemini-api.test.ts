import { checkGuardAgainstSchema } from '@llmo/testkit';
import { describe, expect, it } from 'vitest';
import { generateContentResponseZod, isGenerateContentResponse } from './gemini-api.js';

// Shapes from the protocol note's transcripts (shared/protocols/gemini.md): text, a function call with a
// thought signature, the last chunk with usage, a blocked prompt, a safety block.
const responses = [
  {
    candidates: [
      {
        content: { parts: [{ text: 'Hello' }], role: 'model' },
        finishReason: 'STOP',
        index: 0,
        safetyRatings: [{ category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE', blocked: false }],
      },
    ],
    usageMetadata: {
      promptTokenCount: 8,
      candidatesTokenCount: 1,
      totalTokenCount: 9,
      thoughtsTokenCount: 0,
      cachedContentTokenCount: 0,
      toolUsePromptTokenCount: 0,
    },
    modelVersion: 'gemini-2.5-flash',
    responseId: 'abc',
  },
  {
    candidates: [
      {
        content: {
          parts: [
            { text: 'thinking…', thought: true },
            { functionCall: { id: 'f1', name: 'weather', args: { city: 'Oslo' } }, thoughtSignature: 'CiQB' },
          ],
          role: 'model',
        },
        finishReason: 'STOP',
        finishMessage: null,
      },
    ],
  },
  { promptFeedback: { blockReason: 'SAFETY', blockReasonMessage: 'blocked', safetyRatings: [] } },
];

describe('the fast guard accepts only what the zod schema accepts, and passes it through unchanged', () => {
  it('responses and chunks: well-formed ones take the fast path; no mutant passes the guard that zod rejects', () => {
    const result = checkGuardAgainstSchema(isGenerateContentResponse, generateContentResponseZod, responses);
    expect(result.fixturesRefused).toEqual([]);
    expect(result.tooLoose).toEqual([]);
    expect(result.accepted).toBeGreaterThan(50);
  });

  it('int64 counts sent as strings are left to the schema, which converts them', () => {
    const chunk = { usageMetadata: { promptTokenCount: '8', totalTokenCount: 9 } };
    expect(isGenerateContentResponse(chunk)).toBe(false);
    expect(generateContentResponseZod.parse(chunk).usageMetadata).toEqual({
      promptTokenCount: 8,
      totalTokenCount: 9,
    });
    // What the guard accepts is exactly what the schema outputs (no transform is skipped).
    for (const response of responses)
      expect(generateContentResponseZod.parse(structuredClone(response))).toEqual(response);
  });
});
