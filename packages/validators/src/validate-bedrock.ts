import type { AwsCredentials, FetchFunction } from '@llmo/core/provider';
import { openBody, signAwsRequest } from '@llmo/core/provider';
import { getDefaultFetch } from '@llmo/core/transport';
import { invalidInput, requireText } from './invalid-input-error.js';
import { mapFailure } from './map-failure.js';
import { type Outcome, send } from './send.js';
import { result, type ValidationErrorCode, type ValidationResult } from './validation-result.js';

export interface BedrockKeyCheck {
  /** The AWS region, e.g. `us-east-1`. */
  region: string;
  /** IAM credentials (SigV4): `{ accessKeyId, secretAccessKey, sessionToken? }`. One of credentials/apiKey. */
  credentials?: AwsCredentials;
  /** A Bedrock API key (`Authorization: Bearer`), instead of credentials. */
  apiKey?: string;
  /**
   * A model id (or inference profile id) to check access to, with a free `CountTokens` call on the runtime.
   * Without it only the credentials and the region are checked.
   */
  model?: string;
  /** The control plane (`ListFoundationModels`). Default `https://bedrock.<region>.amazonaws.com`. */
  baseURL?: string;
  /** The runtime (`CountTokens`). Default `https://bedrock-runtime.<region>.amazonaws.com`. */
  runtimeURL?: string;
  fetch?: FetchFunction;
  /** Default 10 s per request. */
  timeoutMs?: number;
}

const PROVIDER = 'bedrock';

export function checkBedrockInput(check: BedrockKeyCheck): BedrockKeyCheck {
  if (!check || typeof check !== 'object')
    throw invalidInput('validateBedrock', 'pass { region, credentials | apiKey, model?, baseURL? }');
  requireText(check.region, 'region', 'validateBedrock');
  if (check.apiKey !== undefined) requireText(check.apiKey, 'apiKey', 'validateBedrock');
  else if (!check.credentials || typeof check.credentials !== 'object')
    throw invalidInput(
      'validateBedrock',
      'pass credentials { accessKeyId, secretAccessKey, sessionToken? } or apiKey',
    );
  else {
    requireText(check.credentials.accessKeyId, 'credentials.accessKeyId', 'validateBedrock');
    requireText(check.credentials.secretAccessKey, 'credentials.secretAccessKey', 'validateBedrock');
  }
  if (check.model !== undefined) requireText(check.model, 'model', 'validateBedrock');
  return check;
}

/** The AWS error code (`x-amzn-ErrorType`, else `code` / `__type`), sanitised as the SDK does, and the message. */
function awsError(failure: Extract<Outcome, { ok: false }>): { code?: string; message?: string } {
  const body = (failure.body ?? {}) as {
    code?: unknown;
    __type?: unknown;
    message?: unknown;
    Message?: unknown;
  };
  const raw =
    failure.headers?.get('x-amzn-errortype') ??
    (typeof body.code === 'string' ? body.code : typeof body.__type === 'string' ? body.__type : undefined);
  let code = raw?.split(',')[0]?.split(':')[0]?.trim();
  if (code?.includes('#')) code = code.slice(code.lastIndexOf('#') + 1);
  const message =
    typeof body.message === 'string'
      ? body.message
      : typeof body.Message === 'string'
        ? body.Message
        : undefined;
  return { code: code || undefined, message };
}

const INVALID_KEY = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'SignatureDoesNotMatch',
]);

/** What a failure means for Bedrock credentials: the typed code and the reason in `details`. */
function classify(
  code: string | undefined,
  message: string | undefined,
  step: 'list' | 'model',
): { code?: ValidationErrorCode; reason?: string; keyValid?: boolean; message?: string } {
  if (code === 'ExpiredTokenException' || code === 'RequestExpired' || /token .*expired/i.test(message ?? ''))
    return {
      code: 'invalid_api_key',
      reason: 'expired_token',
      message:
        'The session token has expired: refresh the temporary credentials (STS, SSO, the role) and check again.',
    };
  if (code === 'InvalidSignatureException' && /region/i.test(message ?? ''))
    return {
      code: 'scope_mismatch',
      reason: 'wrong_region',
      message: 'The signature is scoped to another region than the endpoint: check region and baseURL.',
    };
  if (code === 'InvalidSignatureException')
    return {
      code: 'invalid_api_key',
      reason: 'invalid_signature',
      message:
        'The signature does not match: the secret access key is wrong (or does not belong to this key id).',
    };
  if (code && INVALID_KEY.has(code)) return { code: 'invalid_api_key', reason: 'unrecognized_client' };
  if (code === 'AccessDeniedException')
    return step === 'model'
      ? {
          code: 'permission_denied',
          reason: 'model_access',
          keyValid: true,
          message:
            'The credentials are valid, but have no access to this model: request model access in the Bedrock console, or grant bedrock:InvokeModel on it.',
        }
      : { code: 'permission_denied', reason: 'access_denied' };
  if (step === 'model' && (code === 'ResourceNotFoundException' || code === 'ValidationException'))
    return {
      code: 'provider_error',
      reason: 'model_unavailable',
      keyValid: true,
      message:
        'The credentials are valid, but the model is not available here: check the model id, the region, or use an inference profile id.',
    };
  return {};
}

/**
 * Checks AWS credentials (or a Bedrock API key) for Bedrock with free calls: `GET /foundation-models`
 * (`ListFoundationModels`, proves the credentials and the region), then, when `model` is given, `CountTokens`
 * on that model (proves access to it; not billed). Codes: an unknown key or a wrong secret →
 * `invalid_api_key`; an expired session token → `invalid_api_key` with `details.reason: 'expired_token'`; a
 * signature scoped to another region → `scope_mismatch` (`wrong_region`); no access to the model →
 * `permission_denied` with `details.keyValid: true` (`model_access`); throttling → `rate_limit_exceeded`.
 * Credentials never appear in the result.
 */
export async function validateBedrock(check: BedrockKeyCheck): Promise<ValidationResult> {
  checkBedrockInput(check);
  const timeoutMs = check.timeoutMs ?? 10_000;
  const fetch = check.fetch ?? getDefaultFetch();
  const { region } = check;
  const secrets = [
    check.apiKey,
    check.credentials?.accessKeyId,
    check.credentials?.secretAccessKey,
    check.credentials?.sessionToken,
  ];

  const request = async (url: string, body?: string): Promise<Outcome> => {
    const base: Record<string, string | undefined> = {
      accept: 'application/json',
      'content-type': body === undefined ? undefined : 'application/json',
    };
    let headers: Record<string, string | undefined>;
    if (check.apiKey !== undefined) headers = { ...base, authorization: `Bearer ${check.apiKey}` };
    else
      headers = (
        await signAwsRequest({
          method: body === undefined ? 'GET' : 'POST',
          url,
          headers: base,
          body,
          credentials: check.credentials!,
          region,
          service: 'bedrock',
        })
      ).headers;
    return send({ provider: PROVIDER, url, headers, body, fetch, timeoutMs, secrets });
  };

  const failed = (outcome: Extract<Outcome, { ok: false }>, step: 'list' | 'model') => {
    const { code: awsCode, message: awsMessage } = awsError(outcome);
    const mapped = classify(awsCode, awsMessage, step);
    return mapFailure(PROVIDER, outcome, {
      timeoutMs,
      code: mapped.code,
      message: mapped.message ? `${mapped.message} (${outcome.error.message})` : undefined,
      details: {
        region,
        code: awsCode,
        reason: mapped.reason,
        keyValid: mapped.keyValid,
        model: step === 'model' ? check.model : undefined,
        requestId: outcome.error.requestId,
      },
    });
  };

  const controlPlane = (check.baseURL ?? `https://bedrock.${region}.amazonaws.com`).replace(/\/+$/, '');
  const listed = await request(`${controlPlane}/foundation-models`);
  if (!listed.ok) return failed(listed, 'list');
  await openBody(listed.response).cancel();

  if (check.model !== undefined) {
    const runtime = (check.runtimeURL ?? `https://bedrock-runtime.${region}.amazonaws.com`).replace(
      /\/+$/,
      '',
    );
    const counted = await request(
      `${runtime}/model/${encodeURIComponent(check.model)}/count-tokens`,
      JSON.stringify({ input: { converse: { messages: [{ role: 'user', content: [{ text: 'hi' }] }] } } }),
    );
    if (!counted.ok) return failed(counted, 'model');
    await openBody(counted.response).cancel();
  }
  return result(
    PROVIDER,
    'success',
    check.model === undefined
      ? 'The credentials are valid for Bedrock in this region.'
      : 'The credentials are valid and may use this model.',
    { details: { region, model: check.model }, httpStatus: 200 },
  );
}
