import {
  type BaseProviderSettings,
  type ChatRequest,
  cancelledError,
  defineHttpProvider,
  type FetchFunction,
  firstChoice,
  type GenerateResult,
  type HttpProviderBase,
  type HttpProviderParts,
  healthCheckBy,
  type ModelInfo,
  type ModelPricing,
  openBody,
  type ProviderCapabilities,
  ProviderError,
  type ProviderV1,
  partStream,
  readJsonResponse,
  resolveSetting,
  type Setting,
  type StreamPart,
} from '@llmo/core/provider';
import { getDefaultFetch } from '@llmo/core/transport';
import { completionSchema, modelsSchema } from './gigachat-api.js';
import { gigachatErrors } from './gigachat-errors.js';
import { gigachatPricing } from './gigachat-pricing.js';
import { buildGigaChatRequest } from './gigachat-request.js';
import { gigachatToolCall, gigachatUsage, mapGigaChatFinishReason } from './gigachat-response.js';
import { gigaChatSettingsSchema } from './gigachat-settings.js';
import { gigachatStreamSource } from './gigachat-stream.js';
import { type GigaChatScope, GigaChatTokenManager } from './gigachat-token-manager.js';

export const GIGACHAT_BASE_URL = 'https://gigachat.devices.sberbank.ru/api/v1';
export const GIGACHAT_AUTH_URL = 'https://ngw.devices.sberbank.ru:9443/api/v2/oauth';

export interface GigaChatSettings extends BaseProviderSettings {
  /** The authorization key (base64 of `ClientID:ClientSecret`), or a function returning it; read when a token is needed. */
  credentials?: Setting<string>;
  /** A ready access token instead of `credentials` (no OAuth, no refresh). */
  accessToken?: Setting<string>;
  /** `GIGACHAT_API_PERS` (default, individuals), `GIGACHAT_API_B2B` (prepaid) or `GIGACHAT_API_CORP` (postpaid). */
  scope?: GigaChatScope;
  /** Default `https://gigachat.devices.sberbank.ru/api/v1`. */
  baseURL?: string;
  /** Default `https://ngw.devices.sberbank.ru:9443/api/v2/oauth`. */
  authURL?: string;
  /**
   * Injected fetch. Both Sber hosts use a certificate from the Russian Trusted Root CA, which Node does not
   * trust: on Node pass `createGigaChatFetch({ ca })` from `@llmo/provider-gigachat/node` (or start Node with
   * NODE_EXTRA_CA_CERTS).
   */
  fetch?: FetchFunction;
  /** Time allowed until response headers (also for the token). Default 60 s. */
  timeoutMs?: number;
  /** Refresh the token this long before it expires. Default 60 s. */
  tokenMarginMs?: number;
  pricing?: ModelPricing;
  capabilities?: ProviderCapabilities;
}

/**
 * A provider for Sber GigaChat (REST v1). Handles the OAuth token (cached, one shared refresh, refreshed and
 * retried once on a 401), SSE streaming, functions and RUB prices.
 *
 * @example
 * const giga = createGigaChat({ name: 'gigachat-pro', model: 'GigaChat-2-Pro', credentials: () => env.GIGACHAT_KEY,
 *   fetch: createGigaChatFetch({ ca: readFileSync('russian_trusted_root_ca.pem', 'utf8') }) });
 */
export function createGigaChat(settings: GigaChatSettings): ProviderV1 {
  return defineHttpProvider(settings, {
    factory: 'createGigaChat',
    schema: gigaChatSettingsSchema,
    defaultBaseURL: GIGACHAT_BASE_URL,
    defaultTimeoutMs: 60_000,
    defaultFetch: getDefaultFetch,
    setup: gigaChatProvider,
  });
}

function gigaChatProvider({
  settings,
  name,
  model,
  fetch,
  timeoutMs,
  redactor,
  http,
}: HttpProviderBase<GigaChatSettings>): HttpProviderParts<ProviderV1> {
  const tokens = new GigaChatTokenManager({
    provider: name,
    authURL: settings.authURL ?? GIGACHAT_AUTH_URL,
    credentials: settings.credentials,
    scope: settings.scope ?? 'GIGACHAT_API_PERS',
    fetch,
    timeoutMs,
    marginMs: settings.tokenMarginMs,
    redactor,
  });
  const staticToken = settings.accessToken;
  const tokenFor = (signal?: AbortSignal) =>
    staticToken !== undefined
      ? resolveSetting(staticToken, { name: 'accessToken', provider: name })
      : tokens.get(signal);

  /** Sends with a Bearer token; on a 401 drops the token, fetches a new one and retries exactly once. */
  const withToken = async (
    send: (token: string) => Promise<Response>,
    signal?: AbortSignal,
  ): Promise<Response> => {
    const token = await tokenFor(signal);
    try {
      return await send(token);
    } catch (error) {
      if (staticToken !== undefined || !ProviderError.isInstance(error) || error.status !== 401) throw error;
      return send(await tokens.renew(token, signal));
    }
  };

  const post = async (request: ChatRequest, stream: boolean) => {
    if (request.signal?.aborted) throw cancelledError(name);
    const { body, warnings } = buildGigaChatRequest(request, { model, provider: name }, stream);
    const response = await withToken(
      (token) =>
        http.call({
          path: '/chat/completions',
          headers: {
            authorization: `Bearer ${token}`,
            accept: stream ? 'text/event-stream' : 'application/json',
            ...(stream ? { 'cache-control': 'no-store' } : {}),
            ...settings.headers,
            ...request.headers,
          },
          body,
          signal: request.signal,
          secrets: [token],
          classify: gigachatErrors.classify,
        }),
      request.signal,
    );
    return { response, warnings };
  };

  const listModels = async (signal?: AbortSignal): Promise<ModelInfo[]> => {
    const response = await withToken(
      (token) =>
        http.call({
          path: '/models',
          headers: { authorization: `Bearer ${token}`, ...settings.headers },
          signal,
          secrets: [token],
        }),
      signal,
    );
    const list = await readJsonResponse(response, modelsSchema, {
      provider: name,
      what: 'model list',
      signal,
    });
    return list.data.map((m) => ({
      id: m.id,
      ownedBy: m.owned_by ?? undefined,
      type: m.type ?? undefined,
    }));
  };

  return {
    providerType: 'gigachat',
    pricing: gigachatPricing(model),
    capabilities: { streaming: true, tools: true, jsonSchema: true },

    async generate(request): Promise<GenerateResult> {
      const { response, warnings } = await post(request, false);
      const json = await readJsonResponse(response, completionSchema, {
        provider: name,
        what: 'chat completion',
        signal: request.signal,
      });
      const choice = firstChoice(json.choices, { provider: name });
      const call = gigachatToolCall(choice.message);
      return {
        text: choice.message.content ?? '',
        toolCalls: call ? [call] : [],
        finishReason: mapGigaChatFinishReason(choice.finish_reason),
        usage: gigachatUsage(json.usage),
        warnings,
        // GigaChat responses have no id; X-Request-Id identifies the request.
        response: {
          model: json.model ?? undefined,
          requestId: response.headers.get('x-request-id') ?? undefined,
        },
        providerMetadata: {
          gigachat: { precachedPromptTokens: json.usage?.precached_prompt_tokens ?? undefined },
        },
      };
    },

    stream(request) {
      return partStream(async () => {
        const { response, warnings } = await post(request, true);
        // The official SDK rejects a 200 that is not an event stream; so do we.
        const contentType = response.headers.get('content-type') ?? '';
        if (!contentType.includes('text/event-stream')) {
          await openBody(response).cancel();
          throw new ProviderError({
            kind: 'invalid_response',
            provider: name,
            message: `${name}: expected text/event-stream, got "${contentType}"`,
          });
        }
        const head: StreamPart[] = [
          { type: 'stream-start', warnings },
          { type: 'response-metadata', requestId: response.headers.get('x-request-id') ?? undefined },
        ];
        return {
          response,
          head,
          source: gigachatStreamSource(response, { provider: name, signal: request.signal }),
        };
      });
    },

    /** Obtains a fresh token: proves the key and the scope, and costs nothing. With a static token, lists models. */
    healthCheck: healthCheckBy((signal) =>
      staticToken === undefined ? tokens.refresh(signal) : listModels(signal),
    ),

    listModels: (options) => listModels(options?.signal),
  };
}
