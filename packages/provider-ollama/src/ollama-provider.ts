import {
  type BaseProviderSettings,
  type ChatRequest,
  cancelledError,
  defineHttpProvider,
  type FetchFunction,
  type GenerateResult,
  HEALTH_CHECK_TIMEOUT_MS,
  type HttpProviderBase,
  type HttpProviderParts,
  healthCheckBy,
  type ModelInfo,
  type ProviderCapabilities,
  type ProviderV1,
  partStream,
  readJsonResponse,
  resolveSetting,
  type Setting,
} from '@llmo/core/provider';
import { getDefaultFetch } from '@llmo/core/transport';
import { chatResponseSchema, tagsSchema } from './ollama-api.js';
import { ollamaErrors } from './ollama-errors.js';
import { buildOllamaRequest } from './ollama-request.js';
import { mapOllamaDoneReason, ollamaMetadata, ollamaToolCalls, ollamaUsage } from './ollama-response.js';
import { ollamaSettingsSchema } from './ollama-settings.js';
import { ollamaStreamSource } from './ollama-stream.js';

export const OLLAMA_BASE_URL = 'http://localhost:11434';

export interface OllamaSettings extends BaseProviderSettings {
  /** Default `http://localhost:11434`; `https://ollama.com` for Ollama's cloud (with `apiKey`). */
  baseURL?: string;
  /** Only for Ollama's cloud API (`Authorization: Bearer`); local servers need none. */
  apiKey?: Setting<string>;
  fetch?: FetchFunction;
  /** Time allowed until response headers. Default 5 minutes: the first request may load the model. */
  timeoutMs?: number;
  /** `keep_alive`: a duration string (`"5m"`, `"1h"`) or a number of **seconds**; `0` unloads, `-1` keeps forever. */
  keepAlive?: string | number;
  /** Model options sent with every request (`num_ctx`, `top_k`, `repeat_penalty`…). */
  options?: Record<string, unknown>;
  capabilities?: ProviderCapabilities;
}

/**
 * A provider for a local (or cloud) Ollama server through its native `/api/chat`. Cost is zero unless you give
 * `pricing` (Ollama's cloud).
 *
 * @example
 * const local = createOllama({ name: 'llama', model: 'llama3.2', keepAlive: '10m', options: { num_ctx: 8192 } });
 */
export function createOllama(settings: OllamaSettings): ProviderV1 {
  return defineHttpProvider(settings, {
    factory: 'createOllama',
    schema: ollamaSettingsSchema,
    defaultBaseURL: OLLAMA_BASE_URL,
    defaultTimeoutMs: 300_000,
    defaultFetch: getDefaultFetch,
    setup: ollamaProvider,
  });
}

function ollamaProvider({
  settings,
  name,
  model,
  timeoutMs,
  http,
}: HttpProviderBase<OllamaSettings>): HttpProviderParts<ProviderV1> {
  const headersFor = async (request?: ChatRequest) => {
    const apiKey =
      settings.apiKey === undefined
        ? undefined
        : await resolveSetting(settings.apiKey, { name: 'apiKey', provider: name });
    return {
      apiKey,
      headers: {
        authorization: apiKey ? `Bearer ${apiKey}` : undefined,
        ...settings.headers,
        ...request?.headers,
      },
    };
  };

  const post = async (request: ChatRequest, stream: boolean) => {
    if (request.signal?.aborted) throw cancelledError(name);
    const { apiKey, headers } = await headersFor(request);
    const { body, warnings } = buildOllamaRequest(
      request,
      { model, provider: name, keepAlive: settings.keepAlive, options: settings.options },
      stream,
    );
    const response = await http.call({
      path: '/api/chat',
      headers,
      body,
      signal: request.signal,
      secrets: [apiKey],
      classify: ollamaErrors.classify,
    });
    return { response, warnings };
  };

  const tags = async (signal?: AbortSignal, timeout = timeoutMs) => {
    const { apiKey, headers } = await headersFor();
    return http.json({
      path: '/api/tags',
      headers,
      signal,
      timeoutMs: timeout,
      secrets: [apiKey],
      schema: tagsSchema,
      what: 'model list',
    });
  };

  return {
    providerType: 'ollama',
    pricing: { inputPer1K: 0, outputPer1K: 0, currency: 'USD' },
    capabilities: { streaming: true, tools: true, jsonSchema: true },

    async generate(request): Promise<GenerateResult> {
      const { response, warnings } = await post(request, false);
      const json = await readJsonResponse(response, chatResponseSchema, {
        provider: name,
        what: 'chat response',
        signal: request.signal,
      });
      if (json.error) throw ollamaErrors.inBody(json, { provider: name, where: 'response' });
      const toolCalls = ollamaToolCalls(json);
      return {
        text: json.message?.content ?? '',
        toolCalls,
        finishReason: mapOllamaDoneReason(json.done_reason, toolCalls.length > 0),
        usage: ollamaUsage(json),
        warnings,
        response: { model: json.model },
        providerMetadata: ollamaMetadata(json),
      };
    },

    stream(request) {
      return partStream(async () => {
        const { response, warnings } = await post(request, true);
        const source = ollamaStreamSource(response, { provider: name, signal: request.signal });
        return { response, head: [{ type: 'stream-start', warnings }], source };
      });
    },

    /** `GET /api/tags`: free, and shows the server is up. */
    healthCheck: healthCheckBy((signal) => tags(signal, Math.min(timeoutMs, HEALTH_CHECK_TIMEOUT_MS))),

    async listModels(options): Promise<ModelInfo[]> {
      return (await tags(options?.signal)).models.map((m) => ({ id: m.name, size: m.size ?? undefined }));
    },
  };
}
