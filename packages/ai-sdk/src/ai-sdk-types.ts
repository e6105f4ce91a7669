// The AI SDK specification types this package speaks, in one place. Type-only: nothing of `@ai-sdk/provider`
// is imported at run time, so an application's own copy of the AI SDK is the only one it loads.
// `@ai-sdk/provider` 3.x declares both generations: V2 (AI SDK 5) and V3 (AI SDK 6).

export type {
  JSONObject,
  JSONValue,
  LanguageModelV2,
  LanguageModelV2CallOptions,
  LanguageModelV2CallWarning,
  LanguageModelV2Content,
  LanguageModelV2FinishReason,
  LanguageModelV2Prompt,
  LanguageModelV2StreamPart,
  LanguageModelV2Usage,
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3FinishReason,
  LanguageModelV3GenerateResult,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV3Usage,
  SharedV3ProviderMetadata,
  SharedV3Warning,
} from '@ai-sdk/provider';
