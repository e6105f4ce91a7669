import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeHttpServer, VertexFakeServer } from '@llmo/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationDefaultCredentials } from './node.js';
import { createVertex } from './vertex-provider.js';

const HI = { messages: [{ role: 'user' as const, content: 'Hi' }] };

describe('applicationDefaultCredentials (/node)', () => {
  let vertex: VertexFakeServer;
  let google: FakeHttpServer;
  let dir: string;
  beforeAll(async () => {
    vertex = await VertexFakeServer.start({ accessTokens: ['ya29.metadata-token-1', 'ya29.user-token-1'] });
    google = await FakeHttpServer.start();
    dir = mkdtempSync(join(tmpdir(), 'llmo-adc-'));
  }, 60_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await Promise.all([vertex.close(), google.close()]);
  });
  const provider = (accessToken: () => Promise<string>) =>
    createVertex({
      name: 'vertex-adc',
      model: 'gemini-2.5-flash',
      project: 'p',
      location: 'us-central1',
      accessToken,
      baseURL: vertex.url,
    });

  it('GOOGLE_APPLICATION_CREDENTIALS with a service-account key: a signed JWT, one token for many calls', async () => {
    const account = await vertex.createServiceAccount();
    const file = join(dir, 'sa.json');
    writeFileSync(file, JSON.stringify(account.key));
    const adc = applicationDefaultCredentials({ env: { GOOGLE_APPLICATION_CREDENTIALS: file } });
    const vertexProvider = provider(adc);
    await Promise.all([vertexProvider.generate(HI), vertexProvider.generate(HI)]);
    expect(vertex.tokenRequests).toHaveLength(1);
  });

  it('an authorized_user file uses the refresh grant; no file at all asks the metadata server', async () => {
    const file = join(dir, 'user.json');
    writeFileSync(
      file,
      JSON.stringify({
        type: 'authorized_user',
        client_id: 'cid',
        client_secret: 'csecret-123',
        refresh_token: 'rt-123456',
      }),
    );
    google.on('POST', '/token', { body: { access_token: 'ya29.user-token-1', expires_in: 3599 } });
    google.on('GET', '/metadata', (request) =>
      request.headers['metadata-flavor'] === 'Google'
        ? { body: { access_token: 'ya29.metadata-token-1', expires_in: 3599, token_type: 'Bearer' } }
        : { status: 403, body: 'Missing Metadata-Flavor' },
    );
    const user = applicationDefaultCredentials({
      env: { GOOGLE_APPLICATION_CREDENTIALS: file },
      tokenURL: `${google.url}/token`,
    });
    expect((await provider(user).generate(HI)).text).toBeTruthy();
    expect(google.requestsTo('/token')[0]!.body).toEqual({
      grant_type: 'refresh_token',
      client_id: 'cid',
      client_secret: 'csecret-123',
      refresh_token: 'rt-123456',
    });
    const metadata = applicationDefaultCredentials({
      env: { CLOUDSDK_CONFIG: join(dir, 'no-gcloud-here') },
      metadataURL: `${google.url}/metadata`,
    });
    expect(await metadata()).toBe('ya29.metadata-token-1');
  });

  it('a credentials file that cannot be read is an auth error naming the variable', async () => {
    const adc = applicationDefaultCredentials({
      env: { GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'missing.json') },
    });
    await expect(adc()).rejects.toMatchObject({
      kind: 'auth',
      message: expect.stringContaining('GOOGLE_APPLICATION_CREDENTIALS'),
    });
  });
});
