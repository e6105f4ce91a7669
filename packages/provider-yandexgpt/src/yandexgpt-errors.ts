import { createErrorMapper, lazySchema } from '@llmo/core/provider';
import * as z from '@llmo/core/zod';

/**
 * The three envelopes Yandex sends (protocol note, pitfall 11): `{"error": {grpcCode, httpCode, message,
 * httpStatus, details}}`, `{"error": "…", "code", "message", "details"}` (malformed JSON) and the Status-style
 * `{"code", "message", "details"}` (auth).
 */
const errorBodySchema = lazySchema(() => {
  const text = z.optional(z.nullable(z.string()));
  const code = z.optional(z.nullable(z.union([z.number(), z.string()])));
  return z.looseObject({
    error: z.optional(
      z.nullable(z.union([z.string(), z.looseObject({ grpcCode: code, httpCode: code, message: text })])),
    ),
    code,
    message: text,
    details: z.optional(z.unknown()),
  });
});

/** gRPC status codes → the HTTP status Yandex's REST gateway gives them, for errors inside a 200. */
const GRPC_TO_HTTP: Record<string, number> = {
  3: 400,
  4: 504,
  5: 404,
  7: 403,
  8: 429,
  13: 500,
  14: 503,
  16: 401,
};

function requestIdIn(details: unknown): string | undefined {
  if (!Array.isArray(details)) return undefined;
  const id = details.find((d) => typeof d?.requestId === 'string')?.requestId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * YandexGPT's errors: a context overflow is only told apart by its message (400 "Number of input tokens must
 * be no more than …"); an `{"error": …}` envelope inside a 200 (stream line or body) takes its kind from
 * `httpCode`, else from its gRPC code.
 */
export const yandexErrors = createErrorMapper({
  schema: errorBodySchema,
  read: (body) => {
    const nested = typeof body.error === 'object' && body.error ? body.error : undefined;
    const grpc = nested?.grpcCode ?? body.code;
    const http = nested?.httpCode;
    return {
      code: grpc == null ? undefined : String(grpc),
      message:
        nested?.message ??
        body.message ??
        (typeof body.error === 'string' ? body.error : undefined) ??
        undefined,
      status: http != null ? Number(http) : grpc != null ? (GRPC_TO_HTTP[String(grpc)] ?? 500) : undefined,
      requestId: requestIdIn(body.details) ?? requestIdIn((body.error as { details?: unknown })?.details),
    };
  },
  messages: [[/number of input tokens must be no more than/i, 'context_length']],
});
