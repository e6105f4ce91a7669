import { inspect } from 'node:util';
import { VertexFakeServer, type VertexTestServiceAccount } from '@llmo/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateVertex } from './validate-vertex.js';

describe('validateVertex', () => {
  let server: VertexFakeServer;
  let account: VertexTestServiceAccount;
  beforeAll(async () => {
    server = await VertexFakeServer.start({
      projects: ['test-project'],
      locations: ['us-central1', 'us-east5', 'global'],
      deniedModels: ['claude-opus-4-1@20250805'],
      accessTokens: ['ya29.app-token-123456'],
      apiKeys: ['AQ.express-123456'],
    });
    account = await server.createServiceAccount({ projectId: 'test-project' });
    // Making an RSA key pair is slow on a loaded machine.
  }, 60_000);
  afterAll(() => server.close());
  beforeEach(() => server.reset());
  const base = () => ({ baseURL: server.url, location: 'us-central1', timeoutMs: 5_000 });

  it('success: a service account gets a token, then a free countTokens proves project, location and model', async () => {
    const r = await validateVertex({ ...base(), serviceAccount: account.key });
    expect(r).toMatchObject({ valid: true, errorCode: 'success', provider: 'vertex', httpStatus: 200 });
    expect(r.details).toMatchObject({ project: 'test-project', location: 'us-central1', family: 'gemini' });
    expect(server.tokenRequests).toHaveLength(1);
    expect(server.gemini.requests.at(-1)!.path).toBe(
      '/v1/projects/test-project/locations/us-central1/publishers/google/models/gemini-2.5-flash:countTokens',
    );
  });

  it('success for Claude through count-tokens:rawPredict, and with an access token or an express key', async () => {
    const claude = await validateVertex({
      ...base(),
      location: 'us-east5',
      serviceAccount: JSON.stringify(account.key),
      model: 'claude-sonnet-4-5@20250929',
    });
    expect(claude).toMatchObject({ valid: true, details: { family: 'claude' } });
    expect(
      await validateVertex({ ...base(), accessToken: 'ya29.app-token-123456', project: 'test-project' }),
    ).toMatchObject({ valid: true });
    expect(await validateVertex({ baseURL: server.url, apiKey: 'AQ.express-123456' })).toMatchObject({
      valid: true,
    });
  });

  it('an expired or invalid token is invalid_api_key (401 UNAUTHENTICATED)', async () => {
    const r = await validateVertex({
      ...base(),
      accessToken: 'ya29.expired-000000',
      project: 'test-project',
    });
    expect(r).toMatchObject({ valid: false, errorCode: 'invalid_api_key', httpStatus: 401 });
    expect(r.message).not.toContain('ya29.expired-000000');
    expect(await validateVertex({ baseURL: server.url, apiKey: 'AQ.wrong-000000' })).toMatchObject({
      errorCode: 'invalid_api_key',
    });
  });

  it('a refused service-account key (invalid_grant) is invalid_api_key, without the key or the JWT', async () => {
    const r = await validateVertex({
      ...base(),
      serviceAccount: { ...account.key, client_email: 'deleted@test-project.iam.gserviceaccount.com' },
    });
    expect(r).toMatchObject({
      errorCode: 'invalid_api_key',
      details: { stage: 'token', reason: 'invalid_grant' },
    });
    const text = inspect(r, { depth: 10 });
    expect(text).not.toContain(account.key.private_key.split('\n')[2]);
    expect(text).not.toMatch(/eyJ[\w-]+\.eyJ/);
  });

  it('a wrong project is permission_denied (403 PERMISSION_DENIED)', async () => {
    const r = await validateVertex({ ...base(), serviceAccount: account.key, project: 'someone-else' });
    expect(r).toMatchObject({
      errorCode: 'permission_denied',
      httpStatus: 403,
      details: { status: 'PERMISSION_DENIED' },
    });
  });

  it('a location Vertex does not serve is provider_error with the Google status', async () => {
    const r = await validateVertex({ ...base(), serviceAccount: account.key, location: 'mars-north1' });
    expect(r).toMatchObject({
      errorCode: 'provider_error',
      httpStatus: 400,
      details: { status: 'INVALID_ARGUMENT' },
    });
  });

  it('a model the project may not use is permission_denied with reason model_access', async () => {
    const r = await validateVertex({
      ...base(),
      location: 'us-east5',
      serviceAccount: account.key,
      model: 'claude-opus-4-1@20250805',
    });
    expect(r).toMatchObject({ errorCode: 'permission_denied', details: { reason: 'model_access' } });
  });

  it('a 429 takes RetryInfo; a token endpoint that hangs is network_timeout', async () => {
    server.gemini.replyTo('countTokens', {
      status: 429,
      body: {
        error: {
          code: 429,
          status: 'RESOURCE_EXHAUSTED',
          message: 'Resource exhausted.',
          details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '12s' }],
        },
      },
    });
    expect(
      await validateVertex({ ...base(), accessToken: 'ya29.app-token-123456', project: 'test-project' }),
    ).toMatchObject({
      errorCode: 'rate_limit_exceeded',
      retryAfter: 12,
    });
    server.http.enqueue('POST', '/token', { hang: true });
    expect(await validateVertex({ ...base(), serviceAccount: account.key, timeoutMs: 200 })).toMatchObject({
      errorCode: 'network_timeout',
    });
  });

  it('bad input throws before any request', async () => {
    await expect(validateVertex({ ...base() })).rejects.toThrow(/exactly one/);
    await expect(validateVertex({ ...base(), accessToken: 'ya29.x-123' })).rejects.toThrow(
      /project is required/,
    );
    await expect(
      validateVertex({ ...base(), apiKey: 'AQ.x', model: 'claude-haiku-4-5@20251001' }),
    ).rejects.toThrow(/Gemini models only/);
    expect(server.http.requests).toHaveLength(0);
  });
});
