// `@llmo/core/provider`: the contract and the helpers provider authors share. Edge-safe.

import type { ZodMiniType as ZodMini } from 'zod/mini';

/**
 * A zod/mini schema, by name (`z.ZodMiniType` is the same). An alias rather than `export type { … } from
 * 'zod/mini'`: the declaration bundler drops `type` from a re-export, which declared a value this entry
 * does not export.
 */
export type ZodMiniType<Output = unknown, Input = unknown> = ZodMini<Output, Input>;
export { INVALID_CALL_SETTINGS } from './errors/error-codes.js';
export { CALLER_KINDS, type ErrorKind, RETRYABLE_KINDS } from './errors/error-kind.js';
export { LlmoError } from './errors/llmo-error.js';
export { ProviderError, type ProviderErrorOptions } from './errors/provider-error.js';
export {
  type AwsCredentials,
  amzDate,
  type SignAwsRequestOptions,
  type SignedAwsRequest,
  sha256Hex,
  signAwsRequest,
} from './provider-utils/aws-sigv4.js';
export { BatchReader, type Framer } from './provider-utils/batch-reader.js';
export { type CallApiOptions, callApi, cancelledError, toProviderError } from './provider-utils/call-api.js';
export {
  type CallSettingsRules,
  checkCallSettings,
  type NumberRange,
} from './provider-utils/check-call-settings.js';
export {
  type CreateErrorFromResponseOptions,
  createErrorFromResponse,
  type ErrorBodyInfo,
  type ErrorInfo,
  extractErrorInfo,
  REQUEST_ID_HEADERS,
} from './provider-utils/create-error-from-response.js';
export {
  defineHttpProvider,
  type HttpProviderBase,
  type HttpProviderDefinition,
  type HttpProviderParts,
} from './provider-utils/define-http-provider.js';
export {
  createErrorMapper,
  type ErrorClassification,
  type ErrorDetails,
  type ErrorMapper,
  type ErrorMapperSpec,
} from './provider-utils/error-mapper.js';
export type { FetchFunction } from './provider-utils/fetch-function.js';
export { flattenBatches } from './provider-utils/flatten-batches.js';
export {
  createHttpClient,
  firstChoice,
  HEALTH_CHECK_TIMEOUT_MS,
  type HttpCall,
  type HttpClient,
  type HttpClientOptions,
  healthCheckBy,
} from './provider-utils/http-provider.js';
export {
  DEFAULT_MAX_LINE_LENGTH,
  LINE_TOO_LONG,
  LineSplitter,
  type LineSplitterOptions,
} from './provider-utils/line-splitter.js';
export { mapEventBatches } from './provider-utils/map-event-batches.js';
export {
  type NdjsonStreamOptions,
  parseNdjsonBatches,
  parseNdjsonStream,
} from './provider-utils/ndjson-parser.js';
export {
  type BodySource,
  type ByteReader,
  NODE_BODY,
  type NodeBody,
  openBody,
  RESPONSE_DONE,
  responseDone,
  withResponseBody,
} from './provider-utils/node-body.js';
export { getHeader, type HeadersLike, parseRetryAfterMs } from './provider-utils/parse-retry-after.js';
export {
  type PartSource,
  PartStream,
  type PartStreamInit,
  partStream,
} from './provider-utils/part-stream.js';
export {
  baseProviderSettingsSchema,
  booleanSetting,
  capabilitiesSchema,
  describeInput,
  functionSetting,
  headersSetting,
  httpUrlSetting,
  integerSetting,
  looseBaseProviderSettingsSchema,
  nonEmptyStringSetting,
  numberSetting,
  pricingSchema,
  settingError,
  stringSetting,
  timeoutMsSetting,
} from './provider-utils/provider-settings-schema.js';
export {
  lazySchema,
  parseJsonText,
  parseWire,
  readJsonResponse,
  type SafeParser,
  wire,
  withFastCheck,
} from './provider-utils/read-json-response.js';
export { redactSecrets, redactUrl } from './provider-utils/redact.js';
export { resolveSetting, type Setting } from './provider-utils/resolve-setting.js';
export { redactProvider, SecretRedactor } from './provider-utils/secret-redactor.js';
export {
  parseSseBatches,
  parseSseStream,
  type SseEvent,
  SseParser,
  type SseParserOptions,
  type SseStreamOptions,
} from './provider-utils/sse-parser.js';
export { statusToErrorKind } from './provider-utils/status-to-error-kind.js';
export {
  type FinishOptions,
  parseToolArguments,
  StreamAssembler,
  type StreamAssemblerOptions,
  type ToolCallFragment,
} from './provider-utils/stream-assembler.js';
export {
  type BaseProviderSettings,
  validateProviderSettings,
} from './provider-utils/validate-provider-settings.js';
export { closestKey } from './router/closest-key.js';
export { describeZodIssues, type OptionsIssue } from './router/format-zod-error.js';
export { createRandom } from './router/random-source.js';
export { sleep } from './router/sleep.js';
export { toMessages } from './spec/chat-message.js';
export type * from './spec/index.js';
export { isContentPart, type ReadyParts, readyPartsOf } from './spec/stream-part.js';
export * as z from './zod.js';
