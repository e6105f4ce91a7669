import { z } from '@hono/zod-openapi';

// The seed service's endpoints, with strict bodies: a misspelt field is a 400 with "did you mean".

const generation = {
  system: z.string().optional().openapi({ description: 'A system message sent before the user message.' }),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.number().int().positive().optional(),
};

export const chatRequestSchema = z
  .strictObject({
    message: z.string().min(1).openapi({ example: 'What is Python?' }),
    model: z
      .string()
      .min(1)
      .optional()
      .openapi({ description: 'A provider name or a model id; omitted or "auto": the router chooses.' }),
    ...generation,
  })
  .openapi('ChatRequest');

export const parallelRequestSchema = z
  .strictObject({
    message: z.string().min(1).openapi({ example: 'What is Python?' }),
    models: z.array(z.string().min(1)).min(1).max(16).optional().openapi({
      description: 'Provider names or model ids to race; omitted: every provider the key may use.',
    }),
    ...generation,
  })
  .openapi('ParallelRequest');

const usage = z.object({
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  total_tokens: z.number(),
});
const cost = z.object({ amount: z.number(), currency: z.string(), known: z.boolean() });

export const chatResponseSchema = z
  .object({
    request_id: z.string(),
    response: z.string(),
    provider: z.string(),
    model: z.string(),
    latency_ms: z.number(),
    usage,
    cost,
    attempts: z.number(),
  })
  .openapi('ChatResponse');

export const fallbackResponseSchema = z
  .object({
    request_id: z.string(),
    response: z.string(),
    provider_used: z.string().nullable(),
    model: z.string().nullable(),
    fallback_triggered: z.boolean(),
    is_default_message: z.boolean(),
    attempts: z.array(
      z.object({
        provider: z.string(),
        outcome: z.string(),
        error_kind: z.string().optional(),
        latency_ms: z.number(),
      }),
    ),
    latency_ms: z.number(),
  })
  .openapi('FallbackResponse');

export const parallelResponseSchema = z
  .object({
    request_id: z.string(),
    response: z.string(),
    winner: z.object({ provider: z.string(), model: z.string(), latency_ms: z.number() }),
    results: z.array(
      z.object({
        provider: z.string(),
        status: z.enum(['won', 'cancelled', 'failed']),
        latency_ms: z.number(),
        error_kind: z.string().optional(),
      }),
    ),
    latency_ms: z.number(),
    usage,
    cost,
  })
  .openapi('ParallelResponse');

export const statsSchema = z
  .object({
    total_requests: z.number(),
    successful_requests: z.number(),
    failed_requests: z.number(),
    error_rate: z.number(),
    average_latency_ms: z.number(),
    cost: z.record(z.string(), z.number()),
    tokens: z.object({ prompt: z.number(), completion: z.number(), total: z.number() }),
    uptime_seconds: z.number(),
    providers: z.record(
      z.string(),
      z.object({
        health: z.string(),
        circuit: z.string(),
        total_requests: z.number(),
        error_rate: z.number(),
        avg_latency_ms: z.number().nullable(),
      }),
    ),
  })
  .openapi('Stats');
