import * as z from '@llmo/core/zod';

// Wire schemas: only what we read. `object` is not validated ("chat.completion" and "chat.completions" both
// occur), and `model` comes back with a `:version` suffix.

const text = z.optional(z.nullable(z.string()));
const count = z.optional(z.nullable(z.number()));

/** `{access_token, expires_at}` from /api/v2/oauth, or `{tok, exp}` from the password flow. */
export const tokenSchema = z.looseObject({
  access_token: z.optional(z.string()),
  expires_at: z.optional(z.number()),
  tok: z.optional(z.string()),
  exp: z.optional(z.number()),
});

export const usageSchema = z.looseObject({
  prompt_tokens: count,
  completion_tokens: count,
  total_tokens: count,
  precached_prompt_tokens: count,
});

const functionCallSchema = z.looseObject({ name: z.string(), arguments: z.optional(z.unknown()) });

const messageSchema = z.looseObject({
  content: text,
  role: text,
  function_call: z.optional(z.nullable(functionCallSchema)),
  functions_state_id: text,
});

export const completionSchema = z.looseObject({
  choices: z.array(z.looseObject({ message: messageSchema, finish_reason: text })),
  model: text,
  usage: z.optional(z.nullable(usageSchema)),
});

export const chunkSchema = z.looseObject({
  choices: z.optional(
    z.nullable(z.array(z.looseObject({ delta: z.optional(z.nullable(messageSchema)), finish_reason: text }))),
  ),
  model: text,
  usage: z.optional(z.nullable(usageSchema)),
  status: count,
  message: text,
});

export const modelsSchema = z.looseObject({
  data: z.array(z.looseObject({ id: z.string(), owned_by: text, type: text })),
});

export type GigaChatUsage = z.infer<typeof usageSchema>;
export type GigaChatMessage = z.infer<typeof messageSchema>;
