import type { FetchFunction } from '@llmo/core/provider';
import { openBody } from '@llmo/core/provider';
import { getDefaultFetch } from '@llmo/core/transport';
import { invalidInput, requireText } from './invalid-input-error.js';
import { mapFailure } from './map-failure.js';
import { send } from './send.js';
import { result, type ValidationResult } from './validation-result.js';

export interface AnthropicKeyCheck {
  apiKey: string;
  /** Default `https://api.anthropic.com`. */
  baseURL?: string;
  fetch?: FetchFunction;
  /** Default 10 s. */
  timeoutMs?: number;
}

const PROVIDER = 'anthropic';

export function checkAnthropicInput(check: AnthropicKeyCheck): AnthropicKeyCheck {
  if (!check || typeof check !== 'object')
    throw invalidInput('validateAnthropic', 'pass { apiKey, baseURL? }');
  requireText(check.apiKey, 'apiKey', 'validateAnthropic');
  return check;
}

/**
 * Checks an Anthropic key with `GET /v1/models?limit=1` (free). `authentication_error` → `invalid_api_key`;
 * `permission_error` → `permission_denied`; `billing_error` (402) is a `provider_error` with
 * `details.keyValid: true`; rate limits carry Retry-After.
 */
export async function validateAnthropic(check: AnthropicKeyCheck): Promise<ValidationResult> {
  checkAnthropicInput(check);
  const timeoutMs = check.timeoutMs ?? 10_000;
  const outcome = await send({
    provider: PROVIDER,
    url: `${(check.baseURL ?? 'https://api.anthropic.com').replace(/\/+$/, '')}/v1/models?limit=1`,
    headers: { 'x-api-key': check.apiKey, 'anthropic-version': '2023-06-01' },
    fetch: check.fetch ?? getDefaultFetch(),
    timeoutMs,
    secrets: [check.apiKey],
  });
  if (outcome.ok) {
    await openBody(outcome.response).cancel();
    return result(PROVIDER, 'success', 'The key is valid.', {
      details: { requestId: outcome.response.headers.get('request-id') ?? undefined },
      httpStatus: 200,
    });
  }
  const body = outcome.body as { error?: { type?: unknown }; request_id?: unknown } | undefined;
  const type = typeof body?.error?.type === 'string' ? body.error.type : undefined;
  const requestId =
    outcome.error.requestId ?? (typeof body?.request_id === 'string' ? body.request_id : undefined);
  if (type === 'billing_error') {
    return result(
      PROVIDER,
      'provider_error',
      'The key is valid, but the account has a billing problem (billing_error): check the Anthropic console.',
      {
        details: { reason: 'billing_error', keyValid: true, requestId },
        httpStatus: outcome.status ?? null,
      },
    );
  }
  return mapFailure(PROVIDER, outcome, { timeoutMs, details: { type, requestId } });
}
