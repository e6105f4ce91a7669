import { lazySchema, wire, withFastCheck } from '@llmo/core/provider';
import * as z from '@llmo/core/zod';

// Wire schemas: only the fields we read, tolerant of nulls and unknown fields (compatible servers add
// `obfuscation`, `x_groq`, `reasoning`, `reasoning_content`, … which must be ignored, not rejected). Each is
// a function building it: the guards below answer every well-formed response, so a process may never need
// them (see `lazySchema` in @llmo/core/provider).

const text = () => z.optional(z.nullable(z.string()));
const count = () => z.optional(z.nullable(z.number()));

const usageZod = () =>
  z.looseObject({
    prompt_tokens: count(),
    completion_tokens: count(),
    total_tokens: count(),
    /** `cached_tokens`: the part of `prompt_tokens` read from the prompt cache. */
    prompt_tokens_details: z.optional(z.nullable(z.looseObject({ cached_tokens: count() }))),
  });

const toolCallZod = () =>
  z.looseObject({
    id: text(),
    function: z.looseObject({ name: z.string(), arguments: text() }),
  });

export const chatCompletionZod = () =>
  z.looseObject({
    id: text(),
    model: text(),
    choices: z.array(
      z.looseObject({
        message: z.looseObject({
          content: text(),
          refusal: text(),
          tool_calls: z.optional(z.nullable(z.array(toolCallZod()))),
        }),
        finish_reason: text(),
      }),
    ),
    usage: z.optional(z.nullable(usageZod())),
  });

const toolCallDeltaZod = () =>
  z.looseObject({
    index: z.optional(z.nullable(z.number())),
    id: text(),
    function: z.optional(z.nullable(z.looseObject({ name: text(), arguments: text() }))),
  });

export const chatCompletionChunkZod = () =>
  z.looseObject({
    id: text(),
    model: text(),
    choices: z.optional(
      z.nullable(
        z.array(
          z.looseObject({
            delta: z.optional(
              z.nullable(
                z.looseObject({
                  content: text(),
                  tool_calls: z.optional(z.nullable(z.array(toolCallDeltaZod()))),
                }),
              ),
            ),
            finish_reason: text(),
          }),
        ),
      ),
    ),
    usage: z.optional(z.nullable(usageZod())),
  });

export const modelListSchema = lazySchema(() =>
  z.looseObject({
    data: z.array(z.looseObject({ id: z.string(), owned_by: text(), created: count() })),
  }),
);

export type OpenAIUsage = z.infer<ReturnType<typeof usageZod>>;
export type ChatCompletion = z.infer<ReturnType<typeof chatCompletionZod>>;
export type ChatCompletionChunk = z.infer<ReturnType<typeof chatCompletionChunkZod>>;

// Hand-written guards for the two shapes read on every call and every stream chunk (see `withFastCheck`):
// each accepts only what its zod schema accepts, which `openai-api.test.ts` checks over mutated fixtures.
const { object, optionalString: str, optionalNumber: num, optionalArray } = wire;

const isUsage = (v: unknown): boolean =>
  v == null ||
  (object(v) &&
    num(v.prompt_tokens) &&
    num(v.completion_tokens) &&
    num(v.total_tokens) &&
    (v.prompt_tokens_details == null ||
      (object(v.prompt_tokens_details) && num(v.prompt_tokens_details.cached_tokens))));

const isToolCall = (v: unknown): boolean =>
  object(v) &&
  str(v.id) &&
  object(v.function) &&
  typeof v.function.name === 'string' &&
  str(v.function.arguments);

const isChoice = (v: unknown): boolean =>
  object(v) &&
  str(v.finish_reason) &&
  object(v.message) &&
  str(v.message.content) &&
  str(v.message.refusal) &&
  optionalArray(v.message.tool_calls, isToolCall);

const isToolCallDelta = (v: unknown): boolean =>
  object(v) &&
  num(v.index) &&
  str(v.id) &&
  (v.function == null || (object(v.function) && str(v.function.name) && str(v.function.arguments)));

const isChunkChoice = (v: unknown): boolean =>
  object(v) &&
  str(v.finish_reason) &&
  (v.delta == null ||
    (object(v.delta) && str(v.delta.content) && optionalArray(v.delta.tool_calls, isToolCallDelta)));

export const isChatCompletion = (v: unknown): v is ChatCompletion =>
  object(v) &&
  str(v.id) &&
  str(v.model) &&
  Array.isArray(v.choices) &&
  optionalArray(v.choices, isChoice) &&
  isUsage(v.usage);

export const isChatCompletionChunk = (v: unknown): v is ChatCompletionChunk =>
  object(v) && str(v.id) && str(v.model) && optionalArray(v.choices, isChunkChoice) && isUsage(v.usage);

/** The schemas the provider parses with: the guard first, zod when it says no. */
export const chatCompletionSchema = withFastCheck(isChatCompletion, chatCompletionZod);
export const chatCompletionChunkSchema = withFastCheck(isChatCompletionChunk, chatCompletionChunkZod);
