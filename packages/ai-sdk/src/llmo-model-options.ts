import type { RouteOptions } from '@llmo/core';
import { nonEmptyStringSetting, settingError, validateProviderSettings } from '@llmo/core/provider';
import * as z from '@llmo/core/zod';

export interface LlmoModelOptions {
  /** What the AI SDK reports as the model id (telemetry, `response.modelId` fallback). Default: `'router'`. */
  modelId?: string;
  /** What the AI SDK reports as the provider. Default: `'llmo'`. */
  provider?: string;
  /**
   * Route options applied to every call (deadline, tenant, preferred provider…). A call's own settings
   * (`maxOutputTokens`, `temperature`…) and `providerOptions.llmo` override them.
   */
  routeOptions?: RouteOptions;
}

const schema = z.strictObject({
  modelId: z.optional(nonEmptyStringSetting('the model id the AI SDK reports, e.g. "router"')),
  provider: z.optional(nonEmptyStringSetting('the provider name the AI SDK reports, e.g. "llmo"')),
  // The router validates route options itself on every call (strictly, with suggestions).
  routeOptions: z.optional(
    z.record(z.string(), z.unknown(), { error: settingError('an object of @llmo/core RouteOptions') }),
  ),
} satisfies Record<keyof LlmoModelOptions, z.ZodMiniType>);

export function validateLlmoModelOptions(options: LlmoModelOptions, factory: string): void {
  validateProviderSettings(options, factory, schema);
}
