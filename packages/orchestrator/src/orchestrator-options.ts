import type { ChatMessage, Logger, RouteOptions, RouteResult } from '@llmo/core';
import type { CacheStatus } from './cache/cache-status.js';
import type { CacheStore } from './cache/cache-store.js';
import type { VectorIndex } from './cache/vector-index.js';
import type { ContextItem } from './context/prune-context.js';
import type { ExtractedCode } from './response/extract-code.js';
import type { InferOutput, OutputSchema } from './response/output-schema.js';
import type { ResponseValidator } from './response/process-response.js';
import type { RouterView } from './tasks/select-models.js';
import type { OutputFormat, TaskConfig } from './tasks/task-config.js';
import type { PromptTemplate } from './templates/prompt-template.js';
import type { TemplateRegistry } from './templates/template-registry.js';
import type { TokenCount, TokenCounter } from './tokens/token-counter.js';

/** The router calls the orchestrator makes: a `Router` or `BaseRouter` from `@llmo/core`. */
export interface OrchestratorRouter extends RouterView {
  route(prompt: readonly ChatMessage[], options?: RouteOptions): Promise<RouteResult>;
}

export interface OrchestratorOptions {
  router: OrchestratorRouter;
  /** Task types and their criteria. */
  tasks: Record<string, TaskConfig>;
  /** Templates (every version), or a registry you keep adding to. */
  templates?: readonly PromptTemplate[] | TemplateRegistry;
  /**
   * The exact cache: `true` (default) for an in-memory LRU of 1000 entries, a store of your own, or `false`.
   * A task caches only with a `cacheTtlMs` above 0.
   */
  cache?: boolean | CacheStore;
  /**
   * The semantic cache: answers of similar requests, for tasks with a `semanticThreshold`. `embed` turns the
   * rendered prompt into a vector (e.g. a provider's embedding call); `index` holds the vectors (default an
   * in-memory cosine index). Entries live in the exact cache's store and expire with it.
   */
  semanticCache?: {
    embed: (text: string, signal?: AbortSignal) => Promise<readonly number[]>;
    index?: VectorIndex;
  };
  /** Provider name or model id used, with a warning, when a task's criteria leave no provider. */
  defaultModel?: string;
  /**
   * Default: estimates (marked `estimated`). Pass `createTokenCounter()` for exact counts of OpenAI models
   * (gpt-tokenizer, loaded on first use by dynamic import); it stays out of bundles that do not import it.
   */
  tokenCounter?: TokenCounter;
  /** One line per request (`orchestrator_request_completed` / `_failed`) with its request id. */
  logger?: Logger;
  /** Warnings (a default model used, a preferred provider missing): default `console.warn`, `false` for none. */
  onWarning?: ((message: string) => void) | false;
  /** Per-task validators, run after the schema. More can be added with `registerValidator`. */
  validators?: Record<string, readonly ResponseValidator[]>;
  /** The clock, in ms, for the cache's timestamps (tests pass their own). */
  now?: () => number;
}

/** What one request asks for. Everything but `taskType` is optional. */
export interface ProcessRequest<S extends OutputSchema | undefined = undefined> {
  taskType: string;
  /** Default: the task's `templateId`. Without a template, `variables.input` (a string) is the user message. */
  templateId?: string;
  /** Pin a template version; default the latest. */
  templateVersion?: string;
  variables?: Record<string, unknown>;
  /** Default: the task's format, else `text`. */
  outputFormat?: OutputFormat;
  /** Validates a JSON answer: a Standard Schema (zod 4…) or a JSON Schema object. */
  schema?: S;
  /** Context items pruned to the task's token budget. */
  context?: readonly ContextItem[];
  /** Earlier turns of the conversation, trimmed to the budget (newest first, system messages kept). */
  history?: readonly ChatMessage[];
  signal?: AbortSignal;
  /** Skip the cache for this request (it is still written). */
  bypassCache?: boolean;
  /** Extra route options (tenant, headers, timeouts); routing hints come from the task. */
  routeOptions?: Pick<
    RouteOptions,
    'headers' | 'timeoutMs' | 'deadlineMs' | 'tenantId' | 'platformKeyId' | 'seed' | 'topP' | 'stop'
  >;
}

/** The value a request's format and schema produce. */
export type ProcessValue<F extends OutputFormat | undefined, S> = F extends 'code'
  ? ExtractedCode
  : F extends 'json'
    ? S extends OutputSchema
      ? InferOutput<S>
      : unknown
    : F extends 'text' | 'markdown'
      ? string
      : unknown;

export interface ProcessResult<T = unknown> {
  /** The orchestrator's id for this request (in its log line); `route.requestId` is the router's. */
  requestId: string;
  taskType: string;
  template?: { id: string; version: string };
  format: OutputFormat;
  value: T;
  /** The answer as the model wrote it. */
  text: string;
  provider: string;
  model: string;
  /** Summed over every ask (validation retries included); zero for a cache hit. */
  usage: { promptTokens: number; completionTokens: number; totalTokens: number; estimated: boolean };
  cost: { amount: number; currency: string; known: boolean };
  /** Every router attempt of every ask, in order (empty for a cache hit). */
  attempts: RouteResult['attempts'];
  /**
   * `hit` (exact cache), `semantic` (a similar request's answer), `coalesced` (shared an identical request in
   * flight), `miss`, or `off`.
   */
  cache: CacheStatus;
  cacheHit: boolean;
  /** For `semantic`: the cosine similarity of this request to the one whose answer was served. */
  similarity?: number;
  /** For `hit` and `coalesced`: what the answer cost when it was made, which this request did not spend. */
  savedCost?: { amount: number; currency: string };
  validationRetries: number;
  /** The prompt as sent (first ask), counted before sending. */
  promptTokens: TokenCount;
  context: {
    included: ContextItem[];
    dropped: ContextItem[];
    historyDropped: number;
    tokens: number;
    estimated: boolean;
  };
  selection: { candidates: string[]; removed: { provider: string; reason: string }[]; usedDefault: boolean };
  warnings: string[];
  latencyMs: number;
  /**
   * The route result of the ask that produced the answer (its finish reason, router request id, attempts):
   * this request's last ask, or for `cache: 'coalesced'` the shared run's; undefined for `hit` and `semantic`.
   */
  route?: RouteResult;
}
