import * as z from '@llmo/core/zod';

// Wire schemas: only the fields we read; usage fields are `omitempty` upstream, so every count is optional.
const count = z.optional(z.nullable(z.number()));

const toolCallSchema = z.looseObject({
  function: z.looseObject({ name: z.string(), arguments: z.optional(z.unknown()) }),
});

const messageSchema = z.looseObject({
  role: z.optional(z.string()),
  content: z.optional(z.nullable(z.string())),
  tool_calls: z.optional(z.nullable(z.array(toolCallSchema))),
});

/** One `/api/chat` object: the whole answer (non-stream) or one NDJSON line. */
export const chatResponseSchema = z.looseObject({
  model: z.optional(z.string()),
  message: z.optional(z.nullable(messageSchema)),
  done: z.optional(z.boolean()),
  done_reason: z.optional(z.nullable(z.string())),
  error: z.optional(z.unknown()),
  total_duration: count,
  load_duration: count,
  prompt_eval_count: count,
  prompt_eval_duration: count,
  eval_count: count,
  eval_duration: count,
});

export const tagsSchema = z.looseObject({
  models: z.array(z.looseObject({ name: z.string(), model: z.optional(z.string()), size: count })),
});

export type OllamaChatResponse = z.infer<typeof chatResponseSchema>;
