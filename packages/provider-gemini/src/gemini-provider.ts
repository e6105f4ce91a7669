import {
  type BaseProviderSettings,
  type ChatRequest,
  cancelledError,
  defineHttpProvider,
  type FetchFunction,
  HEALTH_CHECK_TIMEOUT_MS,
  type HttpCall,
  type HttpProviderBase,
  type HttpProviderParts,
  healthCheckBy,
  type ModelInfo,
  type ModelPricing,
  type ProviderCapabilities,
  ProviderError,
  type ProviderV1,
  resolveSetting,
  type Setting,
} from '@llmo/core/provider';
import { getDefaultFetch } from '@llmo/core/transport';
import { countTokensSchema, modelListSchema } from './gemini-api.js';
import { geminiChatMethods } from './gemini-chat.js';
import { geminiContextWindow } from './gemini-context-windows.js';
import { createEmbed, type GeminiEmbedRequest, type GeminiEmbedResult } from './gemini-embeddings.js';
import { geminiErrors } from './gemini-errors.js';
import { GeminiToolCallMemory } from './gemini-messages.js';
import { asGeminiPricing, geminiPricing } from './gemini-pricing.js';
import { buildGeminiRequest, modelPath } from './gemini-request.js';
import { geminiSettingsSchema } from './gemini-settings.js';

export const GEMINI_BASE_URL = 'https://generativelanguage.googleapis.com';
export const GEMINI_API_VERSION = 'v1beta';
export const DEFAULT_EMBEDDING_MODEL = 'gemini-embedding-001';

export interface GeminiSettings extends BaseProviderSettings {
  /**
   * API key (an AI Studio key), or a function returning it (read per request). Sent in the
   * `x-goog-api-key` header, never in the URL (pitfall 13).
   */
  apiKey?: Setting<string>;
  /**
   * Default `https://generativelanguage.googleapis.com`; the API version is appended unless the URL already
   * ends in one (`…/v1beta`, `…/v1`), which is then used as it is.
   */
  baseURL?: string;
  /** The API version in the path. Default `v1beta` (what js-genai and the AI SDK call). */
  apiVersion?: string;
  /** The model `embed()` calls. Default `gemini-embedding-001`. */
  embeddingModel?: string;
  /** `safetySettings` sent with every request (a request's `providerOptions.gemini.safetySettings` wins). */
  safetySettings?: { category: string; threshold: string }[];
  fetch?: FetchFunction;
  /** Time allowed until response headers. Default 10 minutes. */
  timeoutMs?: number;
  /** Prices for this model; default: Google's list price for the listed models. */
  pricing?: ModelPricing;
  capabilities?: ProviderCapabilities;
}

/** A Gemini provider: the contract, plus token counting and embeddings. */
export interface GeminiProvider extends ProviderV1 {
  /** Tokens the request's prompt would use (`countTokens`; free). */
  countTokens(request: ChatRequest): Promise<number>;
  /**
   * Embeddings of `values` with the `embeddingModel` setting: `embedContent` for one value,
   * `batchEmbedContents` (at most 100 per call, in order) for more. Feed `geminiEmbeddings(provider)` to an
   * `@llmo/retrieval` store.
   */
  embed(request: GeminiEmbedRequest): Promise<GeminiEmbedResult>;
}

const MAX_MODEL_PAGES = 50;

/** The base URL with the API version: appended unless the URL already ends in one. */
function versionedBaseURL(baseURL: string, apiVersion: string): string {
  const trimmed = baseURL.replace(/\/+$/, '');
  return /\/v\d+(alpha|beta)?\d*$/.test(trimmed) ? trimmed : `${trimmed}/${apiVersion}`;
}

/**
 * A provider for one model on the Gemini API (Google AI Studio keys).
 *
 * @example
 * const gemini = createGemini({ name: 'gemini', model: 'gemini-2.5-flash', apiKey: () => env.GEMINI_API_KEY });
 */
export function createGemini(settings: GeminiSettings): GeminiProvider {
  return defineHttpProvider<GeminiSettings, GeminiProvider>(settings, {
    factory: 'createGemini',
    schema: geminiSettingsSchema,
    defaultBaseURL: GEMINI_BASE_URL,
    normalizeBaseURL: (url, s) => versionedBaseURL(url, s.apiVersion ?? GEMINI_API_VERSION),
    defaultTimeoutMs: 600_000,
    defaultFetch: getDefaultFetch,
    // A price given in the settings gets the Gemini price fields it leaves out.
    completePricing: asGeminiPricing,
    setup: geminiProvider,
  });
}

function geminiProvider({
  settings,
  name,
  model,
  timeoutMs,
  redactor,
  http,
}: HttpProviderBase<GeminiSettings>): HttpProviderParts<GeminiProvider> {
  const pricing = settings.pricing ? asGeminiPricing(settings.pricing) : geminiPricing(model);
  const memory = new GeminiToolCallMemory();
  const requestOptions = { provider: name, model, memory, safetySettings: settings.safetySettings };
  const embeddingModel = settings.embeddingModel ?? DEFAULT_EMBEDDING_MODEL;

  /**
   * One HTTP call with the key, the headers (settings', then the request's) and Gemini's error mapping: every
   * Gemini endpoint answers google.rpc.Status bodies.
   */
  const keyed = async (c: {
    path: string;
    body?: unknown;
    signal?: AbortSignal;
    timeoutMs?: number;
    headers?: Record<string, string>;
    accept?: string;
  }): Promise<HttpCall> => {
    const apiKey = await resolveSetting(settings.apiKey, {
      name: 'apiKey',
      provider: name,
      hint: 'Pass apiKey (e.g. your GEMINI_API_KEY environment variable, or a function returning it) to createGemini.',
    });
    if (apiKey.startsWith('auth_tokens/')) {
      // js-genai refuses ephemeral tokens outside the Live API, which this provider does not speak.
      throw new ProviderError({
        kind: 'auth',
        retryable: false,
        provider: name,
        message: `${name}: apiKey is an ephemeral token (auth_tokens/…), which only the Live API accepts; pass an API key`,
      });
    }
    return {
      path: c.path,
      body: c.body,
      signal: c.signal,
      timeoutMs: c.timeoutMs,
      headers: {
        accept: c.accept ?? 'application/json',
        // Pitfall 13: the key goes in this header, never in `?key=` (URLs end up in proxies and logs).
        'x-goog-api-key': apiKey,
        ...settings.headers,
        ...c.headers,
      },
      secrets: [apiKey],
      classify: geminiErrors.classify,
    };
  };

  const post = async (request: ChatRequest, stream: boolean) => {
    if (request.signal?.aborted) throw cancelledError(name);
    const { body, warnings } = buildGeminiRequest(request, requestOptions);
    const path = `/${modelPath(model)}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`;
    const response = await http.call(
      await keyed({
        path,
        body,
        signal: request.signal,
        headers: request.headers,
        accept: stream ? 'text/event-stream' : undefined,
      }),
    );
    return { response, warnings, requestId: response.headers.get('x-goog-request-id') ?? undefined };
  };

  const listPage = async (
    signal: AbortSignal | undefined,
    pageSize: number,
    pageToken?: string,
    timeout?: number,
  ) => {
    const query = new URLSearchParams({ pageSize: String(pageSize) });
    if (pageToken) query.set('pageToken', pageToken);
    const call = await keyed({ path: `/models?${query}`, signal, timeoutMs: timeout });
    return http.json({ ...call, schema: modelListSchema, what: 'model list' });
  };

  const embed = createEmbed({ provider: name, embeddingModel, http, keyed });

  return {
    providerType: 'gemini',
    pricing,
    capabilities: {
      streaming: true,
      tools: true,
      jsonSchema: true,
      contextWindow: geminiContextWindow(model),
    },

    ...geminiChatMethods({ provider: name, pricing, memory, post }),

    /** Lists one model: free, proves the key and the endpoint. */
    healthCheck: healthCheckBy((signal) =>
      listPage(signal, 1, undefined, Math.min(timeoutMs, HEALTH_CHECK_TIMEOUT_MS)),
    ),

    async listModels(options): Promise<ModelInfo[]> {
      const models: ModelInfo[] = [];
      let token: string | undefined;
      for (let page = 0; page < MAX_MODEL_PAGES; page++) {
        const list = await listPage(options?.signal, 1000, token);
        for (const m of list.models ?? []) {
          models.push({
            id: m.name.replace(/^models\//, ''),
            ownedBy: 'google',
            displayName: m.displayName ?? undefined,
            description: m.description ?? undefined,
            version: m.version ?? undefined,
            contextWindow: m.inputTokenLimit ?? undefined,
            maxOutputTokens: m.outputTokenLimit ?? undefined,
            supportedGenerationMethods: m.supportedGenerationMethods ?? undefined,
            thinking: m.thinking ?? undefined,
          });
        }
        token = list.nextPageToken ?? undefined;
        if (!token) break;
      }
      return models;
    },

    async countTokens(request) {
      try {
        if (request.signal?.aborted) throw cancelledError(name);
        const { body } = buildGeminiRequest(request, requestOptions);
        const call = await keyed({
          path: `/${modelPath(model)}:countTokens`,
          // The generateContentRequest form counts the system instruction and tools too.
          body: {
            generateContentRequest: {
              model: model.includes('/') ? model : `models/${model}`,
              contents: body.contents,
              systemInstruction: body.systemInstruction,
              tools: body.tools,
            },
          },
          signal: request.signal,
          headers: request.headers,
        });
        const json = await http.json({ ...call, schema: countTokensSchema, what: 'token count' });
        return json.totalTokens ?? 0;
      } catch (error) {
        throw redactor.error(error);
      }
    },

    async embed(request) {
      try {
        return await embed(request);
      } catch (error) {
        throw redactor.error(error);
      }
    },
  };
}
