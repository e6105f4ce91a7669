import { lazySchema, wire, withFastCheck } from '@llmo/core/provider';
import * as z from '@llmo/core/zod';

// Wire schemas: only the fields we read, tolerant of nulls, absent fields and unknown keys (the API adds
// fields and block types over time; see ../shared/protocols/anthropic.md §4, pitfall 14). Built on first use:
// the guards below answer every well-formed message and stream event.

const text = () => z.optional(z.nullable(z.string()));
const count = () => z.optional(z.nullable(z.number()));

const usageZod = () =>
  z.looseObject({
    input_tokens: count(),
    output_tokens: count(),
    cache_creation_input_tokens: count(),
    cache_read_input_tokens: count(),
    cache_creation: z.optional(
      z.nullable(z.looseObject({ ephemeral_5m_input_tokens: count(), ephemeral_1h_input_tokens: count() })),
    ),
  });

const contentBlockZod = () =>
  z.looseObject({
    type: z.string(),
    text: text(),
    id: text(),
    name: text(),
    input: z.optional(z.unknown()),
  });

export const messageZod = () =>
  z.looseObject({
    id: text(),
    model: text(),
    content: z.array(contentBlockZod()),
    stop_reason: text(),
    stop_sequence: text(),
    usage: z.optional(z.nullable(usageZod())),
  });

/** One SSE event's JSON; dispatched on `type`, every other field read only where that type has it. */
export const streamEventZod = () =>
  z.looseObject({
    type: z.string(),
    index: count(),
    message: z.optional(
      z.nullable(z.looseObject({ id: text(), model: text(), usage: z.optional(z.nullable(usageZod())) })),
    ),
    content_block: z.optional(z.nullable(contentBlockZod())),
    delta: z.optional(
      z.nullable(
        z.looseObject({
          type: text(),
          text: text(),
          partial_json: text(),
          stop_reason: text(),
          stop_sequence: text(),
        }),
      ),
    ),
    usage: z.optional(z.nullable(usageZod())),
    error: z.optional(z.nullable(z.looseObject({ type: text(), message: text() }))),
  });

export const modelListSchema = lazySchema(() =>
  z.looseObject({
    data: z.array(z.looseObject({ id: z.string(), display_name: text(), created_at: text() })),
    has_more: z.optional(z.nullable(z.boolean())),
    last_id: text(),
  }),
);

export const tokenCountSchema = lazySchema(() => z.looseObject({ input_tokens: z.number() }));

export type AnthropicUsage = z.infer<ReturnType<typeof usageZod>>;
export type AnthropicStreamEvent = z.infer<ReturnType<typeof streamEventZod>>;
export type AnthropicMessageResponse = z.infer<ReturnType<typeof messageZod>>;

// Hand-written guards for the shapes read on every call and every stream event (see `withFastCheck`): each
// accepts only what its schema accepts, which anthropic-api.test.ts checks over mutated fixtures.
const { object, optionalString: str, optionalNumber: num, optionalArray } = wire;

const isUsage = (v: unknown): boolean =>
  v == null ||
  (object(v) &&
    num(v.input_tokens) &&
    num(v.output_tokens) &&
    num(v.cache_creation_input_tokens) &&
    num(v.cache_read_input_tokens) &&
    (v.cache_creation == null ||
      (object(v.cache_creation) &&
        num(v.cache_creation.ephemeral_5m_input_tokens) &&
        num(v.cache_creation.ephemeral_1h_input_tokens))));

/** `input` may be anything, as in the schema (`z.unknown()`): it is not checked. */
const isContentBlock = (v: unknown): boolean =>
  object(v) && typeof v.type === 'string' && str(v.text) && str(v.id) && str(v.name);

export const isMessage = (v: unknown): v is AnthropicMessageResponse =>
  object(v) &&
  str(v.id) &&
  str(v.model) &&
  Array.isArray(v.content) &&
  optionalArray(v.content, isContentBlock) &&
  str(v.stop_reason) &&
  str(v.stop_sequence) &&
  isUsage(v.usage);

export const isStreamEvent = (v: unknown): v is AnthropicStreamEvent =>
  object(v) &&
  typeof v.type === 'string' &&
  num(v.index) &&
  (v.message == null ||
    (object(v.message) && str(v.message.id) && str(v.message.model) && isUsage(v.message.usage))) &&
  (v.content_block == null || isContentBlock(v.content_block)) &&
  (v.delta == null ||
    (object(v.delta) &&
      str(v.delta.type) &&
      str(v.delta.text) &&
      str(v.delta.partial_json) &&
      str(v.delta.stop_reason) &&
      str(v.delta.stop_sequence))) &&
  isUsage(v.usage) &&
  (v.error == null || (object(v.error) && str(v.error.type) && str(v.error.message)));

/** The schemas the provider parses with: the guard first, zod when it says no. */
export const messageSchema = withFastCheck(isMessage, messageZod);
export const streamEventSchema = withFastCheck(isStreamEvent, streamEventZod);
