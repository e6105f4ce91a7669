import type { Outcome } from './send.js';
import { result, type ValidationErrorCode, type ValidationResult } from './validation-result.js';

type Failure = Extract<Outcome, { ok: false }>;

/** Seconds from the provider's Retry-After (already parsed to ms), else the given default. */
export function retryAfterSeconds(failure: Failure, fallback: number | null): number | null {
  return failure.error.retryAfterMs !== undefined ? Math.ceil(failure.error.retryAfterMs / 1000) : fallback;
}

/** The code for an HTTP status, as every key check reads it unless the provider says more. */
export function codeForStatus(status: number): ValidationErrorCode {
  if (status === 401) return 'invalid_api_key';
  if (status === 403) return 'permission_denied';
  if (status === 429) return 'rate_limit_exceeded';
  if (status === 504 || status === 408) return 'network_timeout';
  return 'provider_error';
}

/**
 * The result for a failed request: timeouts → `network_timeout` (504); no response at all →
 * `validation_error`; otherwise the status's code (or `code` when the provider said more).
 */
export function mapFailure(
  provider: string,
  failure: Failure,
  options: {
    timeoutMs: number;
    defaultRetryAfter?: number | null;
    code?: ValidationErrorCode;
    message?: string;
    details?: Record<string, unknown>;
  },
): ValidationResult {
  const { error, status } = failure;
  const details = options.details ?? {};
  if (status === undefined) {
    if (error.kind === 'timeout') {
      return result(
        provider,
        'network_timeout',
        `${provider}: no answer within ${options.timeoutMs} ms; check the network and try again`,
        {
          details,
          httpStatus: 504,
        },
      );
    }
    return result(
      provider,
      'validation_error',
      `${provider}: the check could not complete: ${error.message}`,
      { details, httpStatus: null },
    );
  }
  const code = options.code ?? codeForStatus(status);
  return result(provider, code, options.message ?? error.message, {
    details: { ...details, requestId: error.requestId ?? details.requestId },
    httpStatus: status,
    retryAfter:
      code === 'rate_limit_exceeded' ? retryAfterSeconds(failure, options.defaultRetryAfter ?? null) : null,
  });
}
