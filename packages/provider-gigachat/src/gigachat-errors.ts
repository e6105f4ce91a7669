import { createErrorMapper, lazySchema } from '@llmo/core/provider';
import * as z from '@llmo/core/zod';

const text = () => z.optional(z.nullable(z.string()));

/**
 * API errors (protocol note 8.1): `{"status": <int>, "message": "<text>"}`, not OpenAI's `{"error": …}`; the
 * same object arrives inside a 200 stream, where its `status` is the only hint of what went wrong (a 429
 * there is a rate limit, not a server fault).
 */
export const gigachatErrors = createErrorMapper({
  schema: lazySchema(() => z.looseObject({ status: z.number(), message: text() })),
  read: (body) => ({ status: body.status, message: body.message ?? undefined }),
});

/**
 * Token endpoint errors (note 2.3): `{"code": <int>, "message"}`. Every 400 there is a credentials problem
 * (no or bad `RqUID`, empty scope, a key for another scope), never the caller's request: `auth`, not retried.
 * Code 7 (the key does not match the scope) is `auth` on either 400 or 401; the token manager words it.
 */
export const gigachatTokenErrors = createErrorMapper({
  schema: lazySchema(() => z.looseObject({ code: z.number(), message: text() })),
  read: (body) => ({ code: String(body.code), message: body.message ?? undefined }),
  codes: { 7: { kind: 'auth', retryable: false } },
  statuses: { 400: { kind: 'auth', retryable: false } },
});
