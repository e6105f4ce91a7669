import { lazySchema, wire, withFastCheck } from '@llmo/core/provider';
import * as z from '@llmo/core/zod';

// Wire schemas. int64 values (token counts) arrive as JSON strings; numbers are accepted too. Built on first
// use: the guard below answers every well-formed completion and stream line.
const int64 = () => z.optional(z.nullable(z.union([z.string(), z.number()])));

const messageZod = () =>
  z.looseObject({
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

const alternativesZod = () =>
  z.array(z.looseObject({ message: messageZod(), status: z.optional(z.string()) }));
const usageZod = () =>
  z.optional(
    z.nullable(z.looseObject({ inputTextTokens: int64(), completionTokens: int64(), totalTokens: int64() })),
  );

const resultZod = () =>
  z.looseObject({
    alternatives: alternativesZod(),
    usage: usageZod(),
    modelVersion: z.optional(z.nullable(z.string())),
  });

/** A completion or one stream line: `{"result": …}` (as the REST examples send it) or the bare result (as the reference shows). */
export const completionEnvelopeZod = () =>
  z.looseObject({
    result: z.optional(resultZod()),
    alternatives: z.optional(alternativesZod()),
    usage: usageZod(),
    modelVersion: z.optional(z.nullable(z.string())),
    error: z.optional(z.unknown()),
  });

export const tokenizeSchema = lazySchema(() => z.looseObject({ tokens: z.optional(z.array(z.unknown())) }));

/** `GET /v1/models` of the OpenAI-compatible endpoint: `{object:"list", data:[{id, owned_by, created}]}`. */
export const modelListSchema = lazySchema(() =>
  z.looseObject({
    data: z.array(z.looseObject({ id: z.string(), owned_by: z.optional(z.nullable(z.string())) })),
  }),
);

export type YandexResult = z.infer<ReturnType<typeof resultZod>>;
export type YandexEnvelope = z.infer<ReturnType<typeof completionEnvelopeZod>>;

// The hand-written guard for the shape read on every call and every stream line (see `withFastCheck`): it
// accepts only what the schema accepts, which yandexgpt-api.test.ts checks over mutated fixtures.
const { object, optionalString: str, optionalArray } = wire;
const optionalString = (v: unknown) => v === undefined || typeof v === 'string';
const int64Value = (v: unknown) =>
  v == null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

const isMessage = (v: unknown): boolean =>
  object(v) &&
  optionalString(v.role) &&
  str(v.text) &&
  (v.toolCallList == null ||
    (object(v.toolCallList) &&
      Array.isArray(v.toolCallList.toolCalls) &&
      optionalArray(
        v.toolCallList.toolCalls,
        (call) => object(call) && object(call.functionCall) && typeof call.functionCall.name === 'string',
      )));

const isAlternatives = (v: unknown): boolean =>
  Array.isArray(v) &&
  optionalArray(
    v,
    (alternative) =>
      object(alternative) && isMessage(alternative.message) && optionalString(alternative.status),
  );

const isUsage = (v: unknown): boolean =>
  v == null ||
  (object(v) && int64Value(v.inputTextTokens) && int64Value(v.completionTokens) && int64Value(v.totalTokens));

const isResult = (v: unknown): boolean =>
  object(v) && isAlternatives(v.alternatives) && isUsage(v.usage) && str(v.modelVersion);

export const isCompletionEnvelope = (v: unknown): v is YandexEnvelope =>
  object(v) &&
  (v.result === undefined || isResult(v.result)) &&
  (v.alternatives === undefined || isAlternatives(v.alternatives)) &&
  isUsage(v.usage) &&
  str(v.modelVersion);

/** The schema the provider parses with: the guard first, zod when it says no. */
export const completionEnvelopeSchema = withFastCheck(isCompletionEnvelope, completionEnvelopeZod);

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
