import { createErrorMapper } from '@llmo/core/provider';
import * as z from '@llmo/core/zod';

const text = z.optional(z.nullable(z.string()));

/** `{"type": "error", "error": {"type", "message"}, "request_id"}`, as an HTTP body or an `event: error`. */
const errorBodySchema = z.looseObject({
  error: z.looseObject({ type: z.string(), message: text }),
  request_id: text,
});

/**
 * Anthropic's `error.type`s (docs "Errors"; SDK `ErrorType`) say more than the status: 529 `overloaded_error`
 * → `overloaded` even behind a proxy that rewrites the status; `billing_error` → `quota`; "prompt is too
 * long" (an `invalid_request_error`) → `context_length`. `x-should-retry: true|false` decides over the
 * status, as the official SDK does. A body that is not this shape (413 from the edge, pitfall 12) keeps the
 * status defaults. The same mapping reads `event: error` inside a 200 stream (pitfall 5), where an unknown
 * type is a retryable `server` error.
 */
export const anthropicErrors = createErrorMapper({
  schema: errorBodySchema,
  read: (body) => ({
    code: body.error.type,
    message: body.error.message ?? undefined,
    requestId: body.request_id ?? undefined,
  }),
  codes: {
    overloaded_error: 'overloaded',
    billing_error: 'quota',
    rate_limit_error: 'rate_limit',
    authentication_error: 'auth',
    permission_error: 'permission',
    not_found_error: 'not_found',
    request_too_large: 'context_length',
  },
  statuslessCodes: { timeout_error: 'timeout', invalid_request_error: 'bad_request', api_error: 'server' },
  messages: [[/prompt is too long|context window|maximum context/i, 'context_length']],
  shouldRetryHeader: true,
});
