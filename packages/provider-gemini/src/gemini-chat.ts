import type { CallWarning, ChatRequest, GenerateResult, StreamPart } from '@llmo/core/provider';
import { readGeminiGenerateResult } from './gemini-generate.js';
import type { GeminiToolCallMemory } from './gemini-messages.js';
import type { GeminiModelPricing } from './gemini-pricing.js';
import { geminiResponseStream } from './gemini-stream.js';

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
  stream: (request: ChatRequest) => AsyncGenerator<StreamPart>;
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
    async *stream(request) {
      const { response, warnings, requestId } = await post(request, true);
      yield* geminiResponseStream(response, warnings, context(request, requestId));
    },
  };
}
