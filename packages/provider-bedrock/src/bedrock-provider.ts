import {
  type AwsCredentials,
  type BaseProviderSettings,
  type ChatRequest,
  cancelledError,
  createHttpClient,
  defineHttpProvider,
  type FetchFunction,
  type GenerateResult,
  HEALTH_CHECK_TIMEOUT_MS,
  type HttpClient,
  type HttpProviderBase,
  type HttpProviderParts,
  healthCheckBy,
  LlmoError,
  type ModelInfo,
  type ModelPricing,
  type ProviderCapabilities,
  ProviderError,
  type ProviderV1,
  partStream,
  readJsonResponse,
  resolveSetting,
  type Setting,
  signAwsRequest,
  type ToolCall,
} from '@llmo/core/provider';
import { getDefaultFetch } from '@llmo/core/transport';
import * as z from '@llmo/core/zod';
import { converseResponseSchema, foundationModelsSchema } from './bedrock-api.js';
import { bedrockErrors } from './bedrock-errors.js';
import { bedrockPricing, usageMetadata } from './bedrock-pricing.js';
import { buildBedrockRequest } from './bedrock-request.js';
import { bedrockSettingsSchema } from './bedrock-settings.js';
import { bedrockStreamSource } from './bedrock-stream.js';
import { toProviderUsage } from './bedrock-usage.js';
import { mapBedrockStopReason } from './map-bedrock-stop-reason.js';

/** The runtime endpoint; `{region}` is the `region` setting. */
export const BEDROCK_RUNTIME_URL = 'https://bedrock-runtime.{region}.amazonaws.com';
/** The SigV4 signing name for both `bedrock-runtime.*` and `bedrock.*` hosts (pitfall 1). */
export const BEDROCK_SIGNING_NAME = 'bedrock';

export type { AwsCredentials };

export interface BedrockSettings extends BaseProviderSettings {
  /**
   * The model id (`anthropic.claude-3-5-haiku-20241022-v1:0`, `amazon.nova-pro-v1:0`, `meta.llama3-3-70b-instruct-v1:0`…),
   * a cross-region inference profile id (`us.anthropic.claude-sonnet-4-5-20250929-v1:0`) or an ARN. Sent
   * percent-encoded as one path segment.
   */
  model: string;
  /** The AWS region (`us-east-1`): the host and the signature's scope. Default: read from a `baseURL` on AWS. */
  region?: string;
  /**
   * IAM credentials for SigV4: `{ accessKeyId, secretAccessKey, sessionToken? }`, or a function returning them,
   * called for every request (rotating or assumed-role credentials: cache in the function). Edge runtimes have
   * no AWS credential chain (no `~/.aws`, no IMDS): pass them in.
   */
  credentials?: Setting<AwsCredentials>;
  /** A Bedrock API key, sent as `Authorization: Bearer` instead of SigV4; or a function returning it. */
  apiKey?: Setting<string>;
  /** The runtime endpoint. Default `https://bedrock-runtime.<region>.amazonaws.com` (a VPC endpoint, a proxy…). */
  baseURL?: string;
  /**
   * The control-plane endpoint (`ListFoundationModels`). Default: `https://bedrock.<region>.amazonaws.com`, or
   * `baseURL` with `bedrock-runtime` → `bedrock` in its host, or `baseURL` itself for a proxy.
   */
  controlPlaneURL?: string;
  fetch?: FetchFunction;
  /** Time allowed until response headers. Default 10 minutes. */
  timeoutMs?: number;
  /** Prices for this model; default: the list price of the few models in `BEDROCK_PRICES`. */
  pricing?: ModelPricing;
  capabilities?: ProviderCapabilities;
}

/** A Bedrock provider: the contract (model listing through `ListFoundationModels`). */
export type BedrockProvider = ProviderV1;

/** `us-east-1` from `https://bedrock-runtime.us-east-1.amazonaws.com` (or a FIPS / VPC endpoint name). */
export function regionFromURL(url: string): string | undefined {
  try {
    const host = new URL(url).hostname;
    return /(?:^|\.)bedrock(?:-runtime)?(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com$/.exec(
      host,
    )?.[1];
  } catch {
    return undefined;
  }
}

function regionOf(settings: BedrockSettings): string {
  const region = settings.region ?? (settings.baseURL ? regionFromURL(settings.baseURL) : undefined);
  if (region) return region;
  throw new LlmoError({
    name: 'InvalidSettingsError',
    message:
      'createBedrock: invalid settings:\n  - region is required: the AWS region, e.g. "us-east-1" (it names the host and scopes the signature)',
  });
}

/** The model id as one path segment: `:` → `%3A`, an ARN's `/` → `%2F` (pitfall 2). */
export function modelPath(model: string, operation: 'converse' | 'converse-stream'): string {
  return `/model/${encodeURIComponent(model)}/${operation}`;
}

/**
 * A provider for one model on Amazon Bedrock's Converse API (every model family, one request shape).
 *
 * @example
 * const nova = createBedrock({
 *   name: 'nova', model: 'amazon.nova-lite-v1:0', region: 'us-east-1',
 *   credentials: () => ({ accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY }),
 * });
 */
export function createBedrock(settings: BedrockSettings): BedrockProvider {
  return defineHttpProvider<BedrockSettings, BedrockProvider>(settings, {
    factory: 'createBedrock',
    schema: bedrockSettingsSchema,
    defaultBaseURL: BEDROCK_RUNTIME_URL,
    normalizeBaseURL: (url, s) => url.replace('{region}', regionOf(s)),
    defaultTimeoutMs: 600_000,
    defaultFetch: getDefaultFetch,
    setup: bedrockProvider,
  });
}

function controlPlaneURL(settings: BedrockSettings, baseURL: string, region: string): string {
  if (settings.controlPlaneURL) return settings.controlPlaneURL.replace(/\/+$/, '');
  if (!settings.baseURL) return `https://bedrock.${region}.amazonaws.com`;
  const url = new URL(baseURL);
  url.hostname = url.hostname.replace(/(^|\.)bedrock-runtime([.-])/, '$1bedrock$2');
  return url.toString().replace(/\/+$/, '');
}

function bedrockProvider({
  settings,
  name,
  model,
  baseURL,
  fetch,
  timeoutMs,
  redactor,
  http,
}: HttpProviderBase<BedrockSettings>): HttpProviderParts<BedrockProvider> {
  const region = regionOf(settings);
  const control = createHttpClient({
    provider: name,
    baseURL: controlPlaneURL(settings, baseURL, region),
    fetch,
    timeoutMs,
    redactor,
  });

  /** The auth headers for one request: a Bearer API key, or a SigV4 signature over exactly what is sent. */
  const authorize = async (
    url: string,
    headers: Record<string, string | undefined>,
    body: string | undefined,
  ): Promise<{ headers: Record<string, string | undefined>; secrets: (string | undefined)[] }> => {
    if (settings.apiKey !== undefined) {
      const apiKey = await resolveSetting(settings.apiKey, {
        name: 'apiKey',
        provider: name,
        hint: 'Pass apiKey (a Bedrock API key, e.g. your AWS_BEARER_TOKEN_BEDROCK, or a function returning it) to createBedrock.',
      });
      return { headers: { ...headers, authorization: `Bearer ${apiKey}` }, secrets: [apiKey] };
    }
    const credentials = await resolveSetting(settings.credentials, {
      name: 'credentials',
      provider: name,
      hint: 'Pass credentials ({ accessKeyId, secretAccessKey, sessionToken? } or a function returning them) or apiKey (a Bedrock API key) to createBedrock.',
    });
    const secrets = [credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken];
    if (!credentials.accessKeyId || !credentials.secretAccessKey) {
      throw new ProviderError({
        kind: 'auth',
        retryable: false,
        provider: name,
        message: `${name}: the credentials have no accessKeyId or no secretAccessKey`,
      });
    }
    const signed = await signAwsRequest({
      method: body === undefined ? 'GET' : 'POST',
      url,
      headers,
      body,
      credentials,
      region,
      service: BEDROCK_SIGNING_NAME,
    });
    return { headers: signed.headers, secrets };
  };

  /** One signed call: the JSON body serialised once, signed, and sent as those exact bytes (pitfall 3). */
  const call = async (
    client: HttpClient,
    c: {
      path: string;
      body?: unknown;
      signal?: AbortSignal;
      timeout?: number;
      request?: ChatRequest;
      accept: string;
    },
  ): Promise<Response> => {
    const bodyText = c.body === undefined ? undefined : JSON.stringify(c.body);
    const { headers, secrets } = await authorize(
      `${client.baseURL}${c.path}`,
      {
        accept: c.accept,
        'content-type': bodyText === undefined ? undefined : 'application/json',
        ...lowerCase(settings.headers),
        ...lowerCase(c.request?.headers),
      },
      bodyText,
    );
    return client.call({
      path: c.path,
      headers,
      body: bodyText,
      signal: c.signal,
      timeoutMs: c.timeout,
      secrets,
      classify: bedrockErrors.classify,
    });
  };

  const post = async (request: ChatRequest, stream: boolean) => {
    if (request.signal?.aborted) throw cancelledError(name);
    const { body, warnings } = buildBedrockRequest(request, { provider: name });
    const response = await call(http, {
      path: modelPath(model, stream ? 'converse-stream' : 'converse'),
      body,
      signal: request.signal,
      request,
      accept: stream ? 'application/vnd.amazon.eventstream' : 'application/json',
    });
    return { response, warnings, requestId: response.headers.get('x-amzn-requestid') ?? undefined };
  };

  const listModels = async (signal?: AbortSignal, timeout?: number): Promise<ModelInfo[]> => {
    const response = await call(control, {
      path: '/foundation-models',
      signal,
      timeout,
      accept: 'application/json',
    });
    const json = await readJsonResponse(response, foundationModelsSchema, {
      provider: name,
      what: 'foundation model list',
      signal,
    });
    return (json.modelSummaries ?? []).map((m) => ({
      id: m.modelId,
      ownedBy: m.providerName ?? undefined,
      displayName: m.modelName ?? undefined,
      arn: m.modelArn ?? undefined,
      inputModalities: m.inputModalities ?? undefined,
      outputModalities: m.outputModalities ?? undefined,
      streaming: m.responseStreamingSupported ?? undefined,
      inferenceTypes: m.inferenceTypesSupported ?? undefined,
      lifecycle: m.modelLifecycle?.status ?? undefined,
    }));
  };

  const pricing = settings.pricing ?? bedrockPricing(model);

  return {
    providerType: 'bedrock',
    pricing,
    capabilities: { streaming: true, tools: true, jsonSchema: false },

    async generate(request): Promise<GenerateResult> {
      const { response, warnings, requestId } = await post(request, false);
      const json = await readJsonResponse(response, converseResponseSchema, {
        provider: name,
        what: 'Converse response',
        signal: request.signal,
      });
      const content = json.output?.message?.content;
      if (!content && !json.stopReason) {
        throw new ProviderError({
          kind: 'invalid_response',
          provider: name,
          requestId,
          message: `${name}: the Converse response has neither output.message nor a stopReason`,
        });
      }
      let text = '';
      const toolCalls: ToolCall[] = [];
      for (const block of content ?? []) {
        if (typeof block.text === 'string') text += block.text;
        else if (block.toolUse)
          toolCalls.push({
            id: block.toolUse.toolUseId ?? `tooluse_${toolCalls.length}`,
            name: block.toolUse.name ?? '',
            arguments: JSON.stringify(block.toolUse.input ?? {}),
          });
      }
      return {
        text,
        toolCalls: toolCalls.length ? toolCalls : undefined,
        finishReason: mapBedrockStopReason(json.stopReason),
        usage: toProviderUsage(json.usage),
        warnings,
        response: { requestId },
        providerMetadata: usageMetadata(json.usage, {
          stopReason: json.stopReason ?? undefined,
          latencyMs: json.metrics?.latencyMs ?? undefined,
        }),
      };
    },

    stream(request) {
      return partStream(async () => {
        const { response, warnings, requestId } = await post(request, true);
        // A 200 that is JSON, not the binary stream (a proxy that answers errors with 200, a gateway that does
        // not stream): its error is read as one, anything else is not what ConverseStream sends.
        if (/json/i.test(response.headers.get('content-type') ?? '')) {
          const body = await readJsonResponse(response, z.unknown(), {
            provider: name,
            what: 'ConverseStream response',
            signal: request.signal,
          });
          const details = bedrockErrors.details(body);
          if (details.code || details.message)
            throw bedrockErrors.inBody(body, { provider: name, requestId, where: 'response' });
          throw new ProviderError({
            kind: 'invalid_response',
            provider: name,
            requestId,
            message: `${name}: ConverseStream answered JSON instead of application/vnd.amazon.eventstream`,
          });
        }
        const source = bedrockStreamSource(response, { provider: name, signal: request.signal, requestId });
        return { response, head: [{ type: 'stream-start', warnings }], source };
      });
    },

    /** `ListFoundationModels`: free, proves the credentials, the region and the endpoint. */
    healthCheck: healthCheckBy((signal) => listModels(signal, Math.min(timeoutMs, HEALTH_CHECK_TIMEOUT_MS))),
    listModels: (options) => listModels(options?.signal),
  };
}

function lowerCase(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) out[key.toLowerCase()] = value;
  return out;
}
