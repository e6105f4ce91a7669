import {
  type BaseProviderSettings,
  type ChatRequest,
  cancelledError,
  defineHttpProvider,
  type FetchFunction,
  HEALTH_CHECK_TIMEOUT_MS,
  type HttpProviderBase,
  type HttpProviderParts,
  healthCheckBy,
  type ModelInfo,
  type ModelPricing,
  type ProviderCapabilities,
  type ProviderV1,
  readJsonResponse,
  resolveSetting,
  type Setting,
} from '@llmo/core/provider';
import { getDefaultFetch } from '@llmo/core/transport';
import { modelListSchema, tokenCountSchema } from './anthropic-api.js';
import { anthropicChatMethods } from './anthropic-chat.js';
import { anthropicErrors } from './anthropic-errors.js';
import { toAnthropicPrompt } from './anthropic-messages.js';
import { anthropicPricing, withCachePrices } from './anthropic-pricing.js';
import { readRateLimits } from './anthropic-rate-limits.js';
import { ANTHROPIC_VERSION, buildAnthropicRequest } from './anthropic-request.js';
import { anthropicSettingsSchema } from './anthropic-settings.js';

export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

export interface AnthropicSettings extends BaseProviderSettings {
  /** API key (`x-api-key`), or a function returning it (read per request). One of apiKey/authToken is needed. */
  apiKey?: Setting<string>;
  /** OAuth token sent as `Authorization: Bearer`, instead of an API key. */
  authToken?: Setting<string>;
  /** Default `https://api.anthropic.com` (no `/v1`: the paths carry it). */
  baseURL?: string;
  /** The `anthropic-version` header. Default `2023-06-01`, as the official SDK. */
  anthropicVersion?: string;
  /** Beta features, sent comma-separated as `anthropic-beta`. */
  betas?: string[];
  /** `max_tokens` when a request has no `maxTokens`. Default: per model (see the README). */
  defaultMaxTokens?: number;
  fetch?: FetchFunction;
  /** Time allowed until response headers. Default 10 minutes, as the official SDK. */
  timeoutMs?: number;
  /** Prices for this model; default: Anthropic's list price (cache prices derived with its multipliers). */
  pricing?: ModelPricing;
  capabilities?: ProviderCapabilities;
}

/** An Anthropic provider: the contract, plus token counting through `count_tokens`. */
export interface AnthropicProvider extends ProviderV1 {
  /** Input tokens the request would use (`POST /v1/messages/count_tokens`; free, rate-limited). */
  countTokens(request: ChatRequest): Promise<number>;
}

const MAX_MODEL_PAGES = 50;

/**
 * A provider for one Claude model on the Anthropic Messages API.
 *
 * @example
 * const claude = createAnthropic({ name: 'claude', model: 'claude-sonnet-4-5', apiKey: () => env.ANTHROPIC_API_KEY });
 */
export function createAnthropic(settings: AnthropicSettings): AnthropicProvider {
  return defineHttpProvider<AnthropicSettings, AnthropicProvider>(settings, {
    factory: 'createAnthropic',
    schema: anthropicSettingsSchema,
    defaultBaseURL: ANTHROPIC_BASE_URL,
    // The paths carry `/v1`: a base URL given with it (as for the official SDK's `/v1` users) drops it.
    normalizeBaseURL: (url) => url.replace(/\/v1$/, ''),
    defaultTimeoutMs: 600_000,
    defaultFetch: getDefaultFetch,
    // A price given in the settings gets Anthropic's cache prices (0.1× reads, 1.25× and 2× writes).
    completePricing: withCachePrices,
    setup: anthropicProvider,
  });
}

function anthropicProvider({
  settings,
  name,
  model,
  timeoutMs,
  redactor,
  http,
}: HttpProviderBase<AnthropicSettings>): HttpProviderParts<AnthropicProvider> {
  const given = settings.pricing ?? anthropicPricing(model);
  const pricing = given ? withCachePrices(given) : undefined;
  const requestOptions = { provider: name, model, defaultMaxTokens: settings.defaultMaxTokens };

  const headersFor = async (request?: ChatRequest) => {
    const hint =
      'Pass apiKey (e.g. your ANTHROPIC_API_KEY environment variable, or a function returning it) to createAnthropic.';
    const authToken =
      settings.authToken === undefined
        ? undefined
        : await resolveSetting(settings.authToken, { name: 'authToken', provider: name, hint });
    const apiKey =
      authToken !== undefined && settings.apiKey === undefined
        ? undefined
        : await resolveSetting(settings.apiKey, { name: 'apiKey', provider: name, hint });
    return {
      secrets: [apiKey, authToken],
      headers: {
        accept: 'application/json',
        'x-api-key': apiKey,
        authorization: authToken ? `Bearer ${authToken}` : undefined,
        'anthropic-version': settings.anthropicVersion ?? ANTHROPIC_VERSION,
        'anthropic-beta': settings.betas?.length ? settings.betas.join(',') : undefined,
        ...settings.headers,
        ...request?.headers,
      },
    };
  };

  const call = async (
    path: string,
    options: {
      body?: unknown;
      signal?: AbortSignal;
      request?: ChatRequest;
      timeout?: number;
      accept?: string;
    },
  ) => {
    const { secrets, headers } = await headersFor(options.request);
    return http.call({
      path,
      headers: options.accept ? { ...headers, accept: options.accept } : headers,
      body: options.body,
      signal: options.signal,
      timeoutMs: options.timeout,
      secrets,
      classify: anthropicErrors.classify,
    });
  };

  const post = async (request: ChatRequest, stream: boolean) => {
    if (request.signal?.aborted) throw cancelledError(name);
    const { body, warnings } = buildAnthropicRequest(request, requestOptions, stream);
    const response = await call('/v1/messages', {
      body,
      signal: request.signal,
      request,
      accept: stream ? 'text/event-stream' : undefined,
    });
    return { response, warnings, requestId: response.headers.get('request-id') ?? undefined };
  };

  const listAll = async (signal?: AbortSignal, timeout?: number, limit?: number) => {
    const models: ModelInfo[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_MODEL_PAGES; page++) {
      const query = new URLSearchParams({ limit: String(limit ?? 1000) });
      if (after) query.set('after_id', after);
      const response = await call(`/v1/models?${query}`, { signal, timeout });
      const list = await readJsonResponse(response, modelListSchema, {
        provider: name,
        what: 'model list',
        signal,
      });
      for (const m of list.data)
        models.push({
          id: m.id,
          ownedBy: 'anthropic',
          displayName: m.display_name ?? undefined,
          createdAt: m.created_at ?? undefined,
        });
      if (!list.has_more || !list.last_id || limit !== undefined) break;
      after = list.last_id;
    }
    return models;
  };

  return {
    providerType: 'anthropic',
    pricing,
    capabilities: { streaming: true, tools: true, jsonSchema: false },
    ...anthropicChatMethods({
      provider: name,
      pricing,
      post,
      rateLimits: (response) => readRateLimits(response.headers),
    }),
    /** Lists one model: free, proves the key and the endpoint. */
    healthCheck: healthCheckBy((signal) => listAll(signal, Math.min(timeoutMs, HEALTH_CHECK_TIMEOUT_MS), 1)),
    listModels: (options) => listAll(options?.signal),
    async countTokens(request) {
      try {
        if (request.signal?.aborted) throw cancelledError(name);
        const { body } = buildAnthropicRequest(request, requestOptions, false);
        // count_tokens takes the prompt, not the generation settings.
        const { system, messages } = toAnthropicPrompt(request.messages, name);
        const response = await call('/v1/messages/count_tokens', {
          body: { model, system, messages, tools: body.tools, tool_choice: body.tool_choice },
          signal: request.signal,
          request,
        });
        const json = await readJsonResponse(response, tokenCountSchema, {
          provider: name,
          what: 'token count',
          signal: request.signal,
        });
        return json.input_tokens;
      } catch (error) {
        throw redactor.error(error);
      }
    },
  };
}
