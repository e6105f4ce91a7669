import * as z from '@llmo/core/zod';

// Wire schemas: only the fields we read, tolerant of nulls, absent fields and unknown keys (the API adds
// fields and block types over time; see ../shared/protocols/anthropic.md §4, pitfall 14).

const text = z.optional(z.nullable(z.string()));
const count = z.optional(z.nullable(z.number()));

export const usageSchema = z.looseObject({
  input_tokens: count,
  output_tokens: count,
  cache_creation_input_tokens: count,
  cache_read_input_tokens: count,
  cache_creation: z.optional(
    z.nullable(z.looseObject({ ephemeral_5m_input_tokens: count, ephemeral_1h_input_tokens: count })),
  ),
});

const contentBlockSchema = z.looseObject({
  type: z.string(),
  text,
  id: text,
  name: text,
  input: z.optional(z.unknown()),
});

export const messageSchema = z.looseObject({
  id: text,
  model: text,
  content: z.array(contentBlockSchema),
  stop_reason: text,
  stop_sequence: text,
  usage: z.optional(z.nullable(usageSchema)),
});

/** One SSE event's JSON; dispatched on `type`, every other field read only where that type has it. */
export const streamEventSchema = z.looseObject({
  type: z.string(),
  index: count,
  message: z.optional(
    z.nullable(z.looseObject({ id: text, model: text, usage: z.optional(z.nullable(usageSchema)) })),
  ),
  content_block: z.optional(z.nullable(contentBlockSchema)),
  delta: z.optional(
    z.nullable(
      z.looseObject({
        type: text,
        text,
        partial_json: text,
        stop_reason: text,
        stop_sequence: text,
      }),
    ),
  ),
  usage: z.optional(z.nullable(usageSchema)),
  error: z.optional(z.nullable(z.looseObject({ type: text, message: text }))),
});

export const modelListSchema = z.looseObject({
  data: z.array(z.looseObject({ id: z.string(), display_name: text, created_at: text })),
  has_more: z.optional(z.nullable(z.boolean())),
  last_id: text,
});

export const tokenCountSchema = z.looseObject({ input_tokens: z.number() });

export type AnthropicUsage = z.infer<typeof usageSchema>;
export type AnthropicStreamEvent = z.infer<typeof streamEventSchema>;
export type AnthropicMessageResponse = z.infer<typeof messageSchema>;
