/** OpenAI's error `type`s, which its SDK and LangChain map to their error classes by status. */
export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error';

/**
 * An error the gateway answers with: an HTTP status and OpenAI's error body (`{ error: { message, type,
 * param, code } }`), so the official SDKs raise their usual error classes (BadRequestError, RateLimitError…).
 * Messages are written by the gateway and never carry a key, a credential or prompt text.
 */
export class GatewayHttpError extends Error {
  readonly status: number;
  readonly type: OpenAIErrorType;
  readonly code: string;
  readonly param: string | null;
  /** For 429 and 503: seconds, sent as `Retry-After`. */
  readonly retryAfterSeconds: number | undefined;
  /** The error kind logged for the request (`auth`, `rate_limit`, `validation`, or a provider kind). */
  readonly kind: string;

  constructor(options: {
    status: number;
    message: string;
    type: OpenAIErrorType;
    code: string;
    kind: string;
    param?: string | null;
    retryAfterSeconds?: number;
  }) {
    super(options.message);
    this.name = 'GatewayHttpError';
    this.status = options.status;
    this.type = options.type;
    this.code = options.code;
    this.kind = options.kind;
    this.param = options.param ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** The OpenAI-shaped body. */
  toJSON(): { error: { message: string; type: string; param: string | null; code: string } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }

  /** The whole response, with `Retry-After` when set. */
  toResponse(extraHeaders: Record<string, string> = {}): Response {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...extraHeaders };
    if (this.retryAfterSeconds !== undefined) headers['retry-after'] = String(this.retryAfterSeconds);
    return new Response(JSON.stringify(this.toJSON()), { status: this.status, headers });
  }
}
