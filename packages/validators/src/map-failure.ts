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

/** What a person should do about each failure, said before the provider's own words. */
const ADVICE: Partial<Record<ValidationErrorCode, string>> = {
  invalid_api_key: 'The key was rejected: check that it was copied whole and has not been revoked',
  permission_denied: 'The key is valid but may not use this resource: check its roles and the account',
  rate_limit_exceeded: 'Too many requests: wait and check again',
  network_timeout: 'The provider did not answer in time: try again',
  provider_error: 'The provider failed or refused; the key itself may be fine',
};

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
  const message = options.message ?? `${ADVICE[code] ?? 'The check failed'} (${error.message})`;
  return result(provider, code, message, {
    details: { ...details, requestId: error.requestId ?? details.requestId },
    httpStatus: status,
    retryAfter:
      code === 'rate_limit_exceeded' ? retryAfterSeconds(failure, options.defaultRetryAfter ?? null) : null,
  });
}
