import { BEDROCK_TEST_CREDENTIALS, BEDROCK_TEST_SESSION_CREDENTIALS, BedrockFakeServer } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateBedrock } from './validate-bedrock.js';
import { validateMany } from './validate-many.js';

describe('validateBedrock', () => {
  let server: BedrockFakeServer;
  beforeAll(async () => {
    server = await BedrockFakeServer.start({
      expiredTokens: ['expired-token-for-the-check'],
      deniedModels: ['anthropic.claude-opus-4-1-20250805-v1:0'],
      apiKeys: ['bedrock-api-key-valid'],
    });
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());
  const base = () => ({
    region: 'us-east-1',
    credentials: BEDROCK_TEST_CREDENTIALS,
    baseURL: server.baseURL,
    runtimeURL: server.baseURL,
  });
  const leaks = (r: unknown, ...secrets: (string | undefined)[]) =>
    secrets.filter((s) => s && JSON.stringify(r).includes(s));

  it('success: ListFoundationModels, SigV4-signed with service bedrock (verified by the fake)', async () => {
    const r = await validateBedrock(base());
    expect(r).toMatchObject({ valid: true, errorCode: 'success', provider: 'bedrock', httpStatus: 200 });
    expect(server.requestsTo('/foundation-models')).toHaveLength(1);
    expect(server.requestsTo('/foundation-models')[0]!.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/bedrock\/aws4_request/,
    );
  });

  it('with a model: a free CountTokens proves access; no access is permission_denied with keyValid', async () => {
    const ok = await validateBedrock({ ...base(), model: 'anthropic.claude-3-5-haiku-20241022-v1:0' });
    expect(ok).toMatchObject({ valid: true, details: { model: 'anthropic.claude-3-5-haiku-20241022-v1:0' } });
    expect(server.requests.map((r) => r.path)).toEqual([
      '/foundation-models',
      '/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/count-tokens',
    ]);
    const denied = await validateBedrock({ ...base(), model: 'anthropic.claude-opus-4-1-20250805-v1:0' });
    expect(denied).toMatchObject({
      valid: false,
      errorCode: 'permission_denied',
      httpStatus: 403,
      details: { reason: 'model_access', keyValid: true, code: 'AccessDeniedException' },
    });
  });

  it('an unknown key id or a wrong secret is invalid_api_key; the echo of the canonical request is redacted', async () => {
    const unknown = await validateBedrock({
      ...base(),
      credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x'.repeat(40) },
    });
    expect(unknown).toMatchObject({
      errorCode: 'invalid_api_key',
      details: { code: 'UnrecognizedClientException' },
    });
    const creds = { ...BEDROCK_TEST_SESSION_CREDENTIALS, secretAccessKey: 'not-the-right-secret-key-00000' };
    const wrong = await validateBedrock({ ...base(), credentials: creds });
    expect(wrong).toMatchObject({ errorCode: 'invalid_api_key', details: { reason: 'invalid_signature' } });
    expect(leaks(wrong, creds.secretAccessKey, creds.sessionToken, creds.accessKeyId)).toEqual([]);
  });

  it('an expired session token is invalid_api_key with reason expired_token', async () => {
    const r = await validateBedrock({
      ...base(),
      credentials: { ...BEDROCK_TEST_SESSION_CREDENTIALS, sessionToken: 'expired-token-for-the-check' },
    });
    expect(r).toMatchObject({
      valid: false,
      errorCode: 'invalid_api_key',
      httpStatus: 403,
      details: { reason: 'expired_token', code: 'ExpiredTokenException' },
    });
    expect(r.message).toMatch(/session token has expired/);
    expect(leaks(r, 'expired-token-for-the-check')).toEqual([]);
  });

  it('a signature scoped to another region is scope_mismatch (wrong_region)', async () => {
    const r = await validateBedrock({ ...base(), region: 'eu-west-1' });
    expect(r).toMatchObject({
      errorCode: 'scope_mismatch',
      details: { reason: 'wrong_region', region: 'eu-west-1' },
    });
  });

  it('a Bedrock API key goes as Bearer; a bad one is invalid_api_key; throttling is rate_limit_exceeded', async () => {
    const ok = await validateBedrock({
      region: 'us-east-1',
      apiKey: 'bedrock-api-key-valid',
      baseURL: server.baseURL,
    });
    expect(ok.valid).toBe(true);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer bedrock-api-key-valid');
    const bad = await validateBedrock({
      region: 'us-east-1',
      apiKey: 'bedrock-api-key-bad',
      baseURL: server.baseURL,
    });
    expect(bad).toMatchObject({ errorCode: 'invalid_api_key' });
    expect(leaks(bad, 'bedrock-api-key-bad')).toEqual([]);
    server.http.enqueue('GET', '/foundation-models', {
      status: 429,
      headers: {
        'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/',
        'retry-after': '3',
      },
      body: { message: 'Rate exceeded' },
    });
    const throttled = await validateBedrock(base());
    expect(throttled).toMatchObject({ errorCode: 'rate_limit_exceeded', retryAfter: 3 });
  });

  it('rejects bad input before any request; validateMany takes bedrock checks', async () => {
    await expect(validateBedrock({ region: '', credentials: BEDROCK_TEST_CREDENTIALS })).rejects.toThrow(
      /region/,
    );
    await expect(validateBedrock({ region: 'us-east-1' })).rejects.toThrow(/credentials/);
    expect(server.requests).toHaveLength(0);
    const [r] = await validateMany([{ provider: 'bedrock', ...base() }]);
    expect(r).toMatchObject({ valid: true, provider: 'bedrock' });
  });
});
