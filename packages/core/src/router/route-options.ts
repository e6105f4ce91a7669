import * as z from 'zod/mini';
import { lazy } from '../provider-utils/lazy.js';
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
   * currency cannot be compared and are skipped, and so are providers with no known price (declare a free
   * provider with a zero price); explicitly free providers always pass.
   */
  maxCost?: { amount: number; currency: string };
  /**
   * The prompt's size in tokens, when you counted it (e.g. with a tokenizer, as `@llmo/orchestrator` does).
   * Providers whose declared `capabilities.contextWindow` cannot hold it plus `maxTokens` are skipped for this
   * request instead of failing there, and `maxCost` estimates use it instead of a character-based guess.
   */
  promptTokens?: number;
  /** Overrides the router's per-attempt timeout for this request. */
  timeoutMs?: number;
  /** Overrides the router's time allowed for a stream's first chunk. */
  firstChunkTimeoutMs?: number;
  /** Overrides the router's longest silence between two chunks of a stream; `0` turns it off. */
  idleTimeoutMs?: number;
  /** Overrides the router's overall deadline for this request. */
  deadlineMs?: number;
  /** Attributed in usage records (overrides the router's). */
  tenantId?: string;
  platformKeyId?: string;
}

const number = (what: string) => z.number({ error: `must be a number (${what})` });
const nonNegative = (what: string) => number(what).check(z.gte(0, { error: `must be ≥ 0 (${what})` }));
const positiveMs = (what: string) =>
  number(`milliseconds: ${what}`).check(z.positive({ error: `must be > 0 (${what})` }));
const strings = () =>
  z.array(z.string({ error: 'must be strings' }), { error: 'must be an array of strings' });
const record = () => z.record(z.string(), z.unknown(), { error: 'must be an object' });

// Strict: a misspelt option (`temprature`) is an error with a suggestion, never silently ignored.
export const routeOptionsSchema = lazy(() =>
  z.strictObject({
    temperature: z.optional(nonNegative('sampling temperature, e.g. 0.7')),
    topP: z.optional(nonNegative('nucleus sampling, 0..1').check(z.lte(1, { error: 'must be ≤ 1' }))),
    maxTokens: z.optional(
      z
        .int({ error: 'must be a positive integer' })
        .check(z.positive({ error: 'must be a positive integer' })),
    ),
    stop: z.optional(strings()),
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
    toolChoice: z.optional(
      z.union(
        [
          z.enum(['auto', 'none', 'required']),
          z.strictObject({ type: z.literal('tool'), name: z.string().check(z.minLength(1)) }),
        ],
        { error: 'must be "auto", "none", "required" or { type: "tool", name }' },
      ),
    ),
    providerOptions: z.optional(
      z.record(z.string(), record(), {
        error: 'must be { [providerType]: { ...options } }, e.g. { openai: { logprobs: true } }',
      }),
    ),
    signal: z.optional(
      z.custom<AbortSignal>((v) => typeof v === 'object' && v !== null && 'aborted' in v, {
        error: 'must be an AbortSignal',
      }),
    ),
    headers: z.optional(z.record(z.string(), z.string({ error: 'header values must be strings' }))),
    preferredProvider: z.optional(z.string()),
    excludeProviders: z.optional(strings()),
    requiredCapabilities: z.optional(
      z.array(
        z.enum(['streaming', 'tools', 'jsonSchema'], {
          error: 'must be "streaming", "tools" or "jsonSchema"',
        }),
      ),
    ),
    maxCost: z.optional(
      z.strictObject({
        amount: nonNegative('amount'),
        currency: z
          .string()
          .check(z.regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as "USD"' })),
      }),
    ),
    promptTokens: z.optional(
      z
        .int({ error: 'must be an integer number of tokens ≥ 0 (the prompt counted)' })
        .check(z.gte(0, { error: 'must be an integer number of tokens ≥ 0 (the prompt counted)' })),
    ),
    timeoutMs: z.optional(positiveMs('per-attempt timeout')),
    firstChunkTimeoutMs: z.optional(positiveMs('time to the first chunk of a stream')),
    idleTimeoutMs: z.optional(
      nonNegative('milliseconds of silence allowed between stream chunks; 0 turns it off'),
    ),
    deadlineMs: z.optional(positiveMs('whole-request deadline')),
    tenantId: z.optional(z.string()),
    platformKeyId: z.optional(z.string()),
  }),
);
