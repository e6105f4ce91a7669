import type { FetchFunction } from '@llmo/core/provider';
import { openBody } from '@llmo/core/provider';
import { getDefaultFetch } from '@llmo/core/transport';
import { invalidInput, requireText } from './invalid-input-error.js';
import { mapFailure } from './map-failure.js';
import { type Outcome, send } from './send.js';
import { result, type ValidationResult } from './validation-result.js';

export const GIGACHAT_SCOPES = ['GIGACHAT_API_PERS', 'GIGACHAT_API_B2B', 'GIGACHAT_API_CORP'] as const;
export type GigaChatScope = (typeof GIGACHAT_SCOPES)[number];

export interface GigaChatKeyCheck {
  /** The authorization key (base64 of `ClientID:ClientSecret`). */
  credentials: string;
  /** Check this scope only (one token request). Without it, the scope is detected: PERS, then B2B, then CORP. */
  scope?: GigaChatScope;
  /** Called before each scope is tried during auto-detection: `(scope, current, total)`. */
  onScopeAttempt?: (scope: GigaChatScope, current: number, total: number) => void;
  authURL?: string;
  baseURL?: string;
  /** On Node, `createGigaChatFetch({ ca })` from `@llmo/validators/node` for the Russian Trusted Root CA. */
  fetch?: FetchFunction;
  /** Per request. Default 10 s. */
  timeoutMs?: number;
}

const PROVIDER = 'gigachat';
const RATE_LIMIT_RETRY_SECONDS = 30;

/** Checks the input before any request; returns the normalised check. */
export function checkGigaChatInput(check: GigaChatKeyCheck): GigaChatKeyCheck {
  if (!check || typeof check !== 'object')
    throw invalidInput('validateGigaChat', 'pass { credentials, scope? }');
  requireText(check.credentials, 'credentials', 'validateGigaChat');
  if (check.scope !== undefined && !GIGACHAT_SCOPES.includes(check.scope)) {
    throw invalidInput(
      'validateGigaChat',
      `scope must be one of ${GIGACHAT_SCOPES.join(', ')} (or omitted to detect it)`,
    );
  }
  return check;
}

type Attempt =
  | { kind: 'valid'; requestId?: string }
  | { kind: 'mismatch' }
  | { kind: 'stop'; result: ValidationResult };

const isScopeMismatch = (outcome: Outcome) =>
  !outcome.ok &&
  (outcome.status === 400 || outcome.status === 401) &&
  (outcome.body as { code?: unknown } | undefined)?.code === 7;

/** One scope: obtain a token for it, then list models with that token. */
async function tryScope(
  check: GigaChatKeyCheck,
  scope: GigaChatScope,
  details: Record<string, unknown>,
): Promise<Attempt> {
  const fetch = check.fetch ?? getDefaultFetch();
  const timeoutMs = check.timeoutMs ?? 10_000;
  const secrets = [check.credentials];
  const token = await send({
    provider: PROVIDER,
    url: check.authURL ?? 'https://ngw.devices.sberbank.ru:9443/api/v2/oauth',
    method: 'POST',
    headers: {
      authorization: `Basic ${check.credentials}`,
      rquid: crypto.randomUUID(),
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: new URLSearchParams({ scope }).toString(),
    fetch,
    timeoutMs,
    secrets,
  });
  if (isScopeMismatch(token)) return { kind: 'mismatch' };
  if (!token.ok) {
    return {
      kind: 'stop',
      result: mapFailure(PROVIDER, token, {
        timeoutMs,
        defaultRetryAfter: RATE_LIMIT_RETRY_SECONDS,
        details,
      }),
    };
  }
  const { access_token: accessToken } = (await token.response.json()) as { access_token?: string };
  if (!accessToken) {
    return {
      kind: 'stop',
      result: result(PROVIDER, 'validation_error', 'gigachat: the token response has no access_token', {
        details,
        httpStatus: 200,
      }),
    };
  }
  const models = await send({
    provider: PROVIDER,
    url: `${(check.baseURL ?? 'https://gigachat.devices.sberbank.ru/api/v1').replace(/\/+$/, '')}/models`,
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    fetch,
    timeoutMs,
    secrets: [...secrets, accessToken],
  });
  if (!models.ok) {
    return {
      kind: 'stop',
      result: mapFailure(PROVIDER, models, {
        timeoutMs,
        defaultRetryAfter: RATE_LIMIT_RETRY_SECONDS,
        details,
      }),
    };
  }
  await openBody(models.response).cancel();
  return { kind: 'valid', requestId: models.response.headers.get('x-request-id') ?? undefined };
}

const stoppedReasonOf = (r: ValidationResult) => r.errorCode;

/**
 * Checks a GigaChat authorization key: obtains a token for the scope, then lists models with it (both free).
 * With a scope, one attempt; `scope_mismatch` when GigaChat answers code 7. Without one, tries PERS, then B2B,
 * then CORP, moving on only after a scope mismatch and stopping at once on anything else (401, 429, timeout,
 * 5xx). `details` tells what happened: `autoDetectionUsed`, `detectedScope`, `attemptsCount`, `totalTimeMs`,
 * `attemptedScopes`, and `stoppedReason` when it stopped early.
 *
 * @example
 * const check = await validateGigaChat({ credentials: key, onScopeAttempt: (s, i, n) => log(`${s} ${i}/${n}`) });
 * if (check.valid) saveScope(check.details.detectedScope);
 */
export async function validateGigaChat(check: GigaChatKeyCheck): Promise<ValidationResult> {
  checkGigaChatInput(check);
  const started = Date.now();
  if (check.scope) {
    const details = { scope: check.scope, autoDetectionUsed: false };
    const attempt = await tryScope(check, check.scope, details);
    if (attempt.kind === 'valid') {
      return result(PROVIDER, 'success', 'The key is valid.', {
        details: { ...details, requestId: attempt.requestId },
        httpStatus: 200,
      });
    }
    if (attempt.kind === 'mismatch') {
      return result(
        PROVIDER,
        'scope_mismatch',
        `The key was not issued for scope ${check.scope}: choose the scope of your account (GIGACHAT_API_PERS for individuals, GIGACHAT_API_B2B for prepaid, GIGACHAT_API_CORP for postpaid), or omit scope to detect it.`,
        { details: { ...details, providerCode: 7 }, httpStatus: 400 },
      );
    }
    return attempt.result;
  }

  const attemptedScopes: GigaChatScope[] = [];
  for (const [index, scope] of GIGACHAT_SCOPES.entries()) {
    check.onScopeAttempt?.(scope, index + 1, GIGACHAT_SCOPES.length);
    attemptedScopes.push(scope);
    const attempt = await tryScope(check, scope, {});
    const progress = () => ({
      autoDetectionUsed: true,
      attemptsCount: attemptedScopes.length,
      totalTimeMs: Date.now() - started,
      attemptedScopes: [...attemptedScopes],
    });
    if (attempt.kind === 'valid') {
      return result(PROVIDER, 'success', `The key is valid for scope ${scope} (detected).`, {
        details: { ...progress(), scope, detectedScope: scope, requestId: attempt.requestId },
        httpStatus: 200,
      });
    }
    if (attempt.kind === 'stop') {
      return {
        ...attempt.result,
        details: { ...attempt.result.details, ...progress(), stoppedReason: stoppedReasonOf(attempt.result) },
      };
    }
  }
  return result(
    PROVIDER,
    'scope_mismatch',
    'The key matches none of the scopes GIGACHAT_API_PERS, GIGACHAT_API_B2B, GIGACHAT_API_CORP.',
    {
      details: {
        autoDetectionUsed: true,
        attemptsCount: attemptedScopes.length,
        totalTimeMs: Date.now() - started,
        attemptedScopes,
        stoppedReason: 'scope_mismatch',
        providerCode: 7,
      },
      httpStatus: 400,
    },
  );
}
