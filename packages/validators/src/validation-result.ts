/** What a key check found. */
export type ValidationErrorCode =
  | 'success'
  /** The key is wrong, revoked or expired (401; Gemini: 400 API_KEY_INVALID). */
  | 'invalid_api_key'
  /** GigaChat: the key was issued for another scope (400, code 7). */
  | 'scope_mismatch'
  /** The key is valid but may not use this resource (403; YandexGPT: the folder). */
  | 'permission_denied'
  /** Too many requests (429); `retryAfter` says when to try again. */
  | 'rate_limit_exceeded'
  /** No answer in time (504). */
  | 'network_timeout'
  /** The provider failed (5xx), or refused for another reason (billing, quota, region…). */
  | 'provider_error'
  /** Something unexpected: unreachable host, a response that is not what the API sends. */
  | 'validation_error';

export interface ValidationResult {
  valid: boolean;
  errorCode: ValidationErrorCode;
  /** `gigachat`, `yandexgpt`, `openai`, `anthropic` or `gemini`. */
  provider: string;
  /** For people: what is wrong and what to do. Never contains the key. */
  message: string;
  /** For programs: provider-specific facts (scope, folderId, requestId, grpcCode…). Never contains the key. */
  details: Record<string, unknown>;
  /** The HTTP status that decided the result (504 for a timeout), or null when there was none. */
  httpStatus: number | null;
  /** Seconds to wait before checking again (rate limits only). */
  retryAfter: number | null;
}

export function result(
  provider: string,
  errorCode: ValidationErrorCode,
  message: string,
  extra: { details?: Record<string, unknown>; httpStatus?: number | null; retryAfter?: number | null } = {},
): ValidationResult {
  return {
    valid: errorCode === 'success',
    errorCode,
    provider,
    message,
    details: extra.details ?? {},
    httpStatus: extra.httpStatus ?? null,
    retryAfter: extra.retryAfter ?? null,
  };
}
