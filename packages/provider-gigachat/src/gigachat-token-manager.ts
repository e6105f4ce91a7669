import {
  callApi,
  type FetchFunction,
  ProviderError,
  readJsonResponse,
  resolveSetting,
  type SecretRedactor,
  type Setting,
} from '@llmo/core/provider';
import { tokenSchema } from './gigachat-api.js';
import { gigachatTokenErrors } from './gigachat-errors.js';

export type GigaChatScope = 'GIGACHAT_API_PERS' | 'GIGACHAT_API_B2B' | 'GIGACHAT_API_CORP';

export interface TokenManagerOptions {
  provider: string;
  authURL: string;
  /** The authorization key: base64 of `ClientID:ClientSecret`, sent as is after `Basic `. */
  credentials: Setting<string> | undefined;
  scope: GigaChatScope;
  fetch: FetchFunction;
  timeoutMs: number;
  /** Refresh this long before `expires_at`. Default 60 s, as the official SDK. */
  marginMs?: number;
  now?: () => number;
  /** The provider's redactor: learns the key and every token issued, so neither appears in an error. */
  redactor?: SecretRedactor;
}

/**
 * GigaChat's OAuth token: fetched from `POST /api/v2/oauth` (Basic key, a fresh `RqUID` UUID v4, form
 * `scope`), cached until `expires_at` (milliseconds; a 10-digit value is read as seconds) minus a margin.
 * Concurrent callers share one refresh; a caller's abort cancels its wait, not the shared refresh.
 */
export class GigaChatTokenManager {
  private token: { value: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: TokenManagerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A valid token, from the cache or a (shared) refresh. */
  get(signal?: AbortSignal): Promise<string> {
    const cached = this.token;
    if (cached && cached.expiresAt - (this.options.marginMs ?? 60_000) > this.now())
      return Promise.resolve(cached.value);
    return this.refresh(signal);
  }

  /** Fetches a new token, joining a refresh already in flight. */
  refresh(signal?: AbortSignal): Promise<string> {
    if (!this.pending) {
      this.pending = this.fetchToken().finally(() => {
        this.pending = undefined;
      });
    }
    return abortable(this.pending, signal, this.options.provider);
  }

  /**
   * The token to retry with after `stale` got a 401. A refresh in flight is joined, and one that already
   * replaced `stale` is reused: ten requests that all get a 401 make one OAuth call, not ten, however
   * their answers interleave with the refresh.
   */
  renew(stale: string, signal?: AbortSignal): Promise<string> {
    if (this.pending) return abortable(this.pending, signal, this.options.provider);
    if (this.token && this.token.value !== stale) return Promise.resolve(this.token.value);
    this.invalidate(stale);
    return this.refresh(signal);
  }

  /** Drops the cached token if it is `value` (after a 401), so the next `get` refreshes. */
  invalidate(value: string): void {
    if (this.token?.value === value) this.token = undefined;
  }

  private async fetchToken(): Promise<string> {
    const { provider } = this.options;
    const credentials = await resolveSetting(this.options.credentials, {
      name: 'credentials',
      provider,
      hint: 'Pass credentials: the authorization key from the GigaChat personal account (base64 of ClientID:ClientSecret).',
    });
    const response = await callApi({
      provider,
      url: this.options.authURL,
      method: 'POST',
      headers: {
        authorization: `Basic ${credentials}`,
        rquid: crypto.randomUUID(),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({ scope: this.options.scope }).toString(),
      fetch: this.options.fetch,
      timeoutMs: this.options.timeoutMs,
      secrets: [credentials],
      redactor: this.options.redactor,
      classify: gigachatTokenErrors.classify,
    }).catch((error: unknown) => {
      if (ProviderError.isInstance(error) && error.code === '7') {
        throw new ProviderError({
          kind: 'auth',
          retryable: false,
          status: error.status,
          code: '7',
          provider,
          message: `${provider}: the key does not match scope ${this.options.scope} (GigaChat code 7); use the scope the key was issued for (GIGACHAT_API_PERS, GIGACHAT_API_B2B or GIGACHAT_API_CORP)`,
          cause: error,
        });
      }
      throw error;
    });
    const json = await readJsonResponse(response, tokenSchema, { provider, what: 'token response' });
    const value = json.access_token ?? json.tok;
    const expires = json.expires_at ?? json.exp;
    if (!value || expires === undefined) {
      throw new ProviderError({
        kind: 'invalid_response',
        provider,
        message: `${provider}: the token response has no token or expiry`,
      });
    }
    // Milliseconds per the SDK; one official sample shows seconds, so a 10-digit value is scaled.
    const expiresAt = expires < 1e11 ? expires * 1000 : expires;
    this.options.redactor?.remember(value);
    this.token = { value, expiresAt };
    return value;
  }
}

/** Waits for a shared promise, giving up (with `cancelled`) when this caller's signal aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, provider: string): Promise<T> {
  if (!signal) return promise;
  const cancelled = () =>
    new ProviderError({ kind: 'cancelled', provider, message: 'The request was aborted by the caller' });
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
