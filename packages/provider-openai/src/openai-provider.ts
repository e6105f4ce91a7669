import {
  type BaseProviderSettings,
  type ChatRequest,
  cancelledError,
  defineHttpProvider,
  type FetchFunction,
  firstChoice,
  type GenerateResult,
  HEALTH_CHECK_TIMEOUT_MS,
  type HttpProviderBase,
  type HttpProviderParts,
  healthCheckBy,
  type ModelInfo,
  type ModelPricing,
  type ProviderCapabilities,
  type ProviderV1,
  partStream,
  readJsonResponse,
  resolveSetting,
  type Setting,
} from '@llmo/core/provider';
import { getDefaultFetch } from '@llmo/core/transport';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { chatCompletionSchema, modelListSchema } from './openai-api.js';
import { openaiErrors } from './openai-errors.js';
import { openaiPricing } from './openai-pricing.js';
import { buildOpenAIRequest } from './openai-request.js';
import { openAISettingsSchema } from './openai-settings.js';
import { openAIStreamSource } from './openai-stream.js';
import { toProviderUsage } from './openai-usage.js';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAISettings extends BaseProviderSettings {
  /** API key, or a function returning it (read per request). Optional for compatible servers without auth. */
  apiKey?: Setting<string>;
  /** Default `https://api.openai.com/v1`; any OpenAI-compatible server's `/v1` URL works. */
  baseURL?: string;
  /** Sent as `OpenAI-Organization`. */
  organization?: string;
  /** Sent as `OpenAI-Project`. */
  project?: string;
  /** Injected fetch (tests, proxies, custom TLS). Default: `@llmo/core/transport`. */
  fetch?: FetchFunction;
  /** Time allowed until response headers. Default 10 minutes, as the official SDK. */
  timeoutMs?: number;
  /** Default: `max_completion_tokens` for OpenAI, `max_tokens` for other servers. */
  maxTokensParameter?: 'max_completion_tokens' | 'max_tokens';
  /** Request the usage chunk on streams. Default true. */
  includeUsage?: boolean;
  /** Price table key. Default `openai`; set e.g. `groq` for a compatible server priced in the Router. */
  providerType?: string;
  /** Prices for this model; default: OpenAI's list price when calling OpenAI. */
  pricing?: ModelPricing;
  capabilities?: ProviderCapabilities;
}

/**
 * A provider for OpenAI Chat Completions, or any OpenAI-compatible server through `baseURL`.
 *
 * @example
 * const openai = createOpenAI({ name: 'openai', model: 'gpt-4o-mini', apiKey: () => env.OPENAI_API_KEY });
 * const local = createOpenAI({ name: 'vllm', model: 'Qwen/Qwen2.5-7B-Instruct', baseURL: 'http://localhost:8000/v1' });
 */
export function createOpenAI(settings: OpenAISettings): ProviderV1 {
  return defineHttpProvider(settings, {
    factory: 'createOpenAI',
    schema: openAISettingsSchema,
    defaultBaseURL: OPENAI_BASE_URL,
    defaultTimeoutMs: 600_000,
    defaultFetch: getDefaultFetch,
    setup: openAIProvider,
  });
}

function openAIProvider({
  settings,
  name,
  model,
  baseURL,
  timeoutMs,
  http,
}: HttpProviderBase<OpenAISettings>): HttpProviderParts<ProviderV1> {
  const isOpenAI = baseURL === OPENAI_BASE_URL;
  const requestOptions = {
    provider: name,
    model,
    maxTokensParameter: settings.maxTokensParameter ?? (isOpenAI ? 'max_completion_tokens' : 'max_tokens'),
    includeUsage: settings.includeUsage ?? true,
    maxStopSequences: isOpenAI ? 4 : undefined,
  } as const;

  const headersFor = async (request?: ChatRequest) => {
    // OpenAI needs a key; compatible servers often run without one.
    const apiKey =
      settings.apiKey === undefined && !isOpenAI
        ? undefined
        : await resolveSetting(settings.apiKey, {
            name: 'apiKey',
            provider: name,
            hint: 'Pass apiKey (e.g. your OPENAI_API_KEY environment variable, or a function returning it) to createOpenAI.',
          });
    return {
      apiKey,
      headers: {
        accept: 'application/json',
        authorization: apiKey ? `Bearer ${apiKey}` : undefined,
        'openai-organization': settings.organization,
        'openai-project': settings.project,
        ...settings.headers,
        ...request?.headers,
      },
    };
  };

  const post = async (request: ChatRequest, stream: boolean) => {
    if (request.signal?.aborted) throw cancelledError(name);
    const { apiKey, headers } = await headersFor(request);
    const { body, warnings } = buildOpenAIRequest(request, requestOptions, stream);
    const response = await http.call({
      path: '/chat/completions',
      headers: stream ? { ...headers, accept: 'text/event-stream' } : headers,
      body,
      signal: request.signal,
      secrets: [apiKey],
      classify: openaiErrors.classify,
    });
    return { response, warnings };
  };

  const getModels = async (signal?: AbortSignal, timeout = timeoutMs) => {
    const { apiKey, headers } = await headersFor();
    return http.json({
      path: '/models',
      headers,
      signal,
      timeoutMs: timeout,
      secrets: [apiKey],
      schema: modelListSchema,
      what: 'model list',
    });
  };

  return {
    providerType: settings.providerType ?? 'openai',
    pricing: isOpenAI ? openaiPricing(model) : undefined,
    capabilities: { streaming: true, tools: true, jsonSchema: true },

    async generate(request): Promise<GenerateResult> {
      const { response, warnings } = await post(request, false);
      const json = await readJsonResponse(response, chatCompletionSchema, {
        provider: name,
        what: 'chat completion',
        signal: request.signal,
      });
      const choice = firstChoice(json.choices, { provider: name });
      const message = choice.message;
      return {
        text: message.content ?? message.refusal ?? '',
        toolCalls: message.tool_calls?.map((call, i) => ({
          id: call.id ?? `call_${i}`,
          name: call.function.name,
          arguments: call.function.arguments ?? '',
        })),
        finishReason:
          message.refusal && !message.content
            ? 'content-filter'
            : mapOpenAIFinishReason(choice.finish_reason),
        usage: toProviderUsage(json.usage),
        warnings,
        response: {
          id: json.id ?? undefined,
          model: json.model ?? undefined,
          requestId: response.headers.get('x-request-id') ?? undefined,
        },
      };
    },

    stream(request) {
      return partStream(async () => {
        const { response, warnings } = await post(request, true);
        const source = openAIStreamSource(response, {
          provider: name,
          signal: request.signal,
          requestId: response.headers.get('x-request-id') ?? undefined,
        });
        return { response, head: [{ type: 'stream-start', warnings }], source };
      });
    },

    /** Lists models: free, proves the key and the endpoint. */
    healthCheck: healthCheckBy((signal) => getModels(signal, Math.min(timeoutMs, HEALTH_CHECK_TIMEOUT_MS))),

    async listModels(options): Promise<ModelInfo[]> {
      const list = await getModels(options?.signal);
      return list.data.map((m) => ({ id: m.id, ownedBy: m.owned_by ?? undefined }));
    },
  };
}
