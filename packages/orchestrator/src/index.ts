// @llmo/orchestrator: tasks → routing hints, versioned Jinja templates, context under a token budget,
// response parsing and validation with retry, an exact cache with single flight, per-task metrics. Edge-safe;
// file loading lives in @llmo/orchestrator/node.

export { cacheKey, canonicalJson } from './cache/cache-key.js';
export type { CacheStatus } from './cache/cache-status.js';
export type { CachedAnswer, CacheStore } from './cache/cache-store.js';
export { MemoryCacheStore, type MemoryCacheStoreOptions } from './cache/memory-cache-store.js';
export { SingleFlight } from './cache/single-flight.js';
export {
  MemoryVectorIndex,
  type MemoryVectorIndexOptions,
  type VectorIndex,
  type VectorMatch,
} from './cache/vector-index.js';
export {
  type ContextItem,
  type ContextStrategy,
  type PruneContextOptions,
  type PrunedContext,
  pruneContext,
  type ScoredItem,
} from './context/prune-context.js';
export { type TrimmedHistory, trimHistory } from './context/trim-history.js';
export { OrchestratorError, type OrchestratorErrorCode } from './errors/orchestrator-error.js';
export {
  formatIssue,
  type ResponseAttempt,
  ResponseValidationError,
  type ValidationIssue,
} from './errors/response-validation-error.js';
export type { RequestEndEvent, RequestEndListener } from './metrics/request-end-event.js';
export type { TaskMetricsSnapshot } from './metrics/task-metrics.js';
export { createOrchestrator, Orchestrator } from './orchestrator.js';
export type {
  OrchestratorOptions,
  OrchestratorRouter,
  ProcessRequest,
  ProcessResult,
  ProcessValue,
} from './orchestrator-options.js';
export { type ExtractedCode, extractCode } from './response/extract-code.js';
export {
  type ExtractJsonResult,
  extractJson,
  findBalancedEnd,
  type JsonSource,
} from './response/extract-json.js';
export { type FencedBlock, findFencedBlocks } from './response/find-fenced-blocks.js';
export { normalizeMarkdown } from './response/normalize-markdown.js';
export {
  type CompiledSchema,
  compileSchema,
  type InferOutput,
  isStandardSchema,
  type OutputSchema,
  type StandardSchema,
} from './response/output-schema.js';
export {
  type ProcessedResponse,
  processResponse,
  type ResponseValidator,
  type ValidatorContext,
} from './response/process-response.js';
export { type ModelSelection, type RouterView, selectModels } from './tasks/select-models.js';
export { checkTaskConfig, type OutputFormat, type TaskConfig } from './tasks/task-config.js';
export { TaskRegistry } from './tasks/task-registry.js';
export { type BuildMessagesInput, buildMessages } from './templates/build-messages.js';
export { checkTemplate, compareVersions, type PromptTemplate } from './templates/prompt-template.js';
export { type RenderedTemplate, TemplateRegistry } from './templates/template-registry.js';
export { type EncodingName, encodingForModel } from './tokens/encoding-for-model.js';
export {
  createTokenCounter,
  estimateTokenCounter,
  estimateTokenizer,
  type TextTokenizer,
  type TokenCount,
  type TokenCounter,
  type TokenCounterOptions,
} from './tokens/token-counter.js';
