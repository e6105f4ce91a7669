import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import {
  type ChatMessage,
  type ProviderV1,
  RouteFailedError,
  type RouteOptions,
  type RouteResult,
} from '@llmo/core';
import type { GatewayEnv } from '../gateway-env.js';
import { GatewayHttpError } from '../gateway-http-error.js';
import { llmoHeaders, llmoSummary } from '../llmo-headers.js';
import { openAIErrorSchema } from '../openai-schemas.js';
import type { RequestScope } from '../request-scope.js';
import {
  chatRequestSchema,
  chatResponseSchema,
  fallbackResponseSchema,
  parallelRequestSchema,
  parallelResponseSchema,
  statsSchema,
} from '../seed-schemas.js';
import { restrictTo, selectProviders } from '../select-providers.js';
import { sseResponse } from '../sse-response.js';
import { toHttpError } from '../to-http-error.js';

type ChatBody = {
  message: string;
  model?: string;
  system?: string;
  temperature?: number;
  max_tokens?: number;
};

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: openAIErrorSchema } },
});
const jsonBody = <T>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });

function promptOf(body: ChatBody): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (body.system) messages.push({ role: 'system', content: body.system });
  messages.push({ role: 'user', content: body.message });
  return messages;
}

function generation(body: ChatBody): RouteOptions {
  const options: RouteOptions = {};
  if (body.temperature !== undefined) options.temperature = body.temperature;
  if (body.max_tokens !== undefined) options.maxTokens = body.max_tokens;
  return options;
}

function routeOptionsFor(scope: RequestScope, body: ChatBody): RouteOptions {
  const providers = scope.router.getProviders();
  const selected = selectProviders(providers, body.model, scope.key);
  return { ...generation(body), ...restrictTo(providers, selected, scope.settings.preferredProvider) };
}

const usageOf = (r: RouteResult) => ({
  prompt_tokens: r.usage.promptTokens,
  completion_tokens: r.usage.completionTokens,
  total_tokens: r.usage.totalTokens,
});

export function registerSeedRoutes(app: OpenAPIHono<GatewayEnv>): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/chat',
      tags: ['Chat'],
      summary: 'One answer from the router (fallback and retries included)',
      security: [{ bearer: [] }],
      request: { body: jsonBody(chatRequestSchema) },
      responses: {
        200: { description: 'The answer', content: { 'application/json': { schema: chatResponseSchema } } },
        400: error('Invalid request'),
        502: error('Every provider failed'),
      },
    }),
    async (c) => {
      const scope = c.get('scope');
      const body = c.req.valid('json');
      const result = await scope.route(promptOf(body), routeOptionsFor(scope, body));
      return c.json(
        {
          request_id: scope.id,
          response: result.text,
          provider: result.provider,
          model: result.model,
          latency_ms: Math.round(result.latencyMs * 100) / 100,
          usage: usageOf(result),
          cost: result.cost,
          attempts: result.attempts.length,
        },
        200,
        llmoHeaders(scope.id, result),
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/chat/stream',
      tags: ['Chat'],
      summary: 'The answer as server-sent events: `{"delta"}` events, a summary, then `[DONE]`',
      security: [{ bearer: [] }],
      request: { body: jsonBody(chatRequestSchema) },
      responses: {
        200: {
          description: 'text/event-stream',
          content: { 'text/event-stream': { schema: { type: 'string' } } },
        },
        400: error('Invalid request'),
        502: error('Every provider failed before the first chunk'),
      },
    }),
    async (c) => {
      const scope = c.get('scope');
      const body = c.req.valid('json');
      return sseResponse(
        scope,
        promptOf(body),
        routeOptionsFor(scope, body),
        {
          start: () => [],
          part: (part) => (part.type === 'text-delta' ? JSON.stringify({ delta: part.delta }) : undefined),
          end: (result) => [
            JSON.stringify({ done: true, ...llmoSummary(result), usage: usageOf(result) }),
            '[DONE]',
          ],
          error: (e) => [JSON.stringify(e.toJSON()), '[DONE]'],
        },
        llmoHeaders(scope.id),
      ) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/chat/fallback',
      tags: ['Chat'],
      summary: 'Like /chat, but when every provider fails it answers the configured default message',
      security: [{ bearer: [] }],
      request: { body: jsonBody(chatRequestSchema) },
      responses: {
        200: {
          description: 'The answer or the default message',
          content: { 'application/json': { schema: fallbackResponseSchema } },
        },
        400: error('Invalid request'),
      },
    }),
    async (c) => {
      const scope = c.get('scope');
      const body = c.req.valid('json');
      const options = routeOptionsFor(scope, body);
      const attemptsOf = (attempts: RouteResult['attempts']) =>
        attempts.map((a) => ({
          provider: a.provider,
          outcome: a.outcome,
          ...(a.errorKind ? { error_kind: a.errorKind } : {}),
          latency_ms: Math.round(a.latencyMs * 100) / 100,
        }));
      try {
        const result = await scope.route(promptOf(body), options);
        return c.json(
          {
            request_id: scope.id,
            response: result.text,
            provider_used: result.provider,
            model: result.model,
            // A fallback is an answer from another provider than the first one tried (a skipped, circuit-open
            // provider included); retries on the same provider are not.
            fallback_triggered:
              result.attempts.length > 0 && result.attempts[0]?.provider !== result.provider,
            is_default_message: false,
            attempts: attemptsOf(result.attempts),
            latency_ms: Math.round(result.latencyMs * 100) / 100,
          },
          200,
          llmoHeaders(scope.id, result),
        );
      } catch (e) {
        // Only provider failures turn into the default message; a bad request or a gone client stays an error.
        if (!RouteFailedError.isInstance(e) || (e.reason !== 'all-failed' && e.reason !== 'deadline'))
          throw e;
        return c.json(
          {
            request_id: scope.id,
            response: scope.settings.defaultMessage,
            provider_used: null,
            model: null,
            fallback_triggered: true,
            is_default_message: true,
            attempts: attemptsOf(e.attempts),
            latency_ms: scope.elapsedMs(),
          },
          200,
          llmoHeaders(scope.id),
        );
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/chat/parallel',
      tags: ['Chat'],
      summary:
        'The same prompt to several providers at once: the fastest success wins, the others are cancelled',
      security: [{ bearer: [] }],
      request: { body: jsonBody(parallelRequestSchema) },
      responses: {
        200: {
          description: 'The winner and every contender',
          content: { 'application/json': { schema: parallelResponseSchema } },
        },
        400: error('Invalid request'),
        502: error('Every contender failed'),
      },
    }),
    async (c) => {
      const scope = c.get('scope');
      const body = c.req.valid('json');
      const all = scope.router.getProviders();
      const contenders = new Map<string, ProviderV1>();
      for (const model of body.models ?? ['auto']) {
        for (const p of selectProviders(all, model, scope.key)) contenders.set(p.name, p);
      }
      const race = await runRace(scope, promptOf(body), generation(body), [...contenders.values()], all);
      return c.json(race.body, 200, llmoHeaders(scope.id, race.winner));
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/stats',
      tags: ['Operations'],
      summary: 'Requests, average latency, cost per currency and error rate since start',
      security: [{ bearer: [] }],
      responses: { 200: { description: 'Stats', content: { 'application/json': { schema: statsSchema } } } },
    }),
    (c) => c.json(c.get('scope').stats(), 200),
  );
}

interface Leg {
  provider: ProviderV1;
  controller: AbortController;
  started: number;
  latencyMs?: number;
  status?: 'won' | 'cancelled' | 'failed';
  errorKind?: string;
}

/**
 * One routed call per contender, each held to its own provider (no fallback inside a leg), all at once.
 * The first success aborts the others, whose upstream requests are cancelled through their signals; the
 * router still records each cancelled attempt's usage. Waits for every leg to settle (they settle promptly
 * once aborted), so the answer can say how each one ended.
 */
async function runRace(
  scope: RequestScope,
  prompt: ChatMessage[],
  generationOptions: RouteOptions,
  contenders: ProviderV1[],
  all: readonly ProviderV1[],
) {
  const started = performance.now();
  scope.holdPrompt(prompt);
  let winner: RouteResult | undefined;
  const legs: Leg[] = contenders.map((provider) => ({
    provider,
    controller: new AbortController(),
    started: performance.now(),
  }));
  await Promise.all(
    legs.map(async (leg) => {
      const options = scope.routeOptions(
        { ...generationOptions, ...restrictTo(all, [leg.provider], leg.provider.name) },
        AbortSignal.any([scope.signal, leg.controller.signal]),
      );
      try {
        const result = await scope.router.route(prompt, options);
        leg.latencyMs = performance.now() - leg.started;
        if (winner === undefined) {
          winner = result;
          leg.status = 'won';
          for (const other of legs) if (other !== leg) other.controller.abort();
        } else {
          leg.status = 'cancelled'; // finished after the winner, before its abort landed
        }
      } catch (e) {
        leg.latencyMs = performance.now() - leg.started;
        if (leg.controller.signal.aborted) {
          leg.status = 'cancelled';
        } else {
          leg.status = 'failed';
          leg.errorKind = toHttpError(e).kind;
        }
      }
    }),
  );
  const results = legs.map((l) => ({
    provider: l.provider.name,
    status: l.status ?? 'failed',
    latency_ms: Math.round((l.latencyMs ?? 0) * 100) / 100,
    ...(l.errorKind ? { error_kind: l.errorKind } : {}),
  }));
  if (!winner) {
    const failure = new GatewayHttpError({
      status: scope.signal.aborted ? 499 : 502,
      message: `Every contender failed: ${results.map((r) => `${r.provider} (${r.error_kind ?? r.status})`).join(', ')}`,
      type: 'api_error',
      code: 'all_failed',
      kind: 'all_failed',
    });
    scope.failed(failure, false);
    throw failure;
  }
  scope.succeeded(winner, false);
  const w: RouteResult = winner;
  return {
    winner: w,
    body: {
      request_id: scope.id,
      response: w.text,
      winner: {
        provider: w.provider,
        model: w.model,
        latency_ms: results.find((r) => r.status === 'won')?.latency_ms ?? 0,
      },
      results,
      latency_ms: Math.round((performance.now() - started) * 100) / 100,
      usage: usageOf(w),
      cost: w.cost,
    },
  };
}
