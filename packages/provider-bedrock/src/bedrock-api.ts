import * as z from '@llmo/core/zod';

// Wire schemas (Smithy `ConverseResponse`, `ConverseStreamOutput`, `ListFoundationModelsResponse`): only the
// fields we read, tolerant of nulls, absent fields and unknown keys — every stream payload carries a `p`
// padding field, and new members appear over time (pitfall 6).

const text = z.optional(z.nullable(z.string()));
const count = z.optional(z.nullable(z.number()));

export const usageSchema = z.looseObject({
  inputTokens: count,
  outputTokens: count,
  totalTokens: count,
  cacheReadInputTokens: count,
  cacheWriteInputTokens: count,
});

const contentBlockSchema = z.looseObject({
  text,
  toolUse: z.optional(
    z.nullable(z.looseObject({ toolUseId: text, name: text, input: z.optional(z.unknown()) })),
  ),
});

export const converseResponseSchema = z.looseObject({
  output: z.optional(
    z.nullable(
      z.looseObject({
        message: z.optional(
          z.nullable(
            z.looseObject({ role: text, content: z.optional(z.nullable(z.array(contentBlockSchema))) }),
          ),
        ),
      }),
    ),
  ),
  stopReason: text,
  usage: z.optional(z.nullable(usageSchema)),
  metrics: z.optional(z.nullable(z.looseObject({ latencyMs: count }))),
});

/** Every ConverseStream event payload in one tolerant shape; which fields matter depends on `:event-type`. */
export const streamEventSchema = z.looseObject({
  role: text,
  contentBlockIndex: count,
  start: z.optional(
    z.nullable(
      z.looseObject({ toolUse: z.optional(z.nullable(z.looseObject({ toolUseId: text, name: text }))) }),
    ),
  ),
  delta: z.optional(
    z.nullable(
      z.looseObject({
        text,
        toolUse: z.optional(z.nullable(z.looseObject({ input: text }))),
      }),
    ),
  ),
  stopReason: text,
  usage: z.optional(z.nullable(usageSchema)),
  metrics: z.optional(z.nullable(z.looseObject({ latencyMs: count }))),
});

export const foundationModelsSchema = z.looseObject({
  modelSummaries: z.optional(
    z.nullable(
      z.array(
        z.looseObject({
          modelId: z.string(),
          modelArn: text,
          modelName: text,
          providerName: text,
          inputModalities: z.optional(z.nullable(z.array(z.string()))),
          outputModalities: z.optional(z.nullable(z.array(z.string()))),
          responseStreamingSupported: z.optional(z.nullable(z.boolean())),
          inferenceTypesSupported: z.optional(z.nullable(z.array(z.string()))),
          modelLifecycle: z.optional(z.nullable(z.looseObject({ status: text }))),
        }),
      ),
    ),
  ),
});

export type BedrockUsage = z.infer<typeof usageSchema>;
export type BedrockStreamEvent = z.infer<typeof streamEventSchema>;
export type ConverseResponse = z.infer<typeof converseResponseSchema>;
