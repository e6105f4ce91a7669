import type { ModelPricing, ProviderCapabilities } from '@llmo/core';
import {
  baseProviderSettingsSchema,
  functionSetting,
  nonEmptyStringSetting,
  settingError,
  validateProviderSettings,
} from '@llmo/core/provider';
import * as z from '@llmo/core/zod';

export interface FromAISDKSettings {
  /** The provider's name in the router (unique), e.g. `'openai-mini'`. */
  name: string;
  /**
   * The price-table key (`openai`, `anthropic`…). Default: the AI SDK provider id up to its first dot
   * (`openai.chat` → `openai`), so llmo's default prices apply to known models.
   */
  providerType?: string;
  /** Prices for this model; overrides the price table. */
  pricing?: ModelPricing;
  /** What the model can do; the router uses it for `requiredCapabilities`. Default: `{ streaming: true, tools: true }`. */
  capabilities?: ProviderCapabilities;
  /**
   * How long to wait for the model's answer (`doGenerate`) or for its stream to open (`doStream`) before the
   * attempt fails with a retryable `timeout`. Default: none (the router's per-attempt timeout still applies).
   */
  timeoutMs?: number;
  /**
   * Credentials the wrapped model sends (its API key…). The AI SDK model keeps them to itself, so tell llmo
   * which values to remove from error messages and causes should an upstream echo them back.
   */
  secrets?: readonly string[];
  /**
   * A liveness probe. AI SDK models have none that is free, so by default the provider reports healthy and
   * the router judges it by real traffic (errors, latency, circuit breaker).
   */
  healthCheck?: (options?: { signal?: AbortSignal }) => Promise<boolean>;
}

const schema = z.extend(
  z.pick(baseProviderSettingsSchema, {
    name: true,
    pricing: true,
    capabilities: true,
    timeoutMs: true,
  }),
  {
    providerType: z.optional(nonEmptyStringSetting('the price-table key, e.g. "openai"')),
    secrets: z.optional(
      z.array(z.string({ error: settingError('strings (credential values)', { secret: true }) }), {
        error: settingError('an array of credential values to redact, e.g. [process.env.OPENAI_API_KEY]', {
          secret: true,
        }),
      }),
    ),
    healthCheck: z.optional(functionSetting<() => Promise<boolean>>('({ signal }) => Promise<boolean>')),
  } satisfies Record<
    Exclude<keyof FromAISDKSettings, 'name' | 'pricing' | 'capabilities' | 'timeoutMs'>,
    z.ZodMiniType
  >,
);

export function validateFromAISDKSettings(settings: FromAISDKSettings): void {
  validateProviderSettings(settings, 'fromAISDK', schema);
}
