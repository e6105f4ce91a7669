import type { FetchFunction } from '@llmo/core/provider';
import { openBody } from '@llmo/core/provider';
import { getDefaultFetch } from '@llmo/core/transport';
import { invalidInput, requireText } from './invalid-input-error.js';
import { mapFailure } from './map-failure.js';
import { send } from './send.js';
import { result, type ValidationErrorCode, type ValidationResult } from './validation-result.js';

export interface GeminiKeyCheck {
  apiKey: string;
  /** Default `https://generativelanguage.googleapis.com`. */
  baseURL?: string;
  fetch?: FetchFunction;
  /** Default 10 s. */
  timeoutMs?: number;
}

const PROVIDER = 'gemini';

interface GoogleError {
  code?: number;
  status?: string;
  message?: string;
  details?: { '@type'?: string; reason?: string; retryDelay?: string }[];
}

export function checkGeminiInput(check: GeminiKeyCheck): GeminiKeyCheck {
  if (!check || typeof check !== 'object') throw invalidInput('validateGemini', 'pass { apiKey, baseURL? }');
  requireText(check.apiKey, 'apiKey', 'validateGemini');
  return check;
}

/** The error object, whether the body is `{error}` or the array-wrapped `[{error}]` seen for invalid keys. */
function googleError(body: unknown): GoogleError | undefined {
  const first = Array.isArray(body) ? body[0] : body;
  return (first as { error?: GoogleError } | undefined)?.error;
}

/** `RetryInfo.retryDelay` ("34.4s") in whole seconds: Gemini sends no Retry-After header. */
export function retryDelaySeconds(error: GoogleError | undefined): number | undefined {
  const delay = error?.details?.find((d) => d['@type']?.endsWith('google.rpc.RetryInfo'))?.retryDelay;
  const match = delay?.match(/^(\d+(?:\.\d+)?)s$/);
  return match ? Math.ceil(Number(match[1])) : undefined;
}

/**
 * Checks a Gemini API key with `GET /v1beta/models?pageSize=1` (free), sent in the `x-goog-api-key` header (a
 * `?key=` query would end up in logs). Gemini answers an invalid key with **400** `INVALID_ARGUMENT` and reason
 * `API_KEY_INVALID`, not 401: that is `invalid_api_key`. `FAILED_PRECONDITION` (free tier not available in the
 * region) is a `provider_error`; 429 carries `RetryInfo.retryDelay` as `retryAfter`.
 */
export async function validateGemini(check: GeminiKeyCheck): Promise<ValidationResult> {
  checkGeminiInput(check);
  const timeoutMs = check.timeoutMs ?? 10_000;
  const outcome = await send({
    provider: PROVIDER,
    url: `${(check.baseURL ?? 'https://generativelanguage.googleapis.com').replace(/\/+$/, '')}/v1beta/models?pageSize=1`,
    headers: { 'x-goog-api-key': check.apiKey },
    fetch: check.fetch ?? getDefaultFetch(),
    timeoutMs,
    secrets: [check.apiKey],
  });
  if (outcome.ok) {
    await openBody(outcome.response).cancel();
    return result(PROVIDER, 'success', 'The key is valid.', { details: {}, httpStatus: 200 });
  }
  const error = googleError(outcome.body);
  const reason = error?.details?.find((d) => d.reason)?.reason;
  const details = { status: error?.status, reason };
  let code: ValidationErrorCode | undefined;
  if (
    reason === 'API_KEY_INVALID' ||
    (outcome.status === 400 && /api key not valid/i.test(error?.message ?? ''))
  )
    code = 'invalid_api_key';
  else if (outcome.status === 400) code = 'provider_error';
  const mapped = mapFailure(PROVIDER, outcome, { timeoutMs, code, details });
  if (mapped.errorCode === 'rate_limit_exceeded' && mapped.retryAfter === null) {
    return { ...mapped, retryAfter: retryDelaySeconds(error) ?? null };
  }
  return mapped;
}
