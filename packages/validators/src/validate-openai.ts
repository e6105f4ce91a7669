import type { FetchFunction } from '@llmo/core/provider';
import { getDefaultFetch } from '@llmo/core/transport';
import { invalidInput, requireText } from './invalid-input-error.js';
import { mapFailure } from './map-failure.js';
import { send } from './send.js';
import { result, type ValidationResult } from './validation-result.js';

export interface OpenAIKeyCheck {
  apiKey: string;
  /** Default `https://api.openai.com/v1`; any OpenAI-compatible server's `/v1` works. */
  baseURL?: string;
  organization?: string;
  project?: string;
  fetch?: FetchFunction;
  /** Default 10 s. */
  timeoutMs?: number;
}

const PROVIDER = 'openai';

export function checkOpenAIInput(check: OpenAIKeyCheck): OpenAIKeyCheck {
  if (!check || typeof check !== 'object') throw invalidInput('validateOpenAI', 'pass { apiKey, baseURL? }');
  requireText(check.apiKey, 'apiKey', 'validateOpenAI');
  return check;
}

/**
 * Checks an OpenAI (or compatible) key with `GET /models`, which is free. `insufficient_quota` is not a bad key:
 * it is a `provider_error` with `details.keyValid: true` and `details.reason: 'insufficient_quota'` (the account
 * needs credit; retrying will not help).
 */
export async function validateOpenAI(check: OpenAIKeyCheck): Promise<ValidationResult> {
  checkOpenAIInput(check);
  const timeoutMs = check.timeoutMs ?? 10_000;
  const baseURL = (check.baseURL ?? 'https://api.openai.com/v1').replace(/\/+$/, '');
  const outcome = await send({
    provider: PROVIDER,
    url: `${baseURL}/models`,
    headers: {
      authorization: `Bearer ${check.apiKey}`,
      'openai-organization': check.organization,
      'openai-project': check.project,
    },
    fetch: check.fetch ?? getDefaultFetch(),
    timeoutMs,
    secrets: [check.apiKey],
  });
  if (outcome.ok) {
    const list = (await outcome.response.json().catch(() => ({}))) as { data?: unknown[] };
    return result(PROVIDER, 'success', 'The key is valid.', {
      details: {
        models: Array.isArray(list.data) ? list.data.length : undefined,
        requestId: outcome.response.headers.get('x-request-id') ?? undefined,
      },
      httpStatus: 200,
    });
  }
  const error = (outcome.body as { error?: { code?: unknown; type?: unknown } } | undefined)?.error;
  if (error?.code === 'insufficient_quota' || error?.type === 'insufficient_quota') {
    return result(
      PROVIDER,
      'provider_error',
      'The key is valid, but its account has no quota left (insufficient_quota): add credit in the OpenAI billing settings; retrying will not help.',
      {
        details: { reason: 'insufficient_quota', keyValid: true, requestId: outcome.error.requestId },
        httpStatus: outcome.status ?? null,
      },
    );
  }
  return mapFailure(PROVIDER, outcome, { timeoutMs, details: { code: error?.code ?? undefined } });
}
