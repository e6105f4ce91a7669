import {
  type BaseProviderSettings,
  baseProviderSettingsSchema,
  integerSetting,
  nonEmptyStringSetting,
  settingError,
  stringSetting,
} from '@llmo/core/provider';
import * as z from '@llmo/core/zod';
import type { AnthropicSettings } from './anthropic-provider.js';

/** The settings `createAnthropic` accepts; unknown keys are errors. */
export const anthropicSettingsSchema = z.extend(baseProviderSettingsSchema, {
  apiKey: z.optional(
    stringSetting('e.g. your ANTHROPIC_API_KEY, or a function returning it; sent as x-api-key'),
  ),
  authToken: z.optional(
    stringSetting('an OAuth token, or a function returning it; sent as Authorization: Bearer'),
  ),
  anthropicVersion: z.optional(nonEmptyStringSetting('sent as anthropic-version, e.g. "2023-06-01"')),
  betas: z.optional(
    z.array(nonEmptyStringSetting('a beta name, sent in anthropic-beta'), {
      error: settingError('an array of beta names (sent as anthropic-beta)'),
    }),
  ),
  defaultMaxTokens: z.optional(integerSetting('max_tokens when a request sets no maxTokens', 1)),
} satisfies Record<Exclude<keyof AnthropicSettings, keyof BaseProviderSettings>, z.ZodMiniType>);
