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
  type ModelPricing,
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
import { completionEnvelopeSchema, modelListSchema, tokenizeSchema, unwrapResult } from './yandexgpt-api.js';
import { yandexErrors } from './yandexgpt-errors.js';
import { yandexModelUri } from './yandexgpt-model-uri.js';
import { yandexgptPricing } from './yandexgpt-pricing.js';
import { buildYandexRequest } from './yandexgpt-request.js';
import { mapYandexStatus, yandexToolCalls, yandexUsage } from './yandexgpt-response.js';
import { yandexGPTSettingsSchema } from './yandexgpt-settings.js';
import { yandexStreamSource } from './yandexgpt-stream.js';

export const YANDEXGPT_BASE_URL = 'https://llm.api.cloud.yandex.net';

export interface YandexGPTSettings extends BaseProviderSettings {
  /** `yandexgpt-lite`, `yandexgpt`, `yandexgpt/rc`… or a full `gpt://<folder>/<model>` URI. */
  model: string;
  /** The Yandex Cloud folder id (it goes into the model URI, and into `x-folder-id` for IAM tokens). */
  folderId: Setting<string>;
  /** An IAM token (`Authorization: Bearer`); they live up to 12 hours, so pass a function that refreshes. */
  iamToken?: Setting<string>;
  /** A service account's API key (`Authorization: Api-Key`). */
  apiKey?: Setting<string>;
  /** Send `x-folder-id`. Default: yes with an IAM token, no with an API key (the service uses the account's folder). */
  sendFolderHeader?: boolean;
  /** Default `https://llm.api.cloud.yandex.net`. */
  baseURL?: string;
  fetch?: FetchFunction;
  /** Time allowed until response headers. Default 60 s. */
  timeoutMs?: number;
  /** Opt out of server-side request logging (`x-data-logging-enabled: false`). */
  disableDataLogging?: boolean;
  pricing?: ModelPricing;
  capabilities?: ProviderCapabilities;
}

/**
 * A provider for YandexGPT through the native Foundation Models REST API (`/foundationModels/v1/completion`).
 *
 * @example
 * const yandex = createYandexGPT({ name: 'yandexgpt', model: 'yandexgpt-lite', folderId: env.YC_FOLDER_ID,
 *   apiKey: () => env.YC_API_KEY });
 */
export function createYandexGPT(settings: YandexGPTSettings): ProviderV1 {
  return defineHttpProvider(settings, {
    factory: 'createYandexGPT',
    // Also requires folderId and exactly one of iamToken or apiKey.
    schema: yandexGPTSettingsSchema,
    defaultBaseURL: YANDEXGPT_BASE_URL,
    defaultTimeoutMs: 60_000,
    defaultFetch: getDefaultFetch,
    setup: yandexGPTProvider,
  });
}

function yandexGPTProvider({
  settings,
  name,
  model,
  timeoutMs,
  http,
}: HttpProviderBase<YandexGPTSettings>): HttpProviderParts<ProviderV1> {
  const usesIam = settings.iamToken !== undefined;
  const sendFolderHeader = settings.sendFolderHeader ?? usesIam;

  const auth = async () => {
    const folderId = await resolveSetting(settings.folderId, {
      name: 'folderId',
      provider: name,
      kind: 'bad_request',
    });
    const secret = usesIam
      ? await resolveSetting(settings.iamToken, { name: 'iamToken', provider: name })
      : await resolveSetting(settings.apiKey, { name: 'apiKey', provider: name });
    return {
      folderId,
      secret,
      headers: {
        authorization: usesIam ? `Bearer ${secret}` : `Api-Key ${secret}`,
        'x-folder-id': sendFolderHeader ? folderId : undefined,
        'x-client-request-id': crypto.randomUUID(),
        'x-data-logging-enabled': settings.disableDataLogging ? 'false' : undefined,
        ...settings.headers,
      },
    };
  };

  const post = async (request: ChatRequest, stream: boolean) => {
    if (request.signal?.aborted) throw cancelledError(name);
    const { folderId, secret, headers } = await auth();
    const { body, warnings } = buildYandexRequest(
      request,
      { modelUri: yandexModelUri(model, folderId), provider: name },
      stream,
    );
    const response = await http.call({
      path: '/foundationModels/v1/completion',
      headers: { ...headers, ...request.headers },
      body,
      signal: request.signal,
      secrets: [secret],
      classify: yandexErrors.classify,
    });
    return { response, warnings };
  };

  return {
    providerType: 'yandexgpt',
    pricing: yandexgptPricing(model),
    capabilities: { streaming: true, tools: true, jsonSchema: true },

    async generate(request): Promise<GenerateResult> {
      const { response, warnings } = await post(request, false);
      const envelope = await readJsonResponse(response, completionEnvelopeSchema, {
        provider: name,
        what: 'completion',
        signal: request.signal,
      });
      if (envelope.error) throw yandexErrors.inBody(envelope, { provider: name, where: 'response' });
      const result = unwrapResult(envelope);
      const alternative = result?.alternatives[0];
      if (!result || !alternative) {
        throw new ProviderError({
          kind: 'invalid_response',
          provider: name,
          message: `${name}: the completion has no alternatives`,
        });
      }
      return {
        text: alternative.message.text ?? '',
        toolCalls: yandexToolCalls(result),
        finishReason: mapYandexStatus(alternative.status),
        usage: yandexUsage(result),
        warnings,
        response: {
          model: result.modelVersion ?? undefined,
          requestId: response.headers.get('x-request-id') ?? undefined,
        },
      };
    },

    stream(request) {
      return partStream(async () => {
        const { response, warnings } = await post(request, true);
        const head: StreamPart[] = [
          { type: 'stream-start', warnings },
          { type: 'response-metadata', requestId: response.headers.get('x-request-id') ?? undefined },
        ];
        return {
          response,
          head,
          source: yandexStreamSource(response, { provider: name, signal: request.signal }),
        };
      });
    },

    /**
     * Tokenizes one word with the model (`POST /foundationModels/v1/tokenize`), which Yandex does not bill:
     * it proves the credentials, the folder permission and the model URI without spending money.
     */
    healthCheck: healthCheckBy(async (signal) => {
      const { folderId, secret, headers } = await auth();
      await http.json({
        path: '/foundationModels/v1/tokenize',
        headers,
        body: { modelUri: yandexModelUri(model, folderId), text: 'ping' },
        signal,
        timeoutMs: Math.min(timeoutMs, HEALTH_CHECK_TIMEOUT_MS),
        secrets: [secret],
        schema: tokenizeSchema,
        what: 'tokenize response',
      });
    }),

    /**
     * The models the folder can use, from Yandex's OpenAI-compatible `GET /v1/models` (same host, same
     * credentials, the folder as `OpenAI-Project`). Ids are model URIs (`gpt://<folder>/yandexgpt/latest`).
     */
    async listModels(options): Promise<ModelInfo[]> {
      const { folderId, secret, headers } = await auth();
      const list = await http.json({
        path: '/v1/models',
        headers: { ...headers, 'openai-project': folderId },
        signal: options?.signal,
        secrets: [secret],
        schema: modelListSchema,
        what: 'model list',
      });
      return list.data.map((m) => ({ id: m.id, ownedBy: m.owned_by ?? undefined }));
    },
  };
}
