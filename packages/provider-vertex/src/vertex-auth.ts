import {
  callApi,
  createErrorMapper,
  type FetchFunction,
  ProviderError,
  readJsonResponse,
  type SecretRedactor,
} from '@llmo/core/provider';
import * as z from '@llmo/core/zod';

/** The scope every Vertex AI call needs (js-genai `REQUIRED_VERTEX_AI_SCOPE`). */
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
/** Google's OAuth token endpoint: the JWT's `aud` and where it is posted, unless the key names another. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
/** A service-account JWT may live at most one hour (pitfall 4). */
export const JWT_LIFETIME_SECONDS = 3600;
/** Tokens are refreshed this long before they expire (google-auth-library's eager refresh threshold). */
export const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;
/** The JWT bearer grant type. */
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** The fields of a service-account key file (`type: "service_account"`) that minting a token reads. */
export interface ServiceAccountKey {
  type?: string;
  client_email: string;
  /** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`); literal `\n` sequences (from env vars) are accepted. */
  private_key: string;
  private_key_id?: string;
  /** Default `https://oauth2.googleapis.com/token`. */
  token_uri?: string;
  project_id?: string;
  [key: string]: unknown;
}

/** An access token and when it expires (epoch ms). */
export interface AccessToken {
  token: string;
  expiresAt: number;
}

const keySchema = z.looseObject({
  client_email: z.string().check(z.minLength(1)),
  private_key: z.string().check(z.minLength(1)),
  private_key_id: z.optional(z.string()),
  token_uri: z.optional(z.string()),
  project_id: z.optional(z.string()),
});

/**
 * A service-account key from its JSON text or the parsed object. Errors say which field is wrong, never a
 * value: the text holds the private key.
 */
export function parseServiceAccount(value: unknown, provider: string): ServiceAccountKey {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw invalidKey(provider, 'the service-account key is not valid JSON');
    }
  }
  const result = keySchema.safeParse(parsed);
  if (!result.success) {
    const fields = result.error.issues.map((i) => i.path.join('.')).join(', ');
    throw invalidKey(provider, `the service-account key lacks or mistypes: ${fields}`);
  }
  if (result.data.type !== undefined && result.data.type !== 'service_account')
    throw invalidKey(
      provider,
      `the credentials are of type "${String(result.data.type)}", not "service_account" (authorized_user files need the /node entry)`,
    );
  return result.data as ServiceAccountKey;
}

function invalidKey(provider: string, what: string): ProviderError {
  return new ProviderError({ kind: 'auth', retryable: false, provider, message: `${provider}: ${what}` });
}

/**
 * The DER bytes of a PKCS#8 PEM. Keys kept in environment variables often carry literal `\n` sequences
 * (pitfall 5): they are turned back into newlines before the armour and whitespace are stripped.
 */
export function pemToDer(pem: string): Uint8Array<ArrayBuffer> {
  const body = pem
    .replace(/\\n/g, '\n')
    .replace(/-----(BEGIN|END) [A-Z ]*PRIVATE KEY-----/g, '')
    .replace(/\s+/g, '');
  const binary = atob(body);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Base64url (RFC 4648 §5, no padding) of bytes. */
export function base64Url(bytes: Uint8Array): string {
  let binary = '';
  // Chunks keep String.fromCharCode's argument count bounded.
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Base64url of a value's JSON as UTF-8 bytes: `btoa` on a JS string throws beyond Latin-1 (pitfall 6). */
export function base64UrlJson(value: unknown): string {
  return base64Url(new TextEncoder().encode(JSON.stringify(value)));
}

/** One imported key per PEM: importing is the slow part of signing. */
const importedKeys = new Map<string, Promise<CryptoKey>>();

function signingKey(pem: string, provider: string): Promise<CryptoKey> {
  let key = importedKeys.get(pem);
  if (!key) {
    key = (async () => {
      let der: Uint8Array<ArrayBuffer>;
      try {
        der = pemToDer(pem);
      } catch {
        throw invalidKey(provider, 'private_key is not a PEM (base64) key');
      }
      try {
        return await crypto.subtle.importKey(
          'pkcs8',
          der,
          { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
          false,
          ['sign'],
        );
      } catch {
        throw invalidKey(provider, 'private_key is not an RSA PKCS#8 private key');
      }
    })();
    key.catch(() => importedKeys.delete(pem));
    if (importedKeys.size >= 8) importedKeys.delete(importedKeys.keys().next().value!);
    importedKeys.set(pem, key);
  }
  return key;
}

/**
 * The signed JWT a service account exchanges for an access token (RS256 with Web Crypto, as the AI SDK's
 * edge auth): header `{alg, typ, kid?}`, claims `{iss, scope, aud, iat, exp}` with `exp - iat` = 3600 s.
 */
export async function signServiceAccountJwt(
  key: ServiceAccountKey,
  options: { provider: string; nowMs: number; scope?: string },
): Promise<string> {
  const iat = Math.floor(options.nowMs / 1000);
  const header = { alg: 'RS256', typ: 'JWT', ...(key.private_key_id ? { kid: key.private_key_id } : {}) };
  const claims = {
    iss: key.client_email,
    scope: options.scope ?? CLOUD_PLATFORM_SCOPE,
    aud: key.token_uri ?? GOOGLE_TOKEN_URL,
    iat,
    exp: iat + JWT_LIFETIME_SECONDS,
  };
  const input = `${base64UrlJson(header)}.${base64UrlJson(claims)}`;
  const cryptoKey = await signingKey(key.private_key, options.provider);
  const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', cryptoKey, new TextEncoder().encode(input));
  return `${input}.${base64Url(new Uint8Array(signature))}`;
}

const tokenResponseSchema = z.looseObject({
  access_token: z.string().check(z.minLength(1)),
  expires_in: z.optional(z.number()),
  token_type: z.optional(z.string()),
});

/**
 * The token endpoint's `{"error", "error_description"}` (RFC 6749 §5.2). A refused grant is a non-retryable
 * `auth` error (a wrong key stays wrong); 5xx and transport failures keep their retryable kinds, so a token
 * endpoint that is down is retried like any connection error (as the Anthropic vertex-sdk does).
 */
export const tokenErrors = createErrorMapper({
  schema: z.looseObject({ error: z.string(), error_description: z.optional(z.nullable(z.string())) }),
  read: (body) => ({ code: body.error, message: body.error_description ?? undefined }),
  codes: {
    invalid_grant: { kind: 'auth', retryable: false },
    invalid_client: { kind: 'auth', retryable: false },
    unauthorized_client: { kind: 'auth', retryable: false },
    invalid_request: { kind: 'auth', retryable: false },
    invalid_scope: { kind: 'auth', retryable: false },
    access_denied: { kind: 'permission', retryable: false },
  },
});

export interface ServiceAccountTokenOptions {
  provider: string;
  key: ServiceAccountKey;
  fetch: FetchFunction;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The provider's redactor: the assertion, the private key and the token are kept out of every error. */
  redactor?: SecretRedactor;
  scope?: string;
  /** Local clock (epoch ms); default `Date.now`. */
  now?: () => number;
  /** What to add to the local clock to get Google's (learnt from `Date` headers). */
  clock?: { offsetMs: number };
}

/** How far the local clock may be off before a refused JWT is signed again with the server's time. */
const SKEW_TOLERANCE_MS = 60_000;

/**
 * Exchanges a service-account JWT for an access token at the key's `token_uri` (form POST, JWT bearer grant).
 * The server's `Date` header is remembered in `clock`: a later JWT is dated by the server's clock, and a grant
 * refused while the clocks disagree by more than a minute is signed once more with the server's time
 * (pitfall 4: a skewed clock gives `invalid_grant`).
 */
export async function fetchServiceAccountToken(options: ServiceAccountTokenOptions): Promise<AccessToken> {
  const now = options.now ?? Date.now;
  const clock = options.clock ?? { offsetMs: 0 };
  const { provider, key, redactor } = options;
  redactor?.remember(key.private_key, key.private_key.replace(/\\n/g, '\n'));
  let serverDate: number | undefined;
  const learn = (headers: Headers) => {
    const date = Date.parse(headers.get('date') ?? '');
    if (Number.isFinite(date)) serverDate = date;
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    const assertion = await signServiceAccountJwt(key, {
      provider,
      nowMs: now() + clock.offsetMs,
      scope: options.scope,
    });
    serverDate = undefined;
    try {
      const sentAt = now();
      const response = await callApi({
        provider,
        url: key.token_uri ?? GOOGLE_TOKEN_URL,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ grant_type: JWT_BEARER, assertion }).toString(),
        fetch: options.fetch,
        signal: options.signal,
        timeoutMs: options.timeoutMs,
        secrets: [assertion, key.private_key],
        redactor,
        classify: (info) => {
          learn(info.headers);
          return tokenErrors.classify(info);
        },
      });
      learn(response.headers);
      if (serverDate !== undefined) clock.offsetMs = serverDate - sentAt;
      const json = await readJsonResponse(response, tokenResponseSchema, {
        provider,
        what: 'token response',
        signal: options.signal,
      });
      redactor?.remember(json.access_token);
      const lifetimeMs = (json.expires_in ?? JWT_LIFETIME_SECONDS) * 1000;
      return { token: json.access_token, expiresAt: now() + lifetimeMs };
    } catch (error) {
      const skewed =
        attempt === 0 &&
        ProviderError.isInstance(error) &&
        error.code === 'invalid_grant' &&
        serverDate !== undefined &&
        Math.abs(serverDate - (now() + clock.offsetMs)) > SKEW_TOLERANCE_MS;
      if (!skewed) throw redactor ? redactor.error(error) : error;
      clock.offsetMs = serverDate! - now();
    }
  }
  /* c8 ignore next */
  throw new Error('unreachable');
}

/**
 * An access token cached until `margin` before it expires, with at most one fetch in flight: concurrent
 * callers share it. `invalidate(token)` drops the cached token only if it is still that token, so a burst of
 * 401s answered with the same old token causes one refresh, not one per request.
 */
export class TokenCache {
  private current: AccessToken | undefined;
  private pending: Promise<AccessToken> | undefined;

  constructor(
    private readonly fetchToken: () => Promise<AccessToken>,
    private readonly options: { marginMs?: number; now?: () => number } = {},
  ) {}

  /** A valid token: the cached one, the fetch in flight, or a new fetch. The caller's signal only stops its wait. */
  async get(signal?: AbortSignal): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    const margin = this.options.marginMs ?? DEFAULT_REFRESH_MARGIN_MS;
    if (this.current && this.current.expiresAt - margin > now) return this.current.token;
    if (!this.pending) {
      const pending = this.fetchToken().then(
        (token) => {
          if (this.pending === pending) this.pending = undefined;
          this.current = token;
          return token;
        },
        (error: unknown) => {
          if (this.pending === pending) this.pending = undefined;
          throw error;
        },
      );
      this.pending = pending;
    }
    return (await abortable(this.pending, signal)).token;
  }

  invalidate(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }
}

/** The promise, or a rejection as soon as `signal` aborts (the shared work itself goes on for the others). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  let stop = () => {};
  const aborted = new Promise<never>((_, reject) => {
    stop = () => reject(signal.reason);
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
  return Promise.race([promise, aborted]).finally(() => signal.removeEventListener('abort', stop));
}
