// `@llmo/provider-vertex/node`: Application Default Credentials on Node, as a token function for
// `createVertex({ accessToken })`. The main entry stays edge-safe: Node's modules are reached through
// `process.getBuiltinModule` when a token is first needed, never imported.
import { callApi, type FetchFunction, ProviderError, readJsonResponse } from '@llmo/core/provider';
import { getDefaultFetch } from '@llmo/core/transport';
import * as z from '@llmo/core/zod';
import {
  type AccessToken,
  fetchServiceAccountToken,
  GOOGLE_TOKEN_URL,
  parseServiceAccount,
  TokenCache,
  tokenErrors,
} from './vertex-auth.js';

/** The GCE / Cloud Run / GKE metadata server's token URL (google-auth-library `computeclient.ts`). */
export const METADATA_TOKEN_URL =
  'http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token';

export interface ApplicationDefaultOptions {
  /** Default: the default transport of `@llmo/core/transport`. */
  fetch?: FetchFunction;
  /** Each token request waits at most this long. Default 30 s. */
  timeoutMs?: number;
  /** The environment read for `GOOGLE_APPLICATION_CREDENTIALS`. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** The metadata server's token URL, tried when no credentials file is found. */
  metadataURL?: string;
  /** Refresh a cached token this long before it expires. Default 5 minutes. */
  marginMs?: number;
  /** Where an `authorized_user` file's refresh token is exchanged. Default `https://oauth2.googleapis.com/token`. */
  tokenURL?: string;
}

const PROVIDER = 'vertex-adc';

const refreshedSchema = z.looseObject({
  access_token: z.string().check(z.minLength(1)),
  expires_in: z.optional(z.number()),
});

interface NodeModules {
  readFile: (path: string, encoding: 'utf8') => Promise<string>;
  homedir: () => string;
  env: Record<string, string | undefined>;
}

function nodeModules(): NodeModules {
  const process = (
    globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; env?: NodeModules['env'] } }
  ).process;
  const fs = process?.getBuiltinModule?.('node:fs/promises') as Pick<NodeModules, 'readFile'> | undefined;
  const os = process?.getBuiltinModule?.('node:os') as Pick<NodeModules, 'homedir'> | undefined;
  if (!fs || !os)
    throw new ProviderError({
      kind: 'auth',
      retryable: false,
      provider: PROVIDER,
      message: `${PROVIDER}: Application Default Credentials need Node ≥ 20.16 (process.getBuiltinModule); pass serviceAccount or accessToken instead`,
    });
  return { readFile: fs.readFile, homedir: os.homedir, env: process?.env ?? {} };
}

/**
 * The credentials file: `GOOGLE_APPLICATION_CREDENTIALS`, else gcloud's well-known file (in `CLOUDSDK_CONFIG`,
 * default `~/.config/gcloud`), else none.
 */
async function credentialsFile(node: NodeModules, env: NodeModules['env']): Promise<unknown | undefined> {
  const explicit = env.GOOGLE_APPLICATION_CREDENTIALS;
  const config = env.CLOUDSDK_CONFIG || `${node.homedir()}/.config/gcloud`;
  const path = explicit || `${config}/application_default_credentials.json`;
  let text: string;
  try {
    text = await node.readFile(path, 'utf8');
  } catch (cause) {
    if (!explicit) return undefined;
    throw new ProviderError({
      kind: 'auth',
      retryable: false,
      provider: PROVIDER,
      cause,
      message: `${PROVIDER}: GOOGLE_APPLICATION_CREDENTIALS names a file that cannot be read`,
    });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ProviderError({
      kind: 'auth',
      retryable: false,
      provider: PROVIDER,
      message: `${PROVIDER}: the credentials file is not JSON`,
    });
  }
}

/**
 * A token function from Application Default Credentials, for `createVertex({ accessToken: … })` on Node:
 * `GOOGLE_APPLICATION_CREDENTIALS` (a `service_account` key → a signed JWT; an `authorized_user` file from
 * `gcloud auth application-default login` → the OAuth refresh grant), else gcloud's well-known file, else the
 * metadata server (GCE, Cloud Run, GKE). Tokens are cached until `marginMs` before they expire, one request
 * shared by concurrent callers; nothing is read before the first call.
 *
 * @example
 * import { applicationDefaultCredentials } from '@llmo/provider-vertex/node';
 * const vertex = createVertex({ name: 'vertex', model: 'gemini-2.5-flash', project: 'my-project',
 *   accessToken: applicationDefaultCredentials() });
 */
export function applicationDefaultCredentials(
  options: ApplicationDefaultOptions = {},
): () => Promise<string> {
  let cache: TokenCache | undefined;
  return () => {
    cache ??= new TokenCache(() => mint(options), { marginMs: options.marginMs });
    return cache.get();
  };
}

async function mint(options: ApplicationDefaultOptions): Promise<AccessToken> {
  const node = nodeModules();
  const fetch = options.fetch ?? getDefaultFetch();
  const timeoutMs = options.timeoutMs ?? 30_000;
  const file = (await credentialsFile(node, options.env ?? node.env)) as
    | { type?: unknown; client_id?: string; client_secret?: string; refresh_token?: string }
    | undefined;
  if (file?.type === 'authorized_user') {
    const { client_id, client_secret, refresh_token } = file;
    if (!client_id || !client_secret || !refresh_token)
      throw new ProviderError({
        kind: 'auth',
        retryable: false,
        provider: PROVIDER,
        message: `${PROVIDER}: the authorized_user file lacks client_id, client_secret or refresh_token`,
      });
    const response = await callApi({
      provider: PROVIDER,
      url: options.tokenURL ?? GOOGLE_TOKEN_URL,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id,
        client_secret,
        refresh_token,
      }).toString(),
      fetch,
      timeoutMs,
      secrets: [client_secret, refresh_token],
      classify: tokenErrors.classify,
    });
    return expiring(
      await readJsonResponse(response, refreshedSchema, { provider: PROVIDER, what: 'token response' }),
    );
  }
  if (file !== undefined) {
    const key = parseServiceAccount(file, PROVIDER);
    return fetchServiceAccountToken({ provider: PROVIDER, key, fetch, timeoutMs });
  }
  const response = await callApi({
    provider: PROVIDER,
    url: options.metadataURL ?? METADATA_TOKEN_URL,
    headers: { 'Metadata-Flavor': 'Google' },
    fetch,
    timeoutMs,
  });
  return expiring(
    await readJsonResponse(response, refreshedSchema, { provider: PROVIDER, what: 'metadata token' }),
  );
}

const expiring = (json: { access_token: string; expires_in?: number }): AccessToken => ({
  token: json.access_token,
  expiresAt: Date.now() + (json.expires_in ?? 3600) * 1000,
});
