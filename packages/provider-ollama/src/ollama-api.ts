import { lazySchema, wire, withFastCheck } from '@llmo/core/provider';
import * as z from '@llmo/core/zod';

// Wire schemas: only the fields we read; usage fields are `omitempty` upstream, so every count is optional.
// Built on first use: the guard below answers every well-formed answer and stream line.
const count = () => z.optional(z.nullable(z.number()));

const messageZod = () =>
  z.looseObject({
    role: z.optional(z.string()),
    content: z.optional(z.nullable(z.string())),
    tool_calls: z.optional(
      z.nullable(
        z.array(
          z.looseObject({
            function: z.looseObject({ name: z.string(), arguments: z.optional(z.unknown()) }),
          }),
        ),
      ),
    ),
  });

/** One `/api/chat` object: the whole answer (non-stream) or one NDJSON line. */
export const chatResponseZod = () =>
  z.looseObject({
    model: z.optional(z.string()),
    message: z.optional(z.nullable(messageZod())),
    done: z.optional(z.boolean()),
    done_reason: z.optional(z.nullable(z.string())),
    error: z.optional(z.unknown()),
    total_duration: count(),
    load_duration: count(),
    prompt_eval_count: count(),
    prompt_eval_duration: count(),
    eval_count: count(),
    eval_duration: count(),
  });

export const tagsSchema = lazySchema(() =>
  z.looseObject({
    models: z.array(z.looseObject({ name: z.string(), model: z.optional(z.string()), size: count() })),
  }),
);

export type OllamaChatResponse = z.infer<ReturnType<typeof chatResponseZod>>;

// The hand-written guard for the shape read on every call and every stream line (see `withFastCheck`): it
// accepts only what the schema accepts, which ollama-api.test.ts checks over mutated fixtures.
const { object, optionalString: str, optionalNumber: num, optionalArray } = wire;
const optional = (v: unknown, type: 'string' | 'boolean') => v === undefined || typeof v === type;

const isMessage = (v: unknown): boolean =>
  object(v) &&
  optional(v.role, 'string') &&
  str(v.content) &&
  optionalArray(
    v.tool_calls,
    (call) => object(call) && object(call.function) && typeof call.function.name === 'string',
  );

export const isChatResponse = (v: unknown): v is OllamaChatResponse =>
  object(v) &&
  optional(v.model, 'string') &&
  (v.message == null || isMessage(v.message)) &&
  optional(v.done, 'boolean') &&
  str(v.done_reason) &&
  num(v.total_duration) &&
  num(v.load_duration) &&
  num(v.prompt_eval_count) &&
  num(v.prompt_eval_duration) &&
  num(v.eval_count) &&
  num(v.eval_duration);

/** The schema the provider parses with: the guard first, zod when it says no. */
export const chatResponseSchema = withFastCheck(isChatResponse, chatResponseZod);
