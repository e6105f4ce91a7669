import {
  type CallWarning,
  type ChatRequest,
  type FinishReason,
  type GenerateResult,
  LlmoError,
  type ProviderUsage,
  type ProviderV1,
  type StreamPart,
  type ToolCall,
} from '@llmo/core';
import { cancelledError, ProviderError, redactProvider, SecretRedactor } from '@llmo/core/provider';
import { aiSdkErrors } from './ai-sdk-errors.js';
import type {
  LanguageModelV2,
  LanguageModelV2CallWarning,
  LanguageModelV2FinishReason,
  LanguageModelV2Usage,
  LanguageModelV3,
  LanguageModelV3FinishReason,
  LanguageModelV3StreamPart,
  LanguageModelV3Usage,
  SharedV3Warning,
} from './ai-sdk-types.js';
import { CallDeadline } from './call-deadline.js';
import { type FromAISDKSettings, validateFromAISDKSettings } from './from-ai-sdk-settings.js';
import { toAISDKCall } from './to-ai-sdk-call.js';
import { toLlmoError } from './to-ai-sdk-error.js';

/** Any AI SDK language model this package can wrap: AI SDK 5's V2 or AI SDK 6's V3. */
export type AISDKLanguageModel = LanguageModelV2 | LanguageModelV3;

/**
 * Any AI SDK language model (V2 or V3: `@ai-sdk/openai`, `@ai-sdk/anthropic`, `@ai-sdk/openai-compatible`,
 * community providers…) as an llmo provider, so the router can order, retry, fall back across and measure it.
 * Errors become `ProviderError`s with llmo kinds from the AI SDK's status code and `isRetryable`.
 *
 * Set the AI SDK's own retries to zero where you can (`maxRetries` lives in `generateText`, not the model,
 * so models called through llmo are called exactly once per attempt): the router does the retrying.
 *
 * @example
 * const openai = createOpenAICompatible({ name: 'acme', baseURL, apiKey });
 * router.addProvider(fromAISDK(openai('acme-large'), { name: 'acme-large' }));
 */
export function fromAISDK(model: AISDKLanguageModel, settings: FromAISDKSettings): ProviderV1 {
  validateFromAISDKSettings(settings);
  const version = (model as { specificationVersion?: unknown } | undefined)?.specificationVersion;
  if (version !== 'v2' && version !== 'v3') {
    throw new LlmoError({
      name: 'InvalidSettingsError',
      message: `fromAISDK: expected an AI SDK language model with specificationVersion "v2" (AI SDK 5) or "v3" (AI SDK 6); got ${typeof version === 'string' ? `"${version}"` : typeof model}`,
    });
  }
  const { name } = settings;
  const v3 = model as LanguageModelV3; // the calls below use only what V2 and V3 share
  const redactor = new SecretRedactor();
  redactor.remember(...(settings.secrets ?? []));
  const provider: ProviderV1 = {
    specificationVersion: 'v1',
    name,
    model: model.modelId,
    providerType: settings.providerType ?? model.provider.split('.')[0] ?? model.provider,
    ...(settings.pricing ? { pricing: settings.pricing } : {}),
    capabilities: settings.capabilities ?? { streaming: true, tools: true },

    async generate(request: ChatRequest): Promise<GenerateResult> {
      if (request.signal?.aborted) throw cancelledError(name);
      let result: Awaited<ReturnType<LanguageModelV3['doGenerate']>>;
      const deadline = new CallDeadline(name, request.signal, settings.timeoutMs);
      try {
        result = await v3.doGenerate(toAISDKCall({ ...request, signal: deadline.signal }));
      } catch (error) {
        throw deadline.timeoutError(error) ?? toLlmoError(error, name, request.signal);
      } finally {
        deadline.dispose();
      }
      let text = '';
      const toolCalls: ToolCall[] = [];
      for (const part of result.content) {
        if (part.type === 'text') text += part.text;
        // A provider-executed tool (web search…) already ran upstream; the caller has nothing to execute.
        else if (part.type === 'tool-call' && !part.providerExecuted)
          toolCalls.push({ id: part.toolCallId, name: part.toolName, arguments: part.input });
      }
      const usage = toProviderUsage(result.usage);
      return {
        text,
        ...(toolCalls.length > 0 ? { toolCalls } : {}),
        finishReason: toFinishReason(result.finishReason),
        ...(usage ? { usage } : {}),
        warnings: result.warnings.map(toCallWarning),
        response: {
          ...(result.response?.id !== undefined ? { id: result.response.id } : {}),
          model: result.response?.modelId ?? model.modelId,
        },
        ...(result.providerMetadata ? { providerMetadata: result.providerMetadata } : {}),
      };
    },

    stream: (request: ChatRequest) => streamParts(v3, request, name, settings.timeoutMs),

    healthCheck: async (options) => (settings.healthCheck ? settings.healthCheck(options) : true),
  };
  return redactProvider(provider, redactor);
}

async function* streamParts(
  model: LanguageModelV3,
  request: ChatRequest,
  name: string,
  timeoutMs: number | undefined,
): AsyncGenerator<StreamPart> {
  const { signal } = request;
  if (signal?.aborted) throw cancelledError(name);
  const deadline = new CallDeadline(name, signal, timeoutMs);
  let reader: ReadableStreamDefaultReader<LanguageModelV3StreamPart>;
  try {
    reader = (await model.doStream(toAISDKCall({ ...request, signal: deadline.signal }))).stream.getReader();
  } catch (error) {
    deadline.dispose();
    throw deadline.timeoutError(error) ?? toLlmoError(error, name, signal);
  }
  // The stream is open: from here the router's first-chunk and idle timeouts bound it.
  deadline.settle();
  // The AI SDK model also aborts its fetch on the signal; cancelling the reader makes sure a model that does
  // not (or a stream stuck in a transform) still ends the read at once.
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  const toolNames = new Map<string, string>();
  let started = false;
  let finished = false;
  try {
    while (!finished) {
      let step: ReadableStreamReadResult<LanguageModelV3StreamPart>;
      try {
        step = await reader.read();
      } catch (error) {
        throw toLlmoError(error, name, signal);
      }
      if (signal?.aborted) throw cancelledError(name);
      if (step.done) break;
      const part = step.value;
      if (!started) {
        started = true;
        if (part.type === 'stream-start') {
          yield { type: 'stream-start', warnings: part.warnings.map(toCallWarning) };
          continue;
        }
        yield { type: 'stream-start', warnings: [] };
      }
      switch (part.type) {
        case 'response-metadata':
          yield {
            type: 'response-metadata',
            ...(part.id !== undefined ? { id: part.id } : {}),
            ...(part.modelId !== undefined ? { model: part.modelId } : {}),
          };
          break;
        case 'text-start':
        case 'text-end':
          yield { type: part.type, id: part.id };
          break;
        case 'text-delta':
          if (part.delta) yield { type: 'text-delta', id: part.id, delta: part.delta };
          break;
        case 'tool-input-start':
          toolNames.set(part.id, part.toolName);
          break;
        case 'tool-input-delta':
          if (part.delta)
            yield {
              type: 'tool-call-delta',
              toolCallId: part.id,
              toolName: toolNames.get(part.id) ?? '',
              argumentsDelta: part.delta,
            };
          break;
        case 'tool-call':
          if (!part.providerExecuted)
            yield { type: 'tool-call', id: part.toolCallId, name: part.toolName, arguments: part.input };
          break;
        case 'error':
          // An error inside a 200 stream (the AI SDK reports it as a part, then finishes with `error`).
          throw inStreamError(part.error, name, signal);
        case 'finish': {
          finished = true;
          const usage = toProviderUsage(part.usage);
          yield {
            type: 'finish',
            finishReason: toFinishReason(part.finishReason),
            ...(usage ? { usage } : {}),
            ...(part.providerMetadata ? { providerMetadata: part.providerMetadata } : {}),
          };
          break;
        }
        // reasoning, sources, files, raw chunks, tool results and approvals: outside the llmo contract.
      }
    }
    if (!finished) {
      throw new ProviderError({
        kind: 'invalid_response',
        provider: name,
        message: `${name}: the AI SDK stream ended before its finish part`,
      });
    }
  } finally {
    deadline.dispose();
    signal?.removeEventListener('abort', onAbort);
    // Ends the upstream read when the consumer stopped early; a no-op on a finished stream.
    void reader.cancel().catch(() => {});
  }
}

/**
 * The AI SDK puts the raw error object of the wire (`{ message, type, code }`) in the part. It has no status,
 * so its code decides: a `context_length_exceeded` is the caller's to fix (not retried), an unknown one `server`.
 */
function inStreamError(error: unknown, name: string, signal: AbortSignal | undefined): ProviderError {
  if (error instanceof Error) return toLlmoError(error, name, signal);
  return aiSdkErrors.inBody(error, { provider: name, where: 'stream' });
}

function toFinishReason(reason: LanguageModelV3FinishReason | LanguageModelV2FinishReason): FinishReason {
  return typeof reason === 'string' ? reason : reason.unified;
}

/** V3 nests token counts (`inputTokens.total`), V2 has them flat; undefined when the model reported none. */
function toProviderUsage(
  usage: LanguageModelV3Usage | LanguageModelV2Usage | undefined,
): ProviderUsage | undefined {
  if (!usage) return undefined;
  const out: ProviderUsage = {};
  if (typeof usage.inputTokens === 'object' && usage.inputTokens !== null) {
    const v3 = usage as LanguageModelV3Usage;
    if (v3.inputTokens.total !== undefined) out.promptTokens = v3.inputTokens.total;
    if (v3.outputTokens.total !== undefined) out.completionTokens = v3.outputTokens.total;
    if (v3.inputTokens.cacheRead !== undefined) out.cacheReadTokens = v3.inputTokens.cacheRead;
    if (v3.inputTokens.cacheWrite !== undefined) out.cacheWriteTokens = v3.inputTokens.cacheWrite;
    if (out.promptTokens !== undefined && out.completionTokens !== undefined)
      out.totalTokens = out.promptTokens + out.completionTokens;
  } else {
    const v2 = usage as LanguageModelV2Usage;
    if (v2.inputTokens !== undefined) out.promptTokens = v2.inputTokens;
    if (v2.outputTokens !== undefined) out.completionTokens = v2.outputTokens;
    if (v2.totalTokens !== undefined) out.totalTokens = v2.totalTokens;
    if (v2.cachedInputTokens !== undefined) out.cacheReadTokens = v2.cachedInputTokens;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function toCallWarning(warning: SharedV3Warning | LanguageModelV2CallWarning): CallWarning {
  switch (warning.type) {
    case 'unsupported':
      return {
        type: 'unsupported-setting',
        setting: warning.feature,
        ...(warning.details ? { details: warning.details } : {}),
      };
    case 'unsupported-setting':
      return {
        type: 'unsupported-setting',
        setting: String(warning.setting),
        ...(warning.details ? { details: warning.details } : {}),
      };
    case 'unsupported-tool':
      return {
        type: 'other',
        message: `unsupported tool ${warning.tool.name}${warning.details ? `: ${warning.details}` : ''}`,
      };
    case 'compatibility':
      return {
        type: 'other',
        message: `${warning.feature} runs in compatibility mode${warning.details ? `: ${warning.details}` : ''}`,
      };
    default:
      return { type: 'other', message: warning.message };
  }
}
