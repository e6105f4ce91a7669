/** Token counts as a provider reports them. Any field may be missing when the provider does not report it. */
export interface ProviderUsage {
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
  /** Prompt tokens read from the provider's prompt cache (part of `promptTokens`, priced at `cacheReadPer1K`). */
  cacheReadTokens?: number;
  /** Prompt tokens written to the prompt cache (part of `promptTokens`, priced at `cacheWritePer1K`). */
  cacheWriteTokens?: number;
}

/** Token counts as the router reports them: always complete; `estimated` when the provider reported none. */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  estimated: boolean;
  /** Of `promptTokens`, read from the prompt cache; present when the provider reported it. */
  cacheReadTokens?: number;
  /** Of `promptTokens`, written to the prompt cache; present when the provider reported it. */
  cacheWriteTokens?: number;
}
