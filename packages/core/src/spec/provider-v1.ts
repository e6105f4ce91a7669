import type { CallWarning } from './call-warning.js';
import type { ToolCall } from './chat-message.js';
import type { ChatRequest } from './chat-request.js';
import type { FinishReason } from './finish-reason.js';
import type { ModelPricing } from './model-pricing.js';
import type { StreamPart } from './stream-part.js';
import type { ProviderUsage } from './token-usage.js';

export interface GenerateResult {
  text: string;
  toolCalls?: ToolCall[];
  finishReason: FinishReason;
  /** What the provider reported; leave undefined when it reported nothing (the router then estimates). */
  usage?: ProviderUsage;
  warnings?: CallWarning[];
  response?: { id?: string; model?: string; requestId?: string };
  providerMetadata?: Record<string, unknown>;
}

export interface ModelInfo {
  id: string;
  ownedBy?: string;
  [key: string]: unknown;
}

export interface ProviderCapabilities {
  streaming?: boolean;
  tools?: boolean;
  jsonSchema?: boolean;
  /** Context window in tokens; lets the router move past `context_length` errors only to larger models. */
  contextWindow?: number;
}

/**
 * Version 1 of the provider contract. A provider is one configured endpoint + model with a unique `name`.
 *
 * Implementations must not read credentials or the environment when constructed; read them per request.
 * A setting the provider cannot honour becomes a `CallWarning`, never an exception.
 * Failures are thrown as `ProviderError` (see `@llmo/core/provider`), with `kind` and `retryable` set.
 *
 * @example
 * const provider: ProviderV1 = createMockProvider({ name: 'a', model: 'mock-normal' });
 */
export interface ProviderV1 {
  readonly specificationVersion: 'v1';
  /** Unique within a router, e.g. `gigachat-pro`. */
  readonly name: string;
  /** The model this provider calls, e.g. `GigaChat-Pro`. */
  readonly model: string;
  /** The provider family, used as the price-table key: `openai`, `gigachat`, `mock`… */
  readonly providerType: string;
  /** Prices for `model`; a router's own price table overrides it. */
  readonly pricing?: ModelPricing;
  readonly capabilities?: ProviderCapabilities;

  /** One non-streaming call. */
  generate(request: ChatRequest): Promise<GenerateResult>;
  /** One streaming call; see `StreamPart` for the order of parts. */
  stream(request: ChatRequest): AsyncIterable<StreamPart>;
  /** A cheap liveness probe. Must not spend money; resolves false rather than throwing. */
  healthCheck(options?: { signal?: AbortSignal }): Promise<boolean>;
  /** Models the endpoint offers, when it can list them. */
  listModels?(options?: { signal?: AbortSignal }): Promise<ModelInfo[]>;
}
