import { z } from '@hono/zod-openapi';

// The request schemas of the OpenAI-compatible API. The same objects validate requests (through
// @hono/zod-openapi's validator) and generate /openapi.json, so the documentation cannot drift from the checks.

const textPart = z.object({ type: z.literal('text'), text: z.string() });
/** OpenAI accepts a string or a list of text parts (other part types are not supported by every provider). */
const content = z.union([z.string(), z.array(textPart)]);

const toolCall = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

export const chatMessageSchema = z
  .discriminatedUnion('role', [
    z.object({ role: z.literal('system'), content, name: z.string().optional() }),
    z.object({ role: z.literal('developer'), content, name: z.string().optional() }),
    z.object({ role: z.literal('user'), content, name: z.string().optional() }),
    z.object({
      role: z.literal('assistant'),
      content: content.nullish(),
      name: z.string().optional(),
      tool_calls: z.array(toolCall).optional(),
      refusal: z.string().nullish(),
    }),
    z.object({ role: z.literal('tool'), content, tool_call_id: z.string() }),
  ])
  .openapi('ChatMessage');

const toolSchema = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});

const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string(),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

/**
 * Fields OpenAI defines that the gateway accepts and does not forward (no provider contract field for
 * them yet). Listed so that an SDK sending them works, while a misspelt field is still an error.
 */
const ignored = {
  frequency_penalty: z.number().nullish(),
  presence_penalty: z.number().nullish(),
  logit_bias: z.record(z.string(), z.number()).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().nullish(),
  user: z.string().optional(),
  metadata: z.record(z.string(), z.string()).nullish(),
  store: z.boolean().nullish(),
  parallel_tool_calls: z.boolean().optional(),
  service_tier: z.string().nullish(),
  reasoning_effort: z.string().nullish(),
  modalities: z.array(z.string()).nullish(),
  prompt_cache_key: z.string().optional(),
  safety_identifier: z.string().optional(),
};

export const chatCompletionRequestSchema = z
  .strictObject({
    model: z.string().min(1).openapi({
      description: 'A configured provider name, a model id, or "auto" (the router chooses).',
      example: 'auto',
    }),
    messages: z.array(chatMessageSchema).min(1),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    max_tokens: z.number().int().positive().nullish(),
    max_completion_tokens: z.number().int().positive().nullish(),
    stop: z.union([z.string(), z.array(z.string())]).nullish(),
    seed: z.number().int().nullish(),
    n: z.literal(1).nullish().openapi({ description: 'Only 1 is supported.' }),
    tools: z.array(toolSchema).optional(),
    tool_choice: z
      .union([
        z.enum(['auto', 'none', 'required']),
        z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
      ])
      .optional(),
    response_format: responseFormatSchema.optional(),
    ...ignored,
  })
  .openapi('ChatCompletionRequest');

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;

export const openAIErrorSchema = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string(),
      param: z.string().nullable(),
      code: z.string().nullable(),
    }),
  })
  .openapi('Error');

export const chatCompletionSchema = z
  .object({
    id: z.string(),
    object: z.literal('chat.completion'),
    created: z.number().int(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({
          role: z.literal('assistant'),
          content: z.string().nullable(),
          refusal: z.null(),
          tool_calls: z.array(toolCall).optional(),
        }),
        logprobs: z.null(),
        finish_reason: z.enum(['stop', 'length', 'tool_calls', 'content_filter']),
      }),
    ),
    usage: z.object({
      prompt_tokens: z.number().int(),
      completion_tokens: z.number().int(),
      total_tokens: z.number().int(),
    }),
  })
  .openapi('ChatCompletion');

export const modelListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(
      z.object({
        id: z.string(),
        object: z.literal('model'),
        created: z.number().int(),
        owned_by: z.string(),
      }),
    ),
  })
  .openapi('ModelList');
