import { wire, withFastCheck } from '@llmo/core/provider';
import * as z from '@llmo/core/zod';

// Wire schemas: only the fields we read, tolerant of nulls, absent fields and unknown keys. The REST API is
// proto3-JSON: camelCase names, enums as UPPER_SNAKE strings, and int64 values may arrive as strings
// (../shared/protocols/gemini.md, the note's preamble), so counts accept both.

const text = z.optional(z.nullable(z.string()));
const count = z.optional(
  z.nullable(
    z.pipe(
      z.union([z.number(), z.string()]),
      z.transform((value) => {
        const n = typeof value === 'number' ? value : Number(value);
        return Number.isFinite(n) ? n : undefined;
      }),
    ),
  ),
);

export const usageMetadataSchema = z.looseObject({
  promptTokenCount: count,
  cachedContentTokenCount: count,
  candidatesTokenCount: count,
  toolUsePromptTokenCount: count,
  thoughtsTokenCount: count,
  totalTokenCount: count,
});

export const partSchema = z.looseObject({
  text,
  /** A thought summary (with `thinkingConfig.includeThoughts`), not answer text. */
  thought: z.optional(z.nullable(z.boolean())),
  thoughtSignature: text,
  functionCall: z.optional(
    z.nullable(z.looseObject({ id: text, name: text, args: z.optional(z.nullable(z.unknown())) })),
  ),
});

const safetyRatingSchema = z.looseObject({
  category: text,
  probability: text,
  blocked: z.optional(z.nullable(z.boolean())),
});

export const candidateSchema = z.looseObject({
  content: z.optional(
    z.nullable(z.looseObject({ role: text, parts: z.optional(z.nullable(z.array(partSchema))) })),
  ),
  finishReason: text,
  finishMessage: text,
  safetyRatings: z.optional(z.nullable(z.array(safetyRatingSchema))),
  index: count,
});

export const promptFeedbackSchema = z.looseObject({
  blockReason: text,
  blockReasonMessage: text,
  safetyRatings: z.optional(z.nullable(z.array(safetyRatingSchema))),
});

/** One `generateContent` response, or one streamed chunk (same shape, parts are deltas). */
export const generateContentResponseZod = z.looseObject({
  candidates: z.optional(z.nullable(z.array(candidateSchema))),
  promptFeedback: z.optional(z.nullable(promptFeedbackSchema)),
  usageMetadata: z.optional(z.nullable(usageMetadataSchema)),
  modelVersion: text,
  responseId: text,
});

export const modelListSchema = z.looseObject({
  models: z.optional(
    z.nullable(
      z.array(
        z.looseObject({
          name: z.string(),
          version: text,
          displayName: text,
          description: text,
          inputTokenLimit: count,
          outputTokenLimit: count,
          supportedGenerationMethods: z.optional(z.nullable(z.array(z.string()))),
          thinking: z.optional(z.nullable(z.boolean())),
        }),
      ),
    ),
  ),
  nextPageToken: text,
});

export const countTokensSchema = z.looseObject({
  totalTokens: count,
  cachedContentTokenCount: count,
});

const embeddingSchema = z.looseObject({ values: z.array(z.number()) });

export const embedContentSchema = z.looseObject({
  embedding: embeddingSchema,
  usageMetadata: z.optional(z.nullable(z.looseObject({ promptTokenCount: count, totalTokenCount: count }))),
});

export const batchEmbedContentsSchema = z.looseObject({
  embeddings: z.array(embeddingSchema),
  usageMetadata: z.optional(z.nullable(z.looseObject({ promptTokenCount: count, totalTokenCount: count }))),
});

export type GeminiUsageMetadata = z.infer<typeof usageMetadataSchema>;
export type GeminiResponse = z.infer<typeof generateContentResponseZod>;
export type GeminiCandidate = z.infer<typeof candidateSchema>;
export type GeminiPart = z.infer<typeof partSchema>;
export type GeminiSafetyRating = z.infer<typeof safetyRatingSchema>;

// The hand-written guard for the shape read on every response and stream chunk (see `withFastCheck`). It
// accepts counts only as numbers (the schema also takes int64 strings and converts them: those go to zod), so
// what it passes through is exactly what the schema would output; gemini-api.test.ts checks it over mutated
// fixtures.
const { object, optionalString: str, optionalNumber: num, optionalArray } = wire;
const optionalBoolean = (v: unknown) => v == null || typeof v === 'boolean';

const isUsage = (v: unknown): boolean =>
  v == null ||
  (object(v) &&
    num(v.promptTokenCount) &&
    num(v.cachedContentTokenCount) &&
    num(v.candidatesTokenCount) &&
    num(v.toolUsePromptTokenCount) &&
    num(v.thoughtsTokenCount) &&
    num(v.totalTokenCount));

const isPart = (v: unknown): boolean =>
  object(v) &&
  str(v.text) &&
  optionalBoolean(v.thought) &&
  str(v.thoughtSignature) &&
  (v.functionCall == null || (object(v.functionCall) && str(v.functionCall.id) && str(v.functionCall.name)));

const isSafetyRating = (v: unknown): boolean =>
  object(v) && str(v.category) && str(v.probability) && optionalBoolean(v.blocked);

const isCandidate = (v: unknown): boolean =>
  object(v) &&
  (v.content == null ||
    (object(v.content) && str(v.content.role) && optionalArray(v.content.parts, isPart))) &&
  str(v.finishReason) &&
  str(v.finishMessage) &&
  optionalArray(v.safetyRatings, isSafetyRating) &&
  num(v.index);

export const isGenerateContentResponse = (v: unknown): v is GeminiResponse =>
  object(v) &&
  optionalArray(v.candidates, isCandidate) &&
  (v.promptFeedback == null ||
    (object(v.promptFeedback) &&
      str(v.promptFeedback.blockReason) &&
      str(v.promptFeedback.blockReasonMessage) &&
      optionalArray(v.promptFeedback.safetyRatings, isSafetyRating))) &&
  isUsage(v.usageMetadata) &&
  str(v.modelVersion) &&
  str(v.responseId);

/** The schema the provider parses with: the guard first, zod when it says no. */
export const generateContentResponseSchema = withFastCheck(
  isGenerateContentResponse,
  generateContentResponseZod,
);
