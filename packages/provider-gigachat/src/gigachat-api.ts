import { lazySchema, wire, withFastCheck } from '@llmo/core/provider';
import * as z from '@llmo/core/zod';

// Wire schemas: only what we read. `object` is not validated ("chat.completion" and "chat.completions" both
// occur), and `model` comes back with a `:version` suffix. Each is built on first use: the guards below
// answer every well-formed completion and chunk, and the token and model-list bodies are read rarely.

const text = () => z.optional(z.nullable(z.string()));
const count = () => z.optional(z.nullable(z.number()));

/** `{access_token, expires_at}` from /api/v2/oauth, or `{tok, exp}` from the password flow. */
export const tokenSchema = lazySchema(() =>
  z.looseObject({
    access_token: z.optional(z.string()),
    expires_at: z.optional(z.number()),
    tok: z.optional(z.string()),
    exp: z.optional(z.number()),
  }),
);

const usageZod = () =>
  z.looseObject({
    prompt_tokens: count(),
    completion_tokens: count(),
    total_tokens: count(),
    precached_prompt_tokens: count(),
  });

const messageZod = () =>
  z.looseObject({
    content: text(),
    role: text(),
    function_call: z.optional(
      z.nullable(z.looseObject({ name: z.string(), arguments: z.optional(z.unknown()) })),
    ),
    functions_state_id: text(),
  });

export const completionZod = () =>
  z.looseObject({
    choices: z.array(z.looseObject({ message: messageZod(), finish_reason: text() })),
    model: text(),
    usage: z.optional(z.nullable(usageZod())),
  });

export const chunkZod = () =>
  z.looseObject({
    choices: z.optional(
      z.nullable(
        z.array(z.looseObject({ delta: z.optional(z.nullable(messageZod())), finish_reason: text() })),
      ),
    ),
    model: text(),
    usage: z.optional(z.nullable(usageZod())),
    status: count(),
    message: text(),
  });

export const modelsSchema = lazySchema(() =>
  z.looseObject({
    data: z.array(z.looseObject({ id: z.string(), owned_by: text(), type: text() })),
  }),
);

export type GigaChatUsage = z.infer<ReturnType<typeof usageZod>>;
export type GigaChatMessage = z.infer<ReturnType<typeof messageZod>>;
export type GigaChatCompletion = z.infer<ReturnType<typeof completionZod>>;
export type GigaChatChunk = z.infer<ReturnType<typeof chunkZod>>;

// Hand-written guards for the shapes read on every call and every stream chunk (see `withFastCheck`): each
// accepts only what its schema accepts, which gigachat-api.test.ts checks over mutated fixtures.
const { object, optionalString: str, optionalNumber: num, optionalArray } = wire;

const isUsage = (v: unknown): boolean =>
  v == null ||
  (object(v) &&
    num(v.prompt_tokens) &&
    num(v.completion_tokens) &&
    num(v.total_tokens) &&
    num(v.precached_prompt_tokens));

const isMessage = (v: unknown): boolean =>
  object(v) &&
  str(v.content) &&
  str(v.role) &&
  str(v.functions_state_id) &&
  (v.function_call == null || (object(v.function_call) && typeof v.function_call.name === 'string'));

export const isCompletion = (v: unknown): v is GigaChatCompletion =>
  object(v) &&
  Array.isArray(v.choices) &&
  optionalArray(v.choices, (c) => object(c) && isMessage(c.message) && str(c.finish_reason)) &&
  str(v.model) &&
  isUsage(v.usage);

export const isChunk = (v: unknown): v is GigaChatChunk =>
  object(v) &&
  optionalArray(
    v.choices,
    (c) => object(c) && (c.delta == null || isMessage(c.delta)) && str(c.finish_reason),
  ) &&
  str(v.model) &&
  isUsage(v.usage) &&
  num(v.status) &&
  str(v.message);

/** The schemas the provider parses with: the guard first, zod when it says no. */
export const completionSchema = withFastCheck(isCompletion, completionZod);
export const chunkSchema = withFastCheck(isChunk, chunkZod);
