// @llmo/testkit: the provider conformance suite and wire-faithful fake servers. Node only.

export {
  type ConformanceContext,
  checkStreamOrder,
  type DescribeProviderOptions,
  describeProvider,
  type TestRunner,
} from './describe-provider.js';
export {
  FakeHttpServer,
  type RecordedRequest,
  type Responder,
  type ScriptedResponse,
} from './fake-http-server.js';
export { checkGuardAgainstSchema, type GuardCheckResult, guardMutants } from './guard-mutants.js';
export { ProviderFakeServer } from './provider-fake-server.js';
export { type RedisTestServer, type StartRedisOptions, startRedis } from './redis-server.js';
export {
  type RunWithoutProcessOptions,
  type RunWithoutProcessResult,
  runWithoutProcess,
} from './run-without-process.js';
export { DEFAULT_USAGE, type Scenario, splitWords, type TransportOptions, type Usage } from './scenario.js';
export {
  type AnthropicCacheUsage,
  AnthropicFakeServer,
  type AnthropicServerOptions,
  anthropicErrorType,
} from './servers/anthropic-server.js';
export {
  bedrockEvent,
  bedrockException,
  type EventStreamHeaders,
  encodeEventStreamMessage,
} from './servers/bedrock-eventstream.js';
export {
  type BedrockFakeModel,
  BedrockFakeServer,
  type BedrockServerOptions,
  bedrockErrorCode,
} from './servers/bedrock-server.js';
export {
  BEDROCK_TEST_CREDENTIALS,
  BEDROCK_TEST_SESSION_CREDENTIALS,
  type BedrockTestCredentials,
  expectedSignature,
  parseAuthorization,
  verifySigV4,
} from './servers/bedrock-sigv4.js';
export {
  type GeminiErrorDetails,
  type GeminiFakeModel,
  GeminiFakeServer,
  type GeminiModelMethod,
  type GeminiServerOptions,
  geminiErrorBody,
  geminiRpcStatus,
  geminiSseEvent,
} from './servers/gemini-server.js';
export {
  GigaChatFakeServer,
  type GigaChatScope,
  type GigaChatServerOptions,
} from './servers/gigachat-server.js';
export { OllamaFakeServer } from './servers/ollama-server.js';
export { OpenAIFakeServer, type OpenAIServerOptions } from './servers/openai-server.js';
export {
  VertexClaudeFakeServer,
  VertexFakeServer,
  VertexGeminiFakeServer,
  type VertexServerOptions,
  type VertexTestServiceAccount,
} from './servers/vertex-server.js';
export { YandexGPTFakeServer, type YandexGPTServerOptions } from './servers/yandexgpt-server.js';
export { chunkedBody, collectParts, rejectionOf } from './test-helpers.js';
export { TEST_TLS } from './test-tls.js';
