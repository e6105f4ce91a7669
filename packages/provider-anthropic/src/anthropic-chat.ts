import {
  type CallWarning,
  type ChatRequest,
  type GenerateResult,
  partStream,
  type StreamPart,
} from '@llmo/core/provider';
import type { AnthropicModelPricing } from './anthropic-pricing.js';
import { readAnthropicResult } from './anthropic-response.js';
import { anthropicStreamInit } from './anthropic-stream.js';

/** What posting a Messages body gave: the 2xx response, the body's warnings, the request id. */
export interface AnthropicPosted {
  response: Response;
  warnings: CallWarning[];
  requestId?: string;
}

export interface AnthropicChatOptions {
  provider: string;
  pricing?: AnthropicModelPricing;
  /** Builds and posts the body (streaming when `stream`). */
  post: (request: ChatRequest, stream: boolean) => Promise<AnthropicPosted>;
  /** Rate-limit headers for `providerMetadata` (the Anthropic API sends them; Vertex does not). */
  rateLimits?: (response: Response) => Record<string, number | string> | undefined;
}

/**
 * The contract's `generate` and `stream` for any endpoint that answers Messages API JSON and SSE (the Anthropic
 * API, Claude on Vertex AI): the endpoint only says how to post; reading and mapping the answer is shared.
 */
export function anthropicChatMethods(options: AnthropicChatOptions): {
  generate: (request: ChatRequest) => Promise<GenerateResult>;
  stream: (request: ChatRequest) => AsyncIterable<StreamPart>;
} {
  const { provider, pricing, post } = options;
  const context = (request: ChatRequest, requestId: string | undefined, response: Response) => ({
    provider,
    signal: request.signal,
    requestId,
    pricing,
    rateLimits: options.rateLimits?.(response),
  });
  return {
    async generate(request) {
      const { response, warnings, requestId } = await post(request, false);
      return readAnthropicResult(response, { ...context(request, requestId, response), warnings });
    },
    stream(request) {
      return partStream(async () => {
        const { response, warnings, requestId } = await post(request, true);
        return anthropicStreamInit(response, warnings, context(request, requestId, response));
      });
    },
  };
}
