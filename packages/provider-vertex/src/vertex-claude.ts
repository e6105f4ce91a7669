import { type ChatRequest, ProviderError, readJsonResponse } from '@llmo/core/provider';
import {
  anthropicChatMethods,
  anthropicPricing,
  buildAnthropicRequest,
  toAnthropicPrompt,
  tokenCountSchema,
  withCachePrices,
} from '@llmo/provider-anthropic/protocol';
import { vertexClaudeErrors } from './vertex-errors.js';
import type { VertexCallContext, VertexFamilyParts } from './vertex-provider.js';

/** The `anthropic_version` Claude on Vertex takes, in the body (the Anthropic vertex-sdk's `DEFAULT_VERSION`). */
export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';

/** The error with the request id its body carried, when the headers gave none. */
function withRequestId(error: unknown, requestId: string | undefined): unknown {
  if (!requestId || !ProviderError.isInstance(error) || error.requestId) return error;
  return new ProviderError({
    kind: error.kind,
    message: error.message,
    provider: error.provider,
    status: error.status,
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs,
    requestId,
    code: error.code,
    cause: error.cause,
  });
}

/** `claude-sonnet-4-5@20250929` → `claude-sonnet-4-5-20250929`: the Anthropic API's id, for prices and limits. */
export const anthropicModelId = (model: string) =>
  model.replace(/^publishers\/anthropic\/(models\/)?/, '').replace('@', '-');

/**
 * Claude on Vertex (pitfall 2): the Messages API body of `@llmo/provider-anthropic/protocol` without `model`
 * (it is in the URL) and with `"anthropic_version": "vertex-2023-10-16"` in the body; no `x-api-key` and no
 * `anthropic-version` header. `rawPredict` answers a message, `streamRawPredict` the same SSE as the API, and
 * a streaming body says `"stream": true` too (pitfall 11).
 */
export function claudeParts(context: VertexCallContext): VertexFamilyParts {
  const { name, model, settings } = context;
  const given = settings.pricing ?? anthropicPricing(anthropicModelId(model));
  const pricing = given ? withCachePrices(given) : undefined;
  const requestOptions = {
    provider: name,
    model: anthropicModelId(model),
    defaultMaxTokens: settings.defaultMaxTokens,
  };
  const classify = vertexClaudeErrors.classify;
  const headers = (request?: ChatRequest) => ({
    'anthropic-beta': settings.betas?.length ? settings.betas.join(',') : undefined,
    ...request?.headers,
  });

  const post = async (request: ChatRequest, stream: boolean) => {
    const { body, warnings } = buildAnthropicRequest(request, requestOptions, stream);
    delete body.model;
    // Vertex puts the Anthropic layer's request id (`req_vrtx_…`) in the error body, not in a header.
    let bodyRequestId: string | undefined;
    try {
      const response = await context.call({
        path: `${await context.modelPath()}:${stream ? 'streamRawPredict' : 'rawPredict'}`,
        body: { anthropic_version: VERTEX_ANTHROPIC_VERSION, ...body },
        signal: request.signal,
        headers: { ...headers(request), ...(stream ? { accept: 'text/event-stream' } : {}) },
        classify: (info) => {
          bodyRequestId = vertexClaudeErrors.details(info.body).requestId;
          return classify(info);
        },
      });
      return { response, warnings, requestId: response.headers.get('request-id') ?? undefined };
    } catch (error) {
      throw withRequestId(error, bodyRequestId);
    }
  };

  const countTokens = async (request: ChatRequest, signal = request.signal, timeoutMs?: number) => {
    const { body } = buildAnthropicRequest(request, requestOptions, false);
    const { system, messages } = toAnthropicPrompt(request.messages, name);
    // `count-tokens` is a model of its own on Vertex: the counted model goes in the body (Anthropic vertex-sdk).
    const path = (await context.modelPath()).replace(/\/models\/[^/]+$/, '/models/count-tokens:rawPredict');
    const response = await context.call({
      path,
      body: {
        anthropic_version: VERTEX_ANTHROPIC_VERSION,
        model: model.replace(/^publishers\/anthropic\/(models\/)?/, ''),
        system,
        messages,
        tools: body.tools,
        tool_choice: body.tool_choice,
      },
      signal,
      timeoutMs,
      headers: headers(request),
      classify,
    });
    // Typed here: the schema's declaration names zod, which this package does not resolve.
    const json = await readJsonResponse<{ input_tokens: number }>(response, tokenCountSchema, {
      provider: name,
      what: 'token count',
      signal,
    });
    return json.input_tokens;
  };

  return {
    pricing,
    classify,
    capabilities: { streaming: true, tools: true, jsonSchema: false },
    // Vertex sends no Anthropic rate-limit headers: no `rateLimits`.
    ...anthropicChatMethods({ provider: name, pricing, post }),
    countTokens,
  };
}
