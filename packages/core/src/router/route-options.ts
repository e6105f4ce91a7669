import * as z from 'zod/mini';
import type { CallSettings } from '../spec/chat-request.js';

export type Capability = 'streaming' | 'tools' | 'jsonSchema';

/** Per-request settings: generation parameters, plus routing hints and limits. */
export interface RouteOptions extends CallSettings {
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Try this provider first (when it is not excluded). */
  preferredProvider?: string;
  /** Never use these providers for this request. */
  excludeProviders?: string[];
  /** Only providers that declare these capabilities. */
  requiredCapabilities?: Capability[];
  /**
   * Skip providers whose estimated cost for this request exceeds this amount. Providers priced in another
   * currency cannot be compared and are skipped too, except free ones.
   */
  maxCost?: { amount: number; currency: string };
  /** Overrides the router's per-attempt timeout for this request. */
  timeoutMs?: number;
  /** Overrides the router's overall deadline for this request. */
  deadlineMs?: number;
  /** Attributed in usage records (overrides the router's). */
  tenantId?: string;
  platformKeyId?: string;
}

const number = (what: string) => z.number({ error: `must be a number (${what})` });
const nonNegative = (what: string) => number(what).check(z.gte(0, { error: `must be ≥ 0 (${what})` }));
const strings = z.array(z.string({ error: 'must be strings' }), { error: 'must be an array of strings' });

export const routeOptionsSchema = z.looseObject({
  temperature: z.optional(nonNegative('sampling temperature, e.g. 0.7')),
  topP: z.optional(nonNegative('nucleus sampling, 0..1').check(z.lte(1, { error: 'must be ≤ 1' }))),
  maxTokens: z.optional(
    z.int({ error: 'must be a positive integer' }).check(z.positive({ error: 'must be a positive integer' })),
  ),
  stop: z.optional(strings),
  seed: z.optional(z.int({ error: 'must be an integer' })),
  responseFormat: z.optional(
    z.looseObject({
      type: z.enum(['text', 'json', 'json-schema'], { error: 'must be "text", "json" or "json-schema"' }),
    }),
  ),
  tools: z.optional(
    z.array(
      z.looseObject({
        name: z.string().check(z.minLength(1, { error: 'a tool needs a name' })),
        parameters: z.record(z.string(), z.unknown(), { error: 'must be a JSON Schema object' }),
      }),
    ),
  ),
  signal: z.optional(
    z.custom<AbortSignal>((v) => typeof v === 'object' && v !== null && 'aborted' in v, {
      error: 'must be an AbortSignal',
    }),
  ),
  headers: z.optional(z.record(z.string(), z.string({ error: 'header values must be strings' }))),
  preferredProvider: z.optional(z.string()),
  excludeProviders: z.optional(strings),
  requiredCapabilities: z.optional(
    z.array(
      z.enum(['streaming', 'tools', 'jsonSchema'], { error: 'must be "streaming", "tools" or "jsonSchema"' }),
    ),
  ),
  maxCost: z.optional(
    z.strictObject({
      amount: nonNegative('amount'),
      currency: z.string().check(z.regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as "USD"' })),
    }),
  ),
  timeoutMs: z.optional(number('milliseconds').check(z.positive({ error: 'must be > 0' }))),
  deadlineMs: z.optional(number('milliseconds').check(z.positive({ error: 'must be > 0' }))),
  tenantId: z.optional(z.string()),
  platformKeyId: z.optional(z.string()),
});
