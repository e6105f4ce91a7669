import { createErrorMapper, type ErrorInfo, type ErrorMapper } from '@llmo/core/provider';
import * as z from '@llmo/core/zod';

const text = z.optional(z.nullable(z.string()));

/**
 * Bedrock's error bodies: `{"message": …}` (auth-layer errors: `Message`), the code in the
 * `x-amzn-ErrorType` header, else in `code` or `__type` (protocol note §6, pitfall 10). `classify` copies the
 * header into `__errorType` first, so one schema reads all three.
 */
const errorBodySchema = z.looseObject({
  __errorType: text,
  code: text,
  __type: text,
  message: text,
  Message: text,
  originalStatusCode: z.optional(z.nullable(z.number())),
});

/**
 * An AWS error code as the SDK sanitizes it (`loadRestJsonErrorCode`): cut at the first `,` and `:`, keep what
 * follows a `#` (`ValidationException:http://internal.amazon.com/coral/…` → `ValidationException`,
 * `com.amazon.coral.service#ThrottlingException` → `ThrottlingException`). An in-stream exception type is the
 * union member name (`throttlingException`): its first letter is raised so both spell the same code.
 */
export function sanitizeErrorCode(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  let code = raw.split(',')[0]!.split(':')[0]!.trim();
  if (code.includes('#')) code = code.slice(code.lastIndexOf('#') + 1);
  if (!code) return undefined;
  return code[0]!.toUpperCase() + code.slice(1);
}

/** Context-window overflows arrive as a `ValidationException`; only the text says so. */
const CONTEXT_LENGTH =
  /too long|too many (input )?tokens|context (window|length)|input length|max(imum)?[_ ]?(context|input)|exceeds? the (maximum|model)/i;

const mapper = createErrorMapper({
  schema: errorBodySchema,
  read: (body) => ({
    code: sanitizeErrorCode(body.__errorType ?? body.code ?? body.__type),
    message: body.message ?? body.Message ?? undefined,
  }),
  // The Bedrock Runtime errors (Smithy `httpError` traits) and the auth layer's (protocol note §6).
  codes: {
    ThrottlingException: 'rate_limit',
    TooManyRequestsException: 'rate_limit',
    // Account quota (400): retrying now will not help; another provider might (pitfall 11).
    ServiceQuotaExceededException: { kind: 'quota', retryable: false },
    // 429 while a model is being prepared: the SDK retries it, so it is transient.
    ModelNotReadyException: 'overloaded',
    ServiceUnavailableException: 'overloaded',
    InternalServerException: 'server',
    ModelTimeoutException: 'timeout',
    // 424: the model itself failed (the status alone would read as a bad request). "Retry your request."
    ModelErrorException: 'server',
    ModelStreamErrorException: 'server',
    AccessDeniedException: 'permission',
    ResourceNotFoundException: 'not_found',
    ValidationException: 'bad_request',
    UnrecognizedClientException: 'auth',
    InvalidSignatureException: 'auth',
    IncompleteSignatureException: 'auth',
    MissingAuthenticationTokenException: 'auth',
    ExpiredTokenException: 'auth',
    InvalidClientTokenId: 'auth',
    SignatureDoesNotMatch: 'auth',
    RequestExpired: 'auth',
  },
  // Only a ValidationException's text decides: "Too many tokens, please wait" is a throttle, not an overflow.
  refine: (_body, details) =>
    (details.code === undefined || details.code === 'ValidationException') &&
    details.message !== undefined &&
    CONTEXT_LENGTH.test(details.message)
      ? { kind: 'context_length' }
      : undefined,
  // Inside a 200 stream (no status): an unknown exception is a server fault.
  statuslessCodes: { ConflictException: 'bad_request' },
});

/** Reads `x-amzn-ErrorType` into the body before the mapper sees it (the header wins over the body). */
function withHeaderCode(info: ErrorInfo): unknown {
  const header = info.headers.get('x-amzn-errortype');
  const body =
    info.body !== null && typeof info.body === 'object' && !Array.isArray(info.body) ? info.body : {};
  return header ? { ...body, __errorType: header } : body;
}

/**
 * Bedrock's error mapping, HTTP and in-stream: `classify` for non-2xx responses (code from the header or the
 * body), `inBody` for exception frames after a 200 (`{ __type: ':exception-type', message }`).
 */
export const bedrockErrors: ErrorMapper = {
  classify: (info) => mapper.classify({ ...info, body: withHeaderCode(info) }),
  details: mapper.details,
  inBody: mapper.inBody,
};
