import { createErrorMapper, lazySchema } from '@llmo/core/provider';
import * as z from '@llmo/core/zod';

/** `{"error": {"message", "type", "param", "code"}}`; compatible servers send other shapes, read generically. */
const errorBodySchema = lazySchema(() => {
  const text = z.optional(z.nullable(z.string()));
  return z.looseObject({
    error: z.looseObject({
      message: text,
      type: text,
      code: z.optional(z.nullable(z.union([z.string(), z.number()]))),
    }),
  });
});

/**
 * OpenAI's (and compatible servers') errors: `insufficient_quota` is a 429 that will never succeed on retry
 * (kind `quota`, not retryable, whatever the headers say); `context_length_exceeded` or a "maximum context
 * length" message is `context_length`; `x-should-retry: true|false` overrides `retryable`, as in the official
 * SDKs. The same mapping reads `data: {"error": …}` / `event: error` inside a 200 stream.
 */
export const openaiErrors = createErrorMapper({
  schema: errorBodySchema,
  read: ({ error }) => ({
    code: error.code != null ? String(error.code) : (error.type ?? undefined),
    message: error.message ?? undefined,
  }),
  codes: {
    insufficient_quota: { kind: 'quota', retryable: false },
    context_length_exceeded: 'context_length',
    invalid_api_key: 'auth',
    content_filter: 'content_filter',
    content_policy_violation: 'content_filter',
    model_not_found: 'not_found',
  },
  messages: [[/maximum context length|context window/i, 'context_length']],
  shouldRetryHeader: true,
});
