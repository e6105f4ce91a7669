import * as z from '@llmo/core/zod';

// Wire schemas. int64 values (token counts) arrive as JSON strings; numbers are accepted too.
const int64 = z.optional(z.nullable(z.union([z.string(), z.number()])));

const messageSchema = z.looseObject({
  role: z.optional(z.string()),
  text: z.optional(z.nullable(z.string())),
  toolCallList: z.optional(
    z.nullable(
      z.looseObject({
        toolCalls: z.array(
          z.looseObject({
            functionCall: z.looseObject({ name: z.string(), arguments: z.optional(z.unknown()) }),
          }),
        ),
      }),
    ),
  ),
});

const resultSchema = z.looseObject({
  alternatives: z.array(z.looseObject({ message: messageSchema, status: z.optional(z.string()) })),
  usage: z.optional(
    z.nullable(z.looseObject({ inputTextTokens: int64, completionTokens: int64, totalTokens: int64 })),
  ),
  modelVersion: z.optional(z.nullable(z.string())),
});

/** A completion or one stream line: `{"result": …}` (as the REST examples send it) or the bare result (as the reference shows). */
export const completionEnvelopeSchema = z.looseObject({
  result: z.optional(resultSchema),
  alternatives: z.optional(resultSchema.shape.alternatives),
  usage: z.optional(resultSchema.shape.usage),
  modelVersion: z.optional(z.nullable(z.string())),
  error: z.optional(z.unknown()),
});

export const tokenizeSchema = z.looseObject({ tokens: z.optional(z.array(z.unknown())) });

/** `GET /v1/models` of the OpenAI-compatible endpoint: `{object:"list", data:[{id, owned_by, created}]}`. */
export const modelListSchema = z.looseObject({
  data: z.array(z.looseObject({ id: z.string(), owned_by: z.optional(z.nullable(z.string())) })),
});

export type YandexResult = z.infer<typeof resultSchema>;
export type YandexEnvelope = z.infer<typeof completionEnvelopeSchema>;

/** The result inside either envelope shape. */
export function unwrapResult(envelope: YandexEnvelope): YandexResult | undefined {
  if (envelope.result) return envelope.result;
  if (envelope.alternatives)
    return {
      alternatives: envelope.alternatives,
      usage: envelope.usage,
      modelVersion: envelope.modelVersion,
    };
  return undefined;
}
