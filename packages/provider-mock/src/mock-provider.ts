import {
  type CallWarning,
  type ChatRequest,
  checkCallSettings,
  createRandom,
  type GenerateResult,
  type ModelPricing,
  type ProviderCapabilities,
  ProviderError,
  type ProviderV1,
  type StreamPart,
  sleep,
  validateProviderSettings,
} from '@llmo/core/provider';
import { errorFor, modeOf } from './mock-modes.js';
import { mockSettingsSchema } from './mock-settings.js';

export interface MockProviderSettings {
  /** Unique provider name within a router. */
  name: string;
  /** Chooses the mode: `mock-normal` (default), `mock-timeout`, `mock-ratelimit`, `mock-auth-error`,
   * `mock-invalid-request`, `mock-server-error`, `mock-flaky`, `mock-stream-break`; a name containing
   * `unhealthy` makes the health check fail. */
  model?: string;
  /** Delay before answering (and before failing). Default 100 ms, the seed's. */
  latencyMs?: number;
  /** Delay between streamed words. Default 10 ms. */
  chunkDelayMs?: number;
  /** Seeds `mock-flaky`'s failures. Default 42. */
  seed?: number;
  /** Probability that a `mock-flaky` call fails. Default 0.5. */
  failureRate?: number;
  /** Words `mock-stream-break` streams before failing. Default 3. */
  breakAfterChunks?: number;
  /** Retry-After that `mock-ratelimit` reports. Default 1000 ms. */
  retryAfterMs?: number;
  /** The answer; default `Mock response to: <last user message>`. */
  response?: string | ((request: ChatRequest) => string);
  /** Report token usage (default) or, with false, leave it to the router to estimate. */
  reportUsage?: boolean;
  pricing?: ModelPricing;
  capabilities?: ProviderCapabilities;
}

const countWords = (text: string) => (text.trim() === '' ? 0 : text.trim().split(/\s+/).length);

function cancelled(provider: string, signal: AbortSignal): ProviderError {
  return new ProviderError({
    kind: 'cancelled',
    provider,
    message: 'The request was aborted by the caller',
    cause: signal.reason,
  });
}

/**
 * A provider that needs no network or keys: answers `Mock response to: <prompt>`, streams it word by word,
 * reports usage (words as tokens), and fails on demand by model name. Deterministic given its seed.
 *
 * @example
 * router.addProvider(createMockProvider({ name: 'a', model: 'mock-normal' }));
 * router.addProvider(createMockProvider({ name: 'b', model: 'mock-flaky', failureRate: 0.3, seed: 7 }));
 */
export function createMockProvider(settings: MockProviderSettings): ProviderV1 {
  validateProviderSettings(settings, 'createMockProvider', mockSettingsSchema);
  const model = settings.model ?? 'mock-normal';
  const mode = modeOf(model);
  const name = settings.name;
  const latencyMs = settings.latencyMs ?? 100;
  const chunkDelayMs = settings.chunkDelayMs ?? 10;
  const random = createRandom(settings.seed ?? 42);
  const failureRate = settings.failureRate ?? 0.5;
  const breakAfter = settings.breakAfterChunks ?? 3;

  const answer = (request: ChatRequest): string => {
    if (typeof settings.response === 'function') return settings.response(request);
    if (typeof settings.response === 'string') return settings.response;
    const lastUser = [...request.messages].reverse().find((m) => m.role === 'user');
    const text = `Mock response to: ${lastUser?.content ?? ''}`;
    // The seed read maxTokens as a character limit; kept so limits are visible in demos.
    return request.maxTokens ? text.slice(0, request.maxTokens) : text;
  };

  const warningsFor = (request: ChatRequest): CallWarning[] => {
    const warnings: CallWarning[] = [];
    if (request.tools?.length) warnings.push({ type: 'unsupported-setting', setting: 'tools' });
    if (request.responseFormat && request.responseFormat.type !== 'text') {
      warnings.push({ type: 'unsupported-setting', setting: 'responseFormat' });
    }
    return warnings;
  };

  const usageFor = (request: ChatRequest, text: string) =>
    settings.reportUsage === false
      ? undefined
      : {
          promptTokens: request.messages.reduce((sum, m) => sum + countWords(m.content), 0),
          completionTokens: countWords(text),
          totalTokens: request.messages.reduce((sum, m) => sum + countWords(m.content), 0) + countWords(text),
        };

  const begin = async (request: ChatRequest): Promise<void> => {
    const signal = request.signal;
    if (signal?.aborted) throw cancelled(name, signal);
    // The contract's ranges (temperature ≥ 0, topP 0..1, maxTokens a positive integer, toolChoice naming a tool).
    checkCallSettings(request, { provider: name });
    if (latencyMs > 0) await sleep(latencyMs, signal).catch(() => Promise.reject(cancelled(name, signal!)));
    const failing = mode === 'flaky' ? random() < failureRate : mode !== 'normal' && mode !== 'stream-break';
    const error = failing ? errorFor(mode, name, settings.retryAfterMs ?? 1000) : undefined;
    if (error) throw error;
  };

  return {
    specificationVersion: 'v1',
    name,
    model,
    providerType: 'mock',
    pricing: settings.pricing,
    capabilities: { streaming: true, tools: false, jsonSchema: false, ...settings.capabilities },

    async generate(request: ChatRequest): Promise<GenerateResult> {
      await begin(request);
      const text = answer(request);
      return { text, finishReason: 'stop', usage: usageFor(request, text), warnings: warningsFor(request) };
    },

    async *stream(request: ChatRequest): AsyncGenerator<StreamPart> {
      await begin(request);
      const signal = request.signal;
      const text = answer(request);
      const words = text.split(/(?<=\s)/).filter((w) => w.length > 0);
      yield { type: 'stream-start', warnings: warningsFor(request) };
      yield { type: 'text-start', id: '0' };
      for (let i = 0; i < words.length; i++) {
        if (mode === 'stream-break' && i === breakAfter) {
          throw new ProviderError({
            kind: 'network',
            provider: name,
            message: `${name}: mock stream broke after ${breakAfter} chunks`,
          });
        }
        if (i > 0 && chunkDelayMs > 0)
          await sleep(chunkDelayMs, signal).catch(() => Promise.reject(cancelled(name, signal!)));
        if (signal?.aborted) throw cancelled(name, signal);
        yield { type: 'text-delta', id: '0', delta: words[i]! };
      }
      yield { type: 'text-end', id: '0' };
      yield { type: 'finish', finishReason: 'stop', usage: usageFor(request, text) };
    },

    async healthCheck(): Promise<boolean> {
      return !model.toLowerCase().includes('unhealthy');
    },

    async listModels() {
      return [{ id: model, ownedBy: 'llmo-mock' }];
    },
  };
}
