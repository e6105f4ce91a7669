import {
  type BaseProviderSettings,
  baseProviderSettingsSchema,
  booleanSetting,
  nonEmptyStringSetting,
  settingError,
  stringSetting,
} from '@llmo/core/provider';
import * as z from '@llmo/core/zod';
import type { OpenAISettings } from './openai-provider.js';

/** The settings `createOpenAI` accepts; unknown keys are errors. */
export const openAISettingsSchema = z.extend(baseProviderSettingsSchema, {
  apiKey: z.optional(stringSetting('e.g. your OPENAI_API_KEY, or a function returning it')),
  organization: z.optional(nonEmptyStringSetting('sent as OpenAI-Organization')),
  project: z.optional(nonEmptyStringSetting('sent as OpenAI-Project')),
  maxTokensParameter: z.optional(
    z.enum(['max_completion_tokens', 'max_tokens'], {
      error: settingError('"max_completion_tokens" or "max_tokens" (the field that carries maxTokens)'),
    }),
  ),
  includeUsage: z.optional(booleanSetting('ask for the usage chunk on streams')),
  providerType: z.optional(nonEmptyStringSetting('the price table key, e.g. "groq"')),
} satisfies Record<Exclude<keyof OpenAISettings, keyof BaseProviderSettings>, z.ZodMiniType>);
