// `@llmo/core/provider`: the contract and the helpers provider authors share. Edge-safe.
export type * from './spec/index.js';
export { toMessages } from './spec/chat-message.js';
export { isContentPart } from './spec/stream-part.js';
export { LlmoError } from './errors/llmo-error.js';
export { ProviderError, type ProviderErrorOptions } from './errors/provider-error.js';
export { type ErrorKind, RETRYABLE_KINDS, CALLER_KINDS } from './errors/error-kind.js';
export { callApi, cancelledError, type CallApiOptions } from './provider-utils/call-api.js';
export {
  createErrorFromResponse,
  extractErrorInfo,
  REQUEST_ID_HEADERS,
  type CreateErrorFromResponseOptions,
  type ErrorBodyInfo,
} from './provider-utils/create-error-from-response.js';
export type { FetchFunction } from './provider-utils/fetch-function.js';
export { LineSplitter } from './provider-utils/line-splitter.js';
export { parseNdjsonStream } from './provider-utils/ndjson-parser.js';
export { parseRetryAfterMs, getHeader, type HeadersLike } from './provider-utils/parse-retry-after.js';
export { redactSecrets, redactUrl } from './provider-utils/redact.js';
export { resolveSetting, type Setting } from './provider-utils/resolve-setting.js';
export { parseSseStream, SseParser, type SseEvent } from './provider-utils/sse-parser.js';
export { statusToErrorKind } from './provider-utils/status-to-error-kind.js';
export { sleep } from './router/abort.js';
export { createRandom } from './router/random-source.js';
