import { type ChatRequest, readJsonResponse } from '@llmo/core/provider';
import {
  asGeminiPricing,
  buildGeminiRequest,
  countTokensSchema,
  GeminiToolCallMemory,
  geminiChatMethods,
  geminiContextWindow,
  geminiPricing,
} from '@llmo/provider-gemini/protocol';
import { vertexGeminiErrors } from './vertex-errors.js';
import type { VertexCallContext, VertexFamilyParts } from './vertex-provider.js';

/** The model id without a `publishers/google/models/` prefix (prices and windows are keyed by it). */
const bareId = (model: string) => model.replace(/^publishers\/google\/(models\/)?/, '');

/**
 * Gemini on Vertex: the Gemini API's GenerateContent JSON (`@llmo/provider-gemini/protocol`) on
 * `…/publishers/google/models/{id}:generateContent` and `:streamGenerateContent?alt=sse`. Every content carries
 * a `role` (pitfall 7: the shared mapping always writes one); the CRLF-framed SSE and usage counts only on the
 * last chunk (pitfall 9) are read by the shared stream mapping.
 */
export function geminiParts(context: VertexCallContext): VertexFamilyParts {
  const { name, model, settings } = context;
  const pricing = settings.pricing ? asGeminiPricing(settings.pricing) : geminiPricing(bareId(model));
  const memory = new GeminiToolCallMemory();
  const requestOptions = { provider: name, model, memory, safetySettings: settings.safetySettings };
  const classify = vertexGeminiErrors.classify;

  const post = async (request: ChatRequest, stream: boolean) => {
    const { body, warnings } = buildGeminiRequest(request, requestOptions);
    const path = `${await context.modelPath()}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`;
    const response = await context.call({
      path,
      body,
      signal: request.signal,
      headers: { ...request.headers, ...(stream ? { accept: 'text/event-stream' } : {}) },
      classify,
    });
    return { response, warnings, requestId: response.headers.get('x-goog-request-id') ?? undefined };
  };

  const countTokens = async (request: ChatRequest, signal = request.signal, timeoutMs?: number) => {
    const { body } = buildGeminiRequest(request, requestOptions);
    // Vertex's CountTokensRequest takes the prompt fields at the top level (no generateContentRequest).
    const response = await context.call({
      path: `${await context.modelPath()}:countTokens`,
      body: { contents: body.contents, systemInstruction: body.systemInstruction, tools: body.tools },
      signal,
      timeoutMs,
      headers: request.headers,
      classify,
    });
    // Typed here: the schema's declaration names zod, which this package does not resolve.
    const json = await readJsonResponse<{ totalTokens?: number | null }>(response, countTokensSchema, {
      provider: name,
      what: 'token count',
      signal,
    });
    return json.totalTokens ?? 0;
  };

  return {
    pricing,
    classify,
    capabilities: {
      streaming: true,
      tools: true,
      jsonSchema: true,
      contextWindow: geminiContextWindow(bareId(model)),
    },
    ...geminiChatMethods({ provider: name, pricing, memory, post }),
    countTokens,
  };
}
