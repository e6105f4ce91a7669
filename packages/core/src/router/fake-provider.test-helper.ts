import type { ErrorKind } from '../errors/error-kind.js';
import { ProviderError } from '../errors/provider-error.js';
import type { ChatRequest } from '../spec/chat-request.js';
import type { ModelPricing } from '../spec/model-pricing.js';
import type { GenerateResult, ProviderCapabilities, ProviderV1 } from '../spec/provider-v1.js';
import type { StreamPart } from '../spec/stream-part.js';
import type { ProviderUsage } from '../spec/token-usage.js';
import { sleep } from './sleep.js';

/** What one call of a fake provider does. */
export interface Step {
  text?: string;
  /** Reported usage; `null` reports none. Default: 10 prompt + 5 completion tokens. */
  usage?: ProviderUsage | null;
  error?: ProviderError | Error;
  delayMs?: number;
  /** Never settle and ignore the signal (a provider that hangs). */
  hang?: boolean;
  /** For streams: fail after this many chunks with `error`. */
  failAfterChunks?: number;
}

export function fail(
  kind: ErrorKind,
  extra: Partial<ConstructorParameters<typeof ProviderError>[0]> = {},
): ProviderError {
  return new ProviderError({ kind, message: `fake ${kind}`, ...extra });
}

export interface FakeProvider extends ProviderV1 {
  calls: ChatRequest[];
  streamsClosed: number;
  healthChecks: number;
}

export function fakeProvider(
  name: string,
  steps: Step[] | ((call: number) => Step) = [],
  extra: {
    model?: string;
    providerType?: string;
    pricing?: ModelPricing;
    capabilities?: ProviderCapabilities;
    healthy?: boolean;
  } = {},
): FakeProvider {
  const stepFor = (call: number): Step =>
    typeof steps === 'function' ? steps(call) : (steps[Math.min(call, steps.length - 1)] ?? {});
  const abortable = async (request: ChatRequest, ms: number) => {
    await sleep(ms, request.signal).catch(() => {
      throw fail('cancelled');
    });
  };
  const provider: FakeProvider = {
    specificationVersion: 'v1',
    name,
    model: extra.model ?? `${name}-model`,
    providerType: extra.providerType ?? 'fake',
    pricing: extra.pricing ?? { inputPer1K: 0, outputPer1K: 0, currency: 'USD' },
    capabilities: extra.capabilities,
    calls: [],
    streamsClosed: 0,
    healthChecks: 0,
    async generate(request): Promise<GenerateResult> {
      const step = stepFor(provider.calls.length);
      provider.calls.push(request);
      if (step.hang) return new Promise(() => {});
      if (step.delayMs) await abortable(request, step.delayMs);
      if (step.error) throw step.error;
      const text = step.text ?? `answer from ${name}`;
      return {
        text,
        finishReason: 'stop',
        usage:
          step.usage === null
            ? undefined
            : (step.usage ?? { promptTokens: 10, completionTokens: 5, totalTokens: 15 }),
      };
    },
    async *stream(request): AsyncGenerator<StreamPart> {
      const step = stepFor(provider.calls.length);
      provider.calls.push(request);
      try {
        if (step.hang) await new Promise(() => {});
        if (step.delayMs) await abortable(request, step.delayMs);
        if (step.error && step.failAfterChunks === undefined) throw step.error;
        yield { type: 'stream-start', warnings: [] };
        yield { type: 'text-start', id: '0' };
        const words = (step.text ?? `answer from ${name}`).split(/(?<= )/);
        for (let i = 0; i < words.length; i++) {
          if (step.failAfterChunks === i) throw step.error ?? fail('network');
          yield { type: 'text-delta', id: '0', delta: words[i]! };
        }
        yield { type: 'text-end', id: '0' };
        yield {
          type: 'finish',
          finishReason: 'stop',
          usage:
            step.usage === null
              ? undefined
              : (step.usage ?? { promptTokens: 10, completionTokens: 5, totalTokens: 15 }),
        };
      } finally {
        provider.streamsClosed++;
      }
    },
    async healthCheck() {
      provider.healthChecks++;
      return extra.healthy ?? true;
    },
  };
  return provider;
}

/** Router options that keep tests fast and quiet: tiny backoff, warnings off. */
export const fastRetry = {
  maxRetries: 2,
  initialDelayMs: 1,
  maxDelayMs: 2,
  factor: 2,
  maxRetryAfterMs: 30_000,
  maxPasses: 3,
};
