import { webcrypto } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VertexFakeServer, type VertexTestServiceAccount } from './servers/vertex-server.js';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT signed RS256 with `pem` (PKCS#8), as a client would sign it. */
async function jwt(pem: string, claims: Record<string, unknown>): Promise<string> {
  const der = Buffer.from(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s/g, ''), 'base64');
  const key = await webcrypto.subtle.importKey(
    'pkcs8',
    der,
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const input = `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(claims)}`;
  const signature = await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', key, new TextEncoder().encode(input));
  return `${input}.${Buffer.from(signature).toString('base64url')}`;
}

describe('VertexFakeServer', () => {
  let server: VertexFakeServer;
  let account: VertexTestServiceAccount;
  let other: VertexTestServiceAccount;
  beforeAll(async () => {
    server = await VertexFakeServer.start({ projects: ['p1'] });
    account = await server.createServiceAccount({ projectId: 'p1' });
    other = await server.createServiceAccount();
  }, 60_000);
  afterAll(() => server.close());

  const claims = (extra: Record<string, unknown> = {}) => {
    const iat = Math.floor(Date.now() / 1000);
    return {
      iss: account.key.client_email,
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      aud: server.tokenURL,
      iat,
      exp: iat + 3600,
      ...extra,
    };
  };
  const exchange = async (assertion: string) => {
    const response = await fetch(server.tokenURL, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const chat = (token: string, project = 'p1') =>
    fetch(
      `${server.url}/v1/projects/${project}/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] }),
      },
    );

  it('mints a token for a JWT signed by the account key; the token works until it is expired', async () => {
    const { status, body } = await exchange(await jwt(account.key.private_key, claims()));
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
    const token = body.access_token as string;
    expect((await chat(token)).status).toBe(200);
    server.expireTokens();
    const expired = await chat(token);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: { status: 'UNAUTHENTICATED' } });
  });

  it('refuses a JWT signed by another key, a wrong aud, a lifetime over an hour, a missing scope', async () => {
    const cases: [string, Promise<string>][] = [
      ['other key', jwt(other.key.private_key, claims())],
      ['aud', jwt(account.key.private_key, claims({ aud: 'https://oauth2.googleapis.com/token' }))],
      ['lifetime', jwt(account.key.private_key, claims({ exp: Math.floor(Date.now() / 1000) + 3601 }))],
      ['iat far off', jwt(account.key.private_key, claims({ iat: 1, exp: 3601 }))],
    ];
    for (const [what, assertion] of cases) {
      const { status, body } = await exchange(await assertion);
      expect([what, status, body.error]).toEqual([what, 400, 'invalid_grant']);
    }
    const scopeless = await exchange(await jwt(account.key.private_key, claims({ scope: 'email' })));
    expect(scopeless.body.error).toBe('invalid_scope');
  });

  it('checks the project on every call', async () => {
    const { body } = await exchange(await jwt(account.key.private_key, claims()));
    const denied = await chat(body.access_token as string, 'someone-else');
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ error: { status: 'PERMISSION_DENIED' } });
  });
});
