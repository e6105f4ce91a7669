import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { fromOpenAIMessages, fromOpenAIRequest } from '../from-openai-request.js';
import type { GatewayEnv } from '../gateway-env.js';
import { GatewayHttpError } from '../gateway-http-error.js';
import { llmoHeaders, llmoSummary } from '../llmo-headers.js';
import {
  chatCompletionRequestSchema,
  chatCompletionSchema,
  modelListSchema,
  openAIErrorSchema,
} from '../openai-schemas.js';
import { AUTO_MODEL, allowedFor, restrictTo, selectProviders } from '../select-providers.js';
import { sseResponse } from '../sse-response.js';
import { OpenAIChunkMapper, toChatCompletion, toOpenAIFinishReason } from '../to-openai-response.js';

const errors = {
  400: { description: 'Invalid request', content: { 'application/json': { schema: openAIErrorSchema } } },
  401: {
    description: 'Missing or unknown API key',
    content: { 'application/json': { schema: openAIErrorSchema } },
  },
  429: {
    description: 'Rate limit (Retry-After)',
    content: { 'application/json': { schema: openAIErrorSchema } },
  },
  502: {
    description: 'Every provider failed',
    content: { 'application/json': { schema: openAIErrorSchema } },
  },
};

const chatCompletionsRoute = createRoute({
  method: 'post',
  path: '/v1/chat/completions',
  tags: ['OpenAI-compatible'],
  summary: 'Chat completion (OpenAI-compatible; `stream: true` answers server-sent events)',
  security: [{ bearer: [] }],
  request: {
    body: { required: true, content: { 'application/json': { schema: chatCompletionRequestSchema } } },
  },
  responses: {
    200: {
      description: 'The completion (or an SSE stream of chunks)',
      content: { 'application/json': { schema: chatCompletionSchema } },
    },
    ...errors,
  },
});

const modelsRoute = createRoute({
  method: 'get',
  path: '/v1/models',
  tags: ['OpenAI-compatible'],
  summary: 'The provider names and model ids a key may use, and "auto"',
  security: [{ bearer: [] }],
  responses: {
    200: { description: 'Models', content: { 'application/json': { schema: modelListSchema } } },
    401: errors[401],
  },
});

export function registerOpenAIRoutes(app: OpenAPIHono<GatewayEnv>): void {
  app.openapi(chatCompletionsRoute, async (c) => {
    const scope = c.get('scope');
    const body = c.req.valid('json');
    if (body.n != null && body.n !== 1)
      throw new GatewayHttpError({
        status: 400,
        message: 'n: only 1 is supported',
        type: 'invalid_request_error',
        code: 'invalid_value',
        kind: 'validation',
        param: 'n',
      });
    const providers = scope.router.getProviders();
    const selected = selectProviders(providers, body.model, scope.key);
    const options = {
      ...fromOpenAIRequest(body),
      ...restrictTo(providers, selected, scope.settings.preferredProvider),
    };
    const messages = fromOpenAIMessages(body.messages);
    const id = `chatcmpl-${scope.id}`;
    const created = Math.floor(Date.now() / 1000);
    if (!body.stream) {
      const result = await scope.route(messages, options);
      return c.json(toChatCompletion(result, id, created), 200, llmoHeaders(scope.id, result));
    }
    const includeUsage = body.stream_options?.include_usage === true;
    // Chunks name the model that answers, as OpenAI's do, never the alias asked for (`auto`, a provider name):
    // known up front when every provider the request may use serves one model; else from the provider's
    // `response-metadata` part when it sends one, or the provider the stream committed to (known with its
    // first part, before any chunk is written), and in the closing chunks from the result.
    const models = new Set(selected.map((p) => p.model));
    const mapper = new OpenAIChunkMapper(id, created, models.size === 1 ? [...models][0]! : body.model);
    let modelKnown = models.size === 1;
    let roleSent = false;
    const role = () => {
      if (roleSent) return [];
      roleSent = true;
      return [mapper.chunk({ role: 'assistant', content: '', refusal: null })];
    };
    return sseResponse(
      scope,
      messages,
      options,
      {
        // The role chunk waits for the first delta, so a `response-metadata` part before it sets its model.
        start: () => [],
        part: (part, committed) => {
          if (part.type === 'response-metadata' && part.model) {
            mapper.setModel(part.model);
            modelKnown = true;
          } else if (!modelKnown && committed) {
            mapper.setModel(committed.model);
            modelKnown = true;
          }
          const data = mapper.map(part);
          return data === undefined ? undefined : [...role(), data];
        },
        end: (result) => {
          mapper.setModel(result.response?.model ?? result.model);
          const opening = role();
          const last = JSON.parse(mapper.chunk({}, toOpenAIFinishReason(result.finishReason)));
          // OpenAI clients ignore unknown fields: the `x-llmo-*` headers' content, for streams.
          last.llmo = llmoSummary(result);
          const out = [...opening, JSON.stringify(last)];
          if (includeUsage) out.push(mapper.usageChunk(result.usage));
          out.push('[DONE]');
          return out;
        },
        // OpenAI's SDKs raise an APIError for an `error` object inside the stream.
        error: (error) => [JSON.stringify(error.toJSON())],
      },
      llmoHeaders(scope.id),
    ) as never;
  });

  app.openapi(modelsRoute, (c) => {
    const scope = c.get('scope');
    const seen = new Set<string>([AUTO_MODEL]);
    const data = [{ id: AUTO_MODEL, object: 'model' as const, created: 0, owned_by: 'llmo' }];
    const add = (id: string, owner: string) => {
      if (seen.has(id)) return;
      seen.add(id);
      data.push({ id, object: 'model', created: 0, owned_by: owner });
    };
    const allowed = scope.router.getProviders().filter((p) => allowedFor(scope.key, p));
    for (const p of allowed) add(p.name, p.providerType);
    for (const p of allowed) add(p.model, p.providerType);
    return c.json({ object: 'list' as const, data }, 200);
  });
}
