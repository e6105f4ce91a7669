import * as z from 'zod/mini';

// Wire schemas: only the fields we read, tolerant of nulls and unknown fields (compatible servers add
// `obfuscation`, `x_groq`, `reasoning`, `reasoning_content`, … which must be ignored, not rejected).

const text = z.optional(z.nullable(z.string()));
const count = z.optional(z.nullable(z.number()));

export const usageSchema = z.looseObject({
  prompt_tokens: count,
  completion_tokens: count,
  total_tokens: count,
  /** `cached_tokens`: the part of `prompt_tokens` read from the prompt cache. */
  prompt_tokens_details: z.optional(z.nullable(z.looseObject({ cached_tokens: count }))),
});

const toolCallSchema = z.looseObject({
  id: text,
  function: z.looseObject({ name: z.string(), arguments: text }),
});

export const chatCompletionSchema = z.looseObject({
  id: text,
  model: text,
  choices: z.array(
    z.looseObject({
      message: z.looseObject({
        content: text,
        refusal: text,
        tool_calls: z.optional(z.nullable(z.array(toolCallSchema))),
      }),
      finish_reason: text,
    }),
  ),
  usage: z.optional(z.nullable(usageSchema)),
});

const toolCallDeltaSchema = z.looseObject({
  index: z.optional(z.nullable(z.number())),
  id: text,
  function: z.optional(z.nullable(z.looseObject({ name: text, arguments: text }))),
});

export const chatCompletionChunkSchema = z.looseObject({
  id: text,
  model: text,
  choices: z.optional(
    z.nullable(
      z.array(
        z.looseObject({
          delta: z.optional(
            z.nullable(
              z.looseObject({
                content: text,
                tool_calls: z.optional(z.nullable(z.array(toolCallDeltaSchema))),
              }),
            ),
          ),
          finish_reason: text,
        }),
      ),
    ),
  ),
  usage: z.optional(z.nullable(usageSchema)),
});

export const modelListSchema = z.looseObject({
  data: z.array(z.looseObject({ id: z.string(), owned_by: text, created: count })),
});

export type OpenAIUsage = z.infer<typeof usageSchema>;
