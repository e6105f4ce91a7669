import {
  type BaseProviderSettings,
  baseProviderSettingsSchema,
  nonEmptyStringSetting,
  settingError,
  stringSetting,
} from '@llmo/core/provider';
import * as z from '@llmo/core/zod';
import type { GeminiSettings } from './gemini-provider.js';

/** The `safetySettings` setting: `{ category, threshold }` pairs sent with every request. */
export const safetySettingsSchema = z.array(
  z.strictObject({
    category: nonEmptyStringSetting('a harm category, e.g. "HARM_CATEGORY_HARASSMENT"'),
    threshold: nonEmptyStringSetting('a threshold, e.g. "BLOCK_ONLY_HIGH"'),
  }),
  { error: settingError('an array of { category, threshold } (sent as safetySettings)') },
);

/** The settings `createGemini` accepts; unknown keys are errors. */
export const geminiSettingsSchema = z.extend(baseProviderSettingsSchema, {
  apiKey: z.optional(
    stringSetting('e.g. your GEMINI_API_KEY, or a function returning it; sent as x-goog-api-key'),
  ),
  apiVersion: z.optional(nonEmptyStringSetting('the API version in the path, e.g. "v1beta" or "v1"')),
  embeddingModel: z.optional(
    nonEmptyStringSetting('the model provider.embed() calls, e.g. "gemini-embedding-001"'),
  ),
  safetySettings: z.optional(safetySettingsSchema),
} satisfies Record<Exclude<keyof GeminiSettings, keyof BaseProviderSettings>, z.ZodMiniType>);
