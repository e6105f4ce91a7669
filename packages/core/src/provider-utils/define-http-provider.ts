import type * as z from 'zod/mini';
import type { ModelPricing } from '../spec/model-pricing.js';
import type { ProviderCapabilities, ProviderV1 } from '../spec/provider-v1.js';
import type { FetchFunction } from './fetch-function.js';
import { createHttpClient, type HttpClient } from './http-provider.js';
import type { BaseProviderSettings } from './provider-settings-schema.js';
import { redactProvider, SecretRedactor } from './secret-redactor.js';
import { validateProviderSettings } from './validate-provider-settings.js';

/** What every HTTP provider sets up the same way, handed to its `setup`. */
export interface HttpProviderBase<S extends BaseProviderSettings> {
  /** The settings, already validated against the provider's schema. */
  settings: S;
  name: string;
  model: string;
  /** `settings.baseURL` or the default, without trailing slashes (and normalised by `normalizeBaseURL`). */
  baseURL: string;
  /** `settings.fetch`, or the default transport the provider passed. */
  fetch: FetchFunction;
  /** `settings.timeoutMs` or the provider's default. */
  timeoutMs: number;
  /** Every error the provider throws passes through it; `http` teaches it each call's credentials. */
  redactor: SecretRedactor;
  http: HttpClient;
}

/** The provider-specific part: its type, default prices and capabilities, and the calls. */
export type HttpProviderParts<P extends ProviderV1> = Omit<
  P,
  'specificationVersion' | 'name' | 'model' | 'capabilities'
> & {
  /** The defaults; `settings.capabilities` is merged over them. */
  capabilities: ProviderCapabilities;
  /** The default prices; `settings.pricing` wins. */
  pricing?: ModelPricing;
};

export interface HttpProviderDefinition<S extends BaseProviderSettings, P extends ProviderV1> {
  /** The factory's name, for settings errors (`createAcme: invalid settings: …`). */
  factory: string;
  /** The strict settings schema (`z.extend(baseProviderSettingsSchema, { … })`). */
  schema: z.ZodMiniType;
  defaultBaseURL: string;
  /** E.g. Anthropic's paths carry `/v1`, so a base URL given with it drops it; Gemini appends its version. */
  normalizeBaseURL?: (url: string, settings: S) => string;
  defaultTimeoutMs: number;
  /**
   * The default transport, `getDefaultFetch` from `@llmo/core/transport`: passed by the provider because that
   * entry resolves per runtime (undici on Node, `fetch` elsewhere) when the provider package is imported.
   */
  defaultFetch: () => FetchFunction;
  /** Completes a price the settings give (Anthropic adds its cache prices from its multipliers). */
  completePricing?: (pricing: ModelPricing) => ModelPricing;
  setup: (base: HttpProviderBase<S>) => HttpProviderParts<P>;
}

/**
 * The skeleton every HTTP provider repeats, once: validate the settings, resolve base URL, fetch and timeout,
 * one `SecretRedactor` and one `createHttpClient`; then the contract's fixed fields around what `setup`
 * returns (`specificationVersion`, `name`, `model`, capabilities merged with the settings', the settings'
 * prices over the defaults), every method wrapped by `redactProvider`.
 *
 * @example
 * export const createAcme = (settings: AcmeSettings): ProviderV1 =>
 *   defineHttpProvider(settings, {
 *     factory: 'createAcme', schema: acmeSettingsSchema, defaultBaseURL: 'https://api.acme.ai/v1',
 *     defaultTimeoutMs: 600_000, defaultFetch: getDefaultFetch,
 *     setup: ({ http, name }) => ({ providerType: 'acme', capabilities: {…}, generate, stream, healthCheck }),
 *   });
 */
export function defineHttpProvider<S extends BaseProviderSettings, P extends ProviderV1 = ProviderV1>(
  settings: S,
  definition: HttpProviderDefinition<S, P>,
): P {
  validateProviderSettings(settings, definition.factory, definition.schema);
  const { name, model } = settings;
  const trimmed = (settings.baseURL ?? definition.defaultBaseURL).replace(/\/+$/, '');
  const baseURL = definition.normalizeBaseURL ? definition.normalizeBaseURL(trimmed, settings) : trimmed;
  const fetch = settings.fetch ?? definition.defaultFetch();
  const timeoutMs = settings.timeoutMs ?? definition.defaultTimeoutMs;
  const redactor = new SecretRedactor();
  const http = createHttpClient({ provider: name, baseURL, fetch, timeoutMs, redactor });
  const parts = definition.setup({ settings, name, model, baseURL, fetch, timeoutMs, redactor, http });
  const pricing =
    settings.pricing && definition.completePricing
      ? definition.completePricing(settings.pricing)
      : settings.pricing;
  const provider = {
    ...parts,
    specificationVersion: 'v1',
    name,
    model,
    pricing: pricing ?? parts.pricing,
    capabilities: { ...parts.capabilities, ...settings.capabilities },
  } as unknown as P;
  return redactProvider(provider, redactor);
}
