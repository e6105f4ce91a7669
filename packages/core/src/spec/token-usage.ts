/** Token counts as a provider reports them. Any field may be missing when the provider does not report it. */
export interface ProviderUsage {
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
}

/** Token counts as the router reports them: always complete; `estimated` when the provider reported none. */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  estimated: boolean;
}
