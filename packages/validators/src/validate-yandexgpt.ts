import type { FetchFunction } from '@llmo/core/provider';
import { openBody } from '@llmo/core/provider';
import { getDefaultFetch } from '@llmo/core/transport';
import { invalidInput, requireText } from './invalid-input-error.js';
import { codeForStatus, mapFailure } from './map-failure.js';
import { send } from './send.js';
import { result, type ValidationErrorCode, type ValidationResult } from './validation-result.js';

export interface YandexGPTKeyCheck {
  /** The Yandex Cloud folder the key must be able to use. */
  folderId: string;
  /** A service account's API key (`Api-Key`)… */
  apiKey?: string;
  /** …or an IAM token (`Bearer`, sent with `x-folder-id`). Exactly one of the two. */
  iamToken?: string;
  baseURL?: string;
  fetch?: FetchFunction;
  /** Default 10 s. */
  timeoutMs?: number;
}

const PROVIDER = 'yandexgpt';
const RATE_LIMIT_RETRY_SECONDS = 10;
/** gRPC codes Yandex returns, and what they mean for a key. */
const GRPC_CODES: Record<number, ValidationErrorCode> = {
  16: 'invalid_api_key', // UNAUTHENTICATED
  7: 'permission_denied', // PERMISSION_DENIED
  8: 'rate_limit_exceeded', // RESOURCE_EXHAUSTED
  13: 'provider_error', // INTERNAL
};

export function checkYandexGPTInput(check: YandexGPTKeyCheck): YandexGPTKeyCheck {
  if (!check || typeof check !== 'object')
    throw invalidInput('validateYandexGPT', 'pass { folderId, apiKey | iamToken }');
  requireText(check.folderId, 'folderId', 'validateYandexGPT');
  if ((check.apiKey === undefined) === (check.iamToken === undefined)) {
    throw invalidInput('validateYandexGPT', 'give exactly one of apiKey (service account) or iamToken');
  }
  requireText(
    check.apiKey ?? check.iamToken,
    check.apiKey !== undefined ? 'apiKey' : 'iamToken',
    'validateYandexGPT',
  );
  return check;
}

/**
 * Checks a YandexGPT key against a folder with the cheapest possible completion: `yandexgpt-lite/latest`,
 * `maxTokens` 1 (about a hundredth of a kopeck). `permission_denied` carries `details.folderId` (wrong folder,
 * missing `ai.languageModels.user` role, inactive billing); `details.grpcCode` and `details.requestId` echo
 * what Yandex said.
 */
export async function validateYandexGPT(check: YandexGPTKeyCheck): Promise<ValidationResult> {
  checkYandexGPTInput(check);
  const timeoutMs = check.timeoutMs ?? 10_000;
  const secret = (check.apiKey ?? check.iamToken)!;
  const details: Record<string, unknown> = { folderId: check.folderId, model: 'yandexgpt-lite/latest' };
  const outcome = await send({
    provider: PROVIDER,
    url: `${(check.baseURL ?? 'https://llm.api.cloud.yandex.net').replace(/\/+$/, '')}/foundationModels/v1/completion`,
    headers: {
      authorization: check.apiKey !== undefined ? `Api-Key ${check.apiKey}` : `Bearer ${check.iamToken}`,
      'x-folder-id': check.iamToken !== undefined ? check.folderId : undefined,
      'x-client-request-id': crypto.randomUUID(),
    },
    body: {
      modelUri: `gpt://${check.folderId}/yandexgpt-lite/latest`,
      completionOptions: { stream: false, temperature: 0, maxTokens: '1' },
      messages: [{ role: 'user', text: 'ping' }],
    },
    fetch: check.fetch ?? getDefaultFetch(),
    timeoutMs,
    secrets: [secret],
  });
  if (outcome.ok) {
    await openBody(outcome.response).cancel();
    return result(PROVIDER, 'success', 'The key is valid and may use the folder.', {
      details: { ...details, requestId: outcome.response.headers.get('x-request-id') ?? undefined },
      httpStatus: 200,
    });
  }
  const body = outcome.body as { error?: { grpcCode?: unknown }; code?: unknown } | undefined;
  const grpc = Number(body?.error?.grpcCode ?? body?.code);
  const grpcCode = Number.isFinite(grpc) ? grpc : undefined;
  const code =
    (grpcCode !== undefined ? GRPC_CODES[grpcCode] : undefined) ??
    (outcome.status ? codeForStatus(outcome.status) : undefined);
  const message =
    code === 'permission_denied'
      ? `The key may not use folder ${check.folderId}: check the folder id, the ai.languageModels.user role and that billing is active. (${outcome.error.message})`
      : undefined;
  return mapFailure(PROVIDER, outcome, {
    timeoutMs,
    defaultRetryAfter: RATE_LIMIT_RETRY_SECONDS,
    code,
    message,
    details: { ...details, grpcCode },
  });
}
