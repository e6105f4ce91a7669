import type { Capability } from '@llmo/core';
import { z } from '@llmo/core/provider';
import { checkInput } from '../check-input.js';
import type { ContextStrategy } from '../context/prune-context.js';

export type OutputFormat = 'text' | 'json' | 'code' | 'markdown';

/** How one task type picks its models and treats its prompts and answers. */
export interface TaskConfig {
  /** Provider names (as registered on the router), most preferred first. */
  preferredProviders?: string[];
  /** Model ids, most preferred first: every provider serving one of them is a candidate. */
  preferredModels?: string[];
  /** Models to fall back to after the preferred ones (also candidates). */
  fallbackModels?: string[];
  /** Only providers that declare these capabilities. */
  requiredCapabilities?: Capability[];
  /** Skip providers whose estimated cost exceeds this (the router's `maxCost` hint). */
  maxCost?: { amount: number; currency: string };
  /** Skip providers whose measured average latency exceeds this (providers without data are kept). */
  maxLatencyMs?: number;
  /** Prompt tokens the rendered prompt, history and context may use together. */
  tokenBudget?: number;
  /** Share of the budget left after the prompt that history may take (default 0.5); context gets the rest. */
  historyShare?: number;
  /** How long an answer is cached, in ms; 0 (the default) turns the cache off for this task. */
  cacheTtlMs?: number;
  /**
   * Turns the semantic cache on for this task (with `cacheTtlMs` and the orchestrator's `semanticCache`): an
   * answer of a request whose embedding's cosine similarity is at least this is served. 0.95 is a cautious start.
   */
  semanticThreshold?: number;
  /** Default `text`. */
  outputFormat?: OutputFormat;
  /** For `code`: the language to look for first among several blocks. */
  codeLanguage?: string;
  /** Template used when a request names none. */
  templateId?: string;
  temperature?: number;
  maxTokens?: number;
  /** Asks again with the errors fed back at most this many times (default 2, so 3 answers in all). */
  maxValidationRetries?: number;
  /** Context pruning: default `hybrid` with weights 0.7 / 0.3. */
  contextStrategy?: ContextStrategy;
  contextWeights?: { relevance: number; recency: number };
  /** Send the schema with `strict: true` (OpenAI's strict mode needs every property required). Default false. */
  strictSchema?: boolean;
}

const positiveInt = (what: string) =>
  z.int({ error: `must be an integer (${what})` }).check(z.positive({ error: `must be > 0 (${what})` }));
const strings = () => z.array(z.string({ error: 'must be strings' }), { error: 'must be a list of strings' });

// Built on first use: a top-level call would stay in every bundle that imports anything from this package.
let built: ReturnType<typeof buildTaskConfigSchema> | undefined;
export const taskConfigSchema = () => (built ??= buildTaskConfigSchema());

function buildTaskConfigSchema() {
  return z.strictObject({
    preferredProviders: z.optional(strings()),
    preferredModels: z.optional(strings()),
    fallbackModels: z.optional(strings()),
    requiredCapabilities: z.optional(
      z.array(
        z.enum(['streaming', 'tools', 'jsonSchema'], {
          error: 'must be "streaming", "tools" or "jsonSchema"',
        }),
      ),
    ),
    maxCost: z.optional(
      z.strictObject({
        amount: z.number().check(z.gte(0, { error: 'must be ≥ 0' })),
        currency: z
          .string()
          .check(z.regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as "USD"' })),
      }),
    ),
    maxLatencyMs: z.optional(positiveInt('milliseconds')),
    tokenBudget: z.optional(positiveInt('prompt tokens')),
    historyShare: z.optional(
      z
        .number()
        .check(
          z.gte(0, { error: 'must be between 0 and 1' }),
          z.lte(1, { error: 'must be between 0 and 1' }),
        ),
    ),
    cacheTtlMs: z.optional(
      z.int({ error: 'must be an integer (milliseconds)' }).check(z.gte(0, { error: 'must be ≥ 0' })),
    ),
    semanticThreshold: z.optional(
      z
        .number()
        .check(
          z.gte(0, { error: 'must be between 0 and 1 (cosine similarity)' }),
          z.lte(1, { error: 'must be between 0 and 1 (cosine similarity)' }),
        ),
    ),
    outputFormat: z.optional(
      z.enum(['text', 'json', 'code', 'markdown'], { error: 'must be "text", "json", "code" or "markdown"' }),
    ),
    codeLanguage: z.optional(z.string()),
    templateId: z.optional(z.string()),
    temperature: z.optional(z.number().check(z.gte(0, { error: 'must be ≥ 0' }))),
    maxTokens: z.optional(positiveInt('completion tokens')),
    maxValidationRetries: z.optional(
      z
        .int({ error: 'must be an integer' })
        .check(z.gte(0, { error: 'must be ≥ 0' }), z.lte(10, { error: 'must be ≤ 10' })),
    ),
    contextStrategy: z.optional(
      z.enum(['relevance', 'recency', 'hybrid'], { error: 'must be "relevance", "recency" or "hybrid"' }),
    ),
    contextWeights: z.optional(
      z.strictObject({
        relevance: z.number().check(z.gte(0, { error: 'must be ≥ 0' })),
        recency: z.number().check(z.gte(0, { error: 'must be ≥ 0' })),
      }),
    ),
    strictSchema: z.optional(z.boolean()),
  });
}

/** Checks one task's configuration (from code or YAML); every bad field named in one error. */
export function checkTaskConfig(taskType: string, value: unknown): TaskConfig {
  return checkInput(taskConfigSchema(), value, `task "${taskType}"`) as TaskConfig;
}
