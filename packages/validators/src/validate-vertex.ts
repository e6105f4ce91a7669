import type { FetchFunction } from '@llmo/core/provider';
import { openBody, ProviderError } from '@llmo/core/provider';
import { getDefaultFetch } from '@llmo/core/transport';
import {
  fetchServiceAccountToken,
  parseServiceAccount,
  type ServiceAccountKey,
  vertexFamily,
  vertexHost,
  vertexModelPath,
} from '@llmo/provider-vertex/auth';
import { invalidInput, requireText } from './invalid-input-error.js';
import { mapFailure } from './map-failure.js';
import { send } from './send.js';
import { retryDelaySeconds } from './validate-gemini.js';
import { result, type ValidationErrorCode, type ValidationResult } from './validation-result.js';

export interface VertexCredentialCheck {
  /** A service-account key (JSON text or object): its JWT is exchanged for a token first. */
  serviceAccount?: string | ServiceAccountKey;
  /** An OAuth access token. */
  accessToken?: string;
  /** An express-mode API key (Gemini models only; no project or location). */
  apiKey?: string;
  /** Default: the key's `project_id`. */
  project?: string;
  /** A region, `global`, `us` or `eu`. Default `global`. */
  location?: string;
  /** The model whose access is checked. Default `gemini-2.5-flash`; a `claude-…@…` id checks Claude. */
  model?: string;
  /** Default: the location's Vertex host. */
  baseURL?: string;
  fetch?: FetchFunction;
  /** Default 10 s (for the token request and the check each). */
  timeoutMs?: number;
}

const PROVIDER = 'vertex';
const NAME = 'validateVertex';

export function checkVertexInput(check: VertexCredentialCheck): VertexCredentialCheck {
  if (!check || typeof check !== 'object')
    throw invalidInput(NAME, 'pass { serviceAccount | accessToken | apiKey, project?, location?, model? }');
  const given = [check.serviceAccount, check.accessToken, check.apiKey].filter((c) => c !== undefined);
  if (given.length !== 1)
    throw invalidInput(NAME, 'pass exactly one of serviceAccount, accessToken or apiKey');
  if (check.accessToken !== undefined) requireText(check.accessToken, 'accessToken', NAME);
  if (check.apiKey !== undefined) requireText(check.apiKey, 'apiKey', NAME);
  if (check.project !== undefined) requireText(check.project, 'project', NAME);
  if (check.location !== undefined && !/^[a-z0-9-]+$/.test(check.location))
    throw invalidInput(NAME, 'location must be a region ("us-central1"), "global", "us" or "eu"');
  if (check.apiKey !== undefined && check.model && vertexFamily(check.model) === 'claude')
    throw invalidInput(NAME, 'express mode (apiKey) serves Gemini models only');
  if (check.accessToken !== undefined && check.project === undefined)
    throw invalidInput(NAME, 'project is required with an accessToken');
  return check;
}

/** The google.rpc.Status of an error body, bare or array-wrapped. */
function googleError(body: unknown): { status?: string; message?: string; details?: { reason?: string }[] } {
  const first = Array.isArray(body) ? body[0] : body;
  return (first as { error?: Record<string, never> } | undefined)?.error ?? {};
}

/**
 * Checks Vertex AI credentials with a free token count on the model (`:countTokens` for Gemini,
 * `count-tokens:rawPredict` for Claude), which proves the credentials, the project, the location and access
 * to the model at once:
 * - a service-account key is first exchanged for a token; a refused grant (`invalid_grant`: wrong, deleted or
 *   disabled key) or an unreadable key is `invalid_api_key`;
 * - 401 `UNAUTHENTICATED` (expired or invalid token) → `invalid_api_key`; 400 `API_KEY_INVALID` (express) too;
 * - 403 `PERMISSION_DENIED` (wrong project, missing IAM role, API not enabled) → `permission_denied`;
 * - 400 `FAILED_PRECONDITION` "not allowed to use Publisher Model" → `permission_denied`, `details.reason:
 *   "model_access"`;
 * - 404 (model not served in this location, unknown project) and 400 `INVALID_ARGUMENT` (a location Vertex does
 *   not serve) → `provider_error` with the Google status in `details`;
 * - 429 → `rate_limit_exceeded` (`RetryInfo` as `retryAfter`), timeouts → `network_timeout`.
 * No credential (key, JWT, token) ever appears in the result.
 */
export async function validateVertex(check: VertexCredentialCheck): Promise<ValidationResult> {
  checkVertexInput(check);
  const timeoutMs = check.timeoutMs ?? 10_000;
  const fetch = check.fetch ?? getDefaultFetch();
  const location = check.location ?? 'global';
  const model = check.model ?? 'gemini-2.5-flash';
  const family = vertexFamily(model);
  const details: Record<string, unknown> = { location, model, family };

  let headers: Record<string, string>;
  let secrets: string[];
  let project = check.project;
  if (check.serviceAccount !== undefined) {
    let key: ServiceAccountKey;
    let token: string;
    try {
      key = parseServiceAccount(check.serviceAccount, PROVIDER);
      project ??= key.project_id;
      token = (await fetchServiceAccountToken({ provider: PROVIDER, key, fetch, timeoutMs })).token;
    } catch (error) {
      if (!ProviderError.isInstance(error)) throw error;
      return tokenFailure(error, timeoutMs, { ...details, stage: 'token' });
    }
    headers = { authorization: `Bearer ${token}` };
    secrets = [token];
  } else if (check.accessToken !== undefined) {
    headers = { authorization: `Bearer ${check.accessToken}` };
    secrets = [check.accessToken];
  } else {
    headers = { 'x-goog-api-key': check.apiKey! };
    secrets = [check.apiKey!];
    project = undefined;
  }
  if (check.apiKey === undefined && project === undefined)
    throw invalidInput(NAME, 'project is required (the key has no project_id)');
  details.project = project;

  const base = (check.baseURL ?? vertexHost(location)).replace(/\/+$/, '');
  const path = `${base}/v1/${vertexModelPath({ model, family, project, location })}`;
  const outcome = await send({
    provider: PROVIDER,
    url:
      family === 'claude'
        ? path.replace(/\/models\/[^/]+$/, '/models/count-tokens:rawPredict')
        : `${path}:countTokens`,
    headers: { ...headers, accept: 'application/json' },
    body:
      family === 'claude'
        ? {
            anthropic_version: 'vertex-2023-10-16',
            model,
            messages: [{ role: 'user', content: 'ping' }],
          }
        : { contents: [{ role: 'user', parts: [{ text: 'ping' }] }] },
    fetch,
    timeoutMs,
    secrets,
  });
  if (outcome.ok) {
    await openBody(outcome.response).cancel();
    return result(PROVIDER, 'success', 'The credentials are valid and may use the model here.', {
      details,
      httpStatus: 200,
    });
  }
  const error = googleError(outcome.body);
  const reason = error.details?.find((d) => d.reason)?.reason;
  const status = error.status;
  let code: ValidationErrorCode | undefined;
  if (reason === 'API_KEY_INVALID') code = 'invalid_api_key';
  else if (
    status === 'FAILED_PRECONDITION' ||
    /not allowed to use publisher model/i.test(error.message ?? '')
  ) {
    code = 'permission_denied';
    details.reason = 'model_access';
  } else if (outcome.status === 400 || outcome.status === 404) code = 'provider_error';
  const mapped = mapFailure(PROVIDER, outcome, {
    timeoutMs,
    code,
    details: { ...details, status, reason: details.reason ?? reason },
  });
  // Vertex sends no Retry-After; a RetryInfo detail, when present, says when to try again.
  if (mapped.errorCode === 'rate_limit_exceeded' && mapped.retryAfter === null)
    return {
      ...mapped,
      retryAfter: retryDelaySeconds(error as Parameters<typeof retryDelaySeconds>[0]) ?? null,
    };
  return mapped;
}

/** A failure to get a token from a service-account key. */
function tokenFailure(
  error: ProviderError,
  timeoutMs: number,
  details: Record<string, unknown>,
): ValidationResult {
  if (error.kind === 'auth' || error.kind === 'permission')
    return result(
      PROVIDER,
      'invalid_api_key',
      `The service-account key was rejected: check that it is whole, not deleted or disabled (${error.message})`,
      { details: { ...details, reason: error.code }, httpStatus: error.status ?? null },
    );
  if (error.kind === 'timeout')
    return result(
      PROVIDER,
      'network_timeout',
      `${PROVIDER}: the token endpoint did not answer within ${timeoutMs} ms`,
      {
        details,
        httpStatus: 504,
      },
    );
  return result(
    PROVIDER,
    error.status ? 'provider_error' : 'validation_error',
    `${PROVIDER}: no token: ${error.message}`,
    {
      details,
      httpStatus: error.status ?? null,
    },
  );
}
