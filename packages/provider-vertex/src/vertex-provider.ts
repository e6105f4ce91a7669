import {
  type BaseProviderSettings,
  type ChatRequest,
  cancelledError,
  defineHttpProvider,
  type ErrorMapper,
  type FetchFunction,
  HEALTH_CHECK_TIMEOUT_MS,
  type HttpProviderBase,
  type HttpProviderParts,
  healthCheckBy,
  LlmoError,
  type ModelInfo,
  type ModelPricing,
  type ProviderCapabilities,
  ProviderError,
  type ProviderV1,
  readJsonResponse,
  resolveSetting,
  type SafeParser,
  type Setting,
} from '@llmo/core/provider';
import { getDefaultFetch } from '@llmo/core/transport';
import * as z from '@llmo/core/zod';
import { withCachePrices } from '@llmo/provider-anthropic/protocol';
import { asGeminiPricing } from '@llmo/provider-gemini/protocol';
import {
  type AccessToken,
  fetchServiceAccountToken,
  parseServiceAccount,
  type ServiceAccountKey,
  TokenCache,
} from './vertex-auth.js';
import { claudeParts } from './vertex-claude.js';
import {
  DEFAULT_API_VERSION,
  DEFAULT_LOCATION,
  splitApiVersion,
  type VertexFamily,
  vertexFamily,
  vertexHost,
  vertexModelPath,
} from './vertex-endpoints.js';
import { geminiParts } from './vertex-gemini.js';
import { vertexSettingsSchema } from './vertex-settings.js';

export interface VertexSettings extends BaseProviderSettings {
  /**
   * The model id: `gemini-2.5-flash`, `claude-sonnet-4-5@20250929` (Claude ids take an `@` version), a
   * `publishers/{google|anthropic}/models/…` name, or `endpoints/{id}` for a tuned model. Its family decides
   * the wire protocol (see `family`).
   */
  model: string;
  /** The Google Cloud project. Default: the service-account key's `project_id`. Not used in express mode. */
  project?: string;
  /** A region (`us-central1`, `europe-west1`, `us-east5`…), `global`, or the multi-regions `us` / `eu`. Default `global`. */
  location?: string;
  /**
   * Default: the location's host (`https://{location}-aiplatform.googleapis.com`, `https://aiplatform.googleapis.com`
   * for `global`, `https://aiplatform.{us|eu}.rep.googleapis.com`). A trailing `/v1` or `/v1beta1` sets the API version.
   */
  baseURL?: string;
  /** The API version in the path. Default `v1`. */
  apiVersion?: string;
  /**
   * The model family, when the id does not say it: ids starting `claude-` (or `publishers/anthropic/`) are
   * `claude`, everything else `gemini`.
   */
  family?: VertexFamily;
  /**
   * A service-account key (the JSON text, the parsed object, or a function returning either, read when a token
   * is needed): an RS256 JWT signed with Web Crypto is exchanged at its `token_uri` for an access token, cached
   * until `tokenRefreshMarginMs` before it expires.
   */
  serviceAccount?: Setting<string | ServiceAccountKey>;
  /**
   * An OAuth access token, or a function returning a valid one (called per request, and once more after a 401:
   * the application owns its refresh). Wins over `serviceAccount`.
   */
  accessToken?: Setting<string>;
  /** Express mode (Gemini only): an API key sent as `x-goog-api-key`, with no project or location in the path. */
  apiKey?: Setting<string>;
  /** Refresh a cached service-account token this long before it expires. Default 5 minutes. */
  tokenRefreshMarginMs?: number;
  /** Claude: beta features, sent comma-separated as `anthropic-beta`. */
  betas?: string[];
  /** Claude: `max_tokens` when a request sets no `maxTokens`. Default: per model, as `@llmo/provider-anthropic`. */
  defaultMaxTokens?: number;
  /** Gemini: `safetySettings` sent with every request (`providerOptions.gemini.safetySettings` wins). */
  safetySettings?: { category: string; threshold: string }[];
  fetch?: FetchFunction;
  /** Time allowed until response headers (also bounds each token request). Default 10 minutes. */
  timeoutMs?: number;
  /** Prices for this model; default: the Gemini / Anthropic list price of the model. */
  pricing?: ModelPricing;
  capabilities?: ProviderCapabilities;
}

/** A Vertex AI provider: the contract, plus token counting (`countTokens` / `count-tokens:rawPredict`; free). */
export interface VertexProvider extends ProviderV1 {
  /** Input tokens the request would use. */
  countTokens(request: ChatRequest): Promise<number>;
  /** `gemini` or `claude`: which protocol this provider speaks. */
  readonly family: VertexFamily;
}

/** What the family modules need from the provider: authorised calls and where the model lives. */
export interface VertexCallContext {
  name: string;
  model: string;
  settings: VertexSettings;
  /** The model resource path below the API version (`/v1/projects/…/models/gemini-2.5-flash`), per request. */
  modelPath: () => Promise<string>;
  /** An authorised call (retried once with a fresh token after a 401). */
  call: (c: VertexCall) => Promise<Response>;
  timeoutMs: number;
  redactor: HttpProviderBase<VertexSettings>['redactor'];
}

export interface VertexCall {
  path: string;
  body?: unknown;
  signal?: AbortSignal;
  timeoutMs?: number;
  headers?: Record<string, string | undefined>;
  classify: ErrorMapper['classify'];
}

/** The family-specific half of the provider (vertex-gemini.ts, vertex-claude.ts). */
export type VertexFamilyParts = Omit<
  HttpProviderParts<VertexProvider>,
  'family' | 'healthCheck' | 'listModels' | 'providerType' | 'countTokens'
> & {
  /** The family's error mapping, for its calls and the model list. */
  classify: ErrorMapper['classify'];
  /** Input tokens (free): `countTokens`, and the health check's probe of credentials, project, location and model. */
  countTokens: (request: ChatRequest, signal?: AbortSignal, timeoutMs?: number) => Promise<number>;
};

const MAX_MODEL_PAGES = 50;
/** What the health check counts: a free call that proves credentials, project, location and model access. */
const PROBE: ChatRequest = { messages: [{ role: 'user', content: 'ping' }] };

const publisherModelsSchema = z.looseObject({
  publisherModels: z.optional(
    z.nullable(
      z.array(
        z.looseObject({
          name: z.string(),
          versionId: z.optional(z.nullable(z.string())),
          launchStage: z.optional(z.nullable(z.string())),
        }),
      ),
    ),
  ),
  nextPageToken: z.optional(z.nullable(z.string())),
});

/**
 * A provider for one model on Google Vertex AI: Gemini (`publishers/google`: generateContent,
 * streamGenerateContent?alt=sse, countTokens) or Claude (`publishers/anthropic`: rawPredict, streamRawPredict),
 * the family chosen from the model id. The bodies are mapped by `@llmo/provider-gemini/protocol` and
 * `@llmo/provider-anthropic/protocol`, exactly as the direct providers map them.
 *
 * @example
 * const gemini = createVertex({
 *   name: 'vertex-gemini', model: 'gemini-2.5-flash', project: 'my-project', location: 'us-central1',
 *   serviceAccount: () => env.GOOGLE_SERVICE_ACCOUNT_JSON,
 * });
 */
export function createVertex(settings: VertexSettings): VertexProvider {
  const family = () => vertexFamily(settings.model, settings.family);
  const given = typeof settings.baseURL === 'string' ? splitApiVersion(settings.baseURL) : undefined;
  return defineHttpProvider<VertexSettings, VertexProvider>(settings, {
    factory: 'createVertex',
    schema: vertexSettingsSchema,
    defaultBaseURL: vertexHost(settings.location ?? DEFAULT_LOCATION),
    // The paths carry the API version: a base URL given with one keeps it as the version.
    normalizeBaseURL: (url) => splitApiVersion(url).base,
    defaultTimeoutMs: 600_000,
    defaultFetch: getDefaultFetch,
    completePricing: (pricing) =>
      family() === 'claude' ? withCachePrices(pricing) : asGeminiPricing(pricing),
    setup: (base) =>
      vertexProvider(base, family(), settings.apiVersion ?? given?.version ?? DEFAULT_API_VERSION),
  });
}

interface Credentials {
  headers: Record<string, string>;
  secrets: string[];
  /** Gets new credentials after a 401, or undefined when there is nothing to refresh (a fixed token or key). */
  refresh?: () => Promise<Credentials>;
}

function vertexProvider(
  base: HttpProviderBase<VertexSettings>,
  family: VertexFamily,
  apiVersion: string,
): HttpProviderParts<VertexProvider> {
  const { settings, name, model, fetch, timeoutMs, redactor, http } = base;
  const location = settings.location ?? DEFAULT_LOCATION;
  const express = settings.apiKey !== undefined && settings.accessToken === undefined;
  if (express && family === 'claude')
    // The same error as every other bad setting: named, with the fix (a plain TypeError was not).
    throw new LlmoError({
      name: 'InvalidSettingsError',
      message: `createVertex: invalid settings:\n  - apiKey: express mode serves Gemini models only; for "${model}" pass serviceAccount or accessToken instead`,
    });
  const hint =
    'Pass serviceAccount (a service-account key JSON), accessToken (a token or a function returning one) or, for Gemini, apiKey (express mode) to createVertex.';

  // The key is read (and parsed) when a token is needed, never at import.
  let keyCache: { source: unknown; key: ServiceAccountKey } | undefined;
  const serviceAccount = async (): Promise<ServiceAccountKey | undefined> => {
    if (settings.serviceAccount === undefined) return undefined;
    const source = await resolveSetting<string | ServiceAccountKey>(settings.serviceAccount, {
      name: 'serviceAccount',
      provider: name,
      hint,
    });
    if (keyCache?.source !== source) keyCache = { source, key: parseServiceAccount(source, name) };
    return keyCache.key;
  };

  const clock = { offsetMs: 0 };
  const tokens = new TokenCache(
    async (): Promise<AccessToken> => {
      const key = await serviceAccount();
      return fetchServiceAccountToken({
        provider: name,
        key: key!,
        fetch,
        // A token request that hangs must not hold every call waiting on it (they share it).
        timeoutMs: Math.min(timeoutMs, 60_000),
        redactor,
        clock,
      });
    },
    { marginMs: settings.tokenRefreshMarginMs },
  );

  const bearer = (token: string): Pick<Credentials, 'headers' | 'secrets'> => ({
    headers: { authorization: `Bearer ${token}` },
    secrets: [token],
  });

  const credentials = async (signal: AbortSignal | undefined): Promise<Credentials> => {
    if (settings.accessToken !== undefined) {
      const read = async (): Promise<Credentials> => {
        const token = await resolveSetting(settings.accessToken, {
          name: 'accessToken',
          provider: name,
          hint,
        });
        return { ...bearer(token), refresh: typeof settings.accessToken === 'function' ? read : undefined };
      };
      return read();
    }
    if (express) {
      const apiKey = await resolveSetting(settings.apiKey, { name: 'apiKey', provider: name, hint });
      return { headers: { 'x-goog-api-key': apiKey }, secrets: [apiKey] };
    }
    if (settings.serviceAccount === undefined)
      throw new ProviderError({
        kind: 'auth',
        retryable: false,
        provider: name,
        message: `${name}: no credentials. ${hint}`,
      });
    const withToken = async (token: string): Promise<Credentials> => ({
      ...bearer(token),
      refresh: async () => {
        tokens.invalidate(token);
        return { ...bearer(await tokenFor(signal)) };
      },
    });
    return withToken(await tokenFor(signal));
  };

  const tokenFor = async (signal: AbortSignal | undefined): Promise<string> => {
    try {
      return await tokens.get(signal);
    } catch (error) {
      if (signal?.aborted) throw cancelledError(name, error);
      throw error;
    }
  };

  const project = async (): Promise<string | undefined> => {
    if (express) return undefined;
    if (settings.project) return settings.project;
    const key = settings.accessToken === undefined ? await serviceAccount() : undefined;
    return resolveSetting(key?.project_id, {
      name: 'project',
      provider: name,
      kind: 'bad_request',
      hint: 'Pass project (the Google Cloud project id) to createVertex, or a service-account key with project_id.',
    });
  };

  const modelPath = async () =>
    `/${apiVersion}/${vertexModelPath({ model, family, project: await project(), location })}`;

  const call = async (c: VertexCall): Promise<Response> => {
    if (c.signal?.aborted) throw cancelledError(name);
    const send = (auth: Credentials) =>
      http.call({
        path: c.path,
        body: c.body,
        signal: c.signal,
        timeoutMs: c.timeoutMs,
        headers: { accept: 'application/json', ...auth.headers, ...settings.headers, ...c.headers },
        secrets: auth.secrets,
        classify: c.classify,
      });
    const auth = await credentials(c.signal);
    try {
      return await send(auth);
    } catch (error) {
      // Pitfall 3: a token may expire (or be revoked) before the cache thinks so. One fresh token, one retry;
      // a second 401 is the caller's `auth` error, not a loop.
      if (!auth.refresh || !ProviderError.isInstance(error) || error.status !== 401) throw error;
      return send(await auth.refresh());
    }
  };

  const json = async <T>(c: VertexCall & { schema: SafeParser<T>; what: string }): Promise<T> => {
    const response = await call(c);
    return readJsonResponse(response, c.schema, { provider: name, what: c.what, signal: c.signal });
  };

  const context: VertexCallContext = { name, model, settings, modelPath, call, timeoutMs, redactor };
  const parts = family === 'claude' ? claudeParts(context) : geminiParts(context);
  const { countTokens, classify, ...rest } = parts;

  const listModels = async (options?: { signal?: AbortSignal }): Promise<ModelInfo[]> => {
    const publisher = family === 'claude' ? 'anthropic' : 'google';
    const models: ModelInfo[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_MODEL_PAGES; page++) {
      const query = new URLSearchParams({ pageSize: '1000' });
      if (token) query.set('pageToken', token);
      // js-genai lists publisher models without the projects/…/locations/… prefix, on v1beta1.
      const list = await json({
        path: `/v1beta1/publishers/${publisher}/models?${query}`,
        signal: options?.signal,
        schema: publisherModelsSchema,
        what: 'model list',
        classify,
      });
      for (const m of list.publisherModels ?? [])
        models.push({
          id: m.name.replace(/^publishers\/[^/]+\/models\//, ''),
          ownedBy: publisher,
          version: m.versionId ?? undefined,
        });
      token = list.nextPageToken ?? undefined;
      if (!token) break;
    }
    return models;
  };

  return {
    ...rest,
    family,
    providerType: 'vertex',
    healthCheck: healthCheckBy((signal) =>
      countTokens(PROBE, signal, Math.min(timeoutMs, HEALTH_CHECK_TIMEOUT_MS)),
    ),
    listModels,
    async countTokens(request) {
      try {
        return await countTokens(request);
      } catch (error) {
        throw redactor.error(error);
      }
    },
  };
}
