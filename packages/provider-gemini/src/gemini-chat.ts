import {
  type CallWarning,
  type ChatRequest,
  type GenerateResult,
  partStream,
  type StreamPart,
} from '@llmo/core/provider';
import { readGeminiGenerateResult } from './gemini-generate.js';
import type { GeminiToolCallMemory } from './gemini-messages.js';
import type { GeminiModelPricing } from './gemini-pricing.js';
import { geminiStreamInit } from './gemini-stream.js';

/** What posting a GenerateContent body gave: the 2xx response, the body's warnings, the request id. */
export interface GeminiPosted {
  response: Response;
  warnings: CallWarning[];
  requestId?: string;
}

export interface GeminiChatOptions {
  provider: string;
  pricing?: GeminiModelPricing;
  /** Thought signatures and wire ids of the calls received (the same memory the request body reads). */
  memory?: GeminiToolCallMemory;
  /** Builds and posts the body: `generateContent`, or `streamGenerateContent?alt=sse` when `stream`. */
  post: (request: ChatRequest, stream: boolean) => Promise<GeminiPosted>;
}

/**
 * The contract's `generate` and `stream` for any endpoint that answers GenerateContent JSON (the Gemini API,
 * Vertex AI): the endpoint only says how to post; reading and mapping the answer is shared.
 */
export function geminiChatMethods(options: GeminiChatOptions): {
  generate: (request: ChatRequest) => Promise<GenerateResult>;
  stream: (request: ChatRequest) => AsyncIterable<StreamPart>;
} {
  const { provider, pricing, memory, post } = options;
  let responses = 0;
  const fallbackIdPrefix = () => `gemini-call-${++responses}`;
  const context = (request: ChatRequest, requestId: string | undefined) => ({
    provider,
    signal: request.signal,
    requestId,
    pricing,
    memory,
    fallbackIdPrefix,
  });
  return {
    async generate(request) {
      const { response, warnings, requestId } = await post(request, false);
      return readGeminiGenerateResult(response, { ...context(request, requestId), warnings });
    },
    stream(request) {
      return partStream(async () => {
        const { response, warnings, requestId } = await post(request, true);
        return geminiStreamInit(response, warnings, context(request, requestId));
      });
    },
  };
}
