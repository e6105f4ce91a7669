import {
  type BaseProviderSettings,
  baseProviderSettingsSchema,
  functionSetting,
  integerSetting,
  nonEmptyStringSetting,
  settingError,
  stringSetting,
} from '@llmo/core/provider';
import * as z from '@llmo/core/zod';
import { safetySettingsSchema } from '@llmo/provider-gemini/protocol';
import type { VertexSettings } from './vertex-provider.js';

const serviceAccountSetting = z.union(
  [
    z.string(),
    z.looseObject({ client_email: z.string(), private_key: z.string() }),
    functionSetting<() => unknown>('returning the key'),
  ],
  {
    error: settingError(
      'a service-account key (the JSON text or the parsed object with client_email and private_key), or a function returning one',
      { secret: true },
    ),
  },
);

/** The settings `createVertex` accepts; unknown keys are errors. */
export const vertexSettingsSchema = z.extend(baseProviderSettingsSchema, {
  project: z.optional(nonEmptyStringSetting('the Google Cloud project id, e.g. "my-project"')),
  location: z.optional(
    z.string({ error: settingError('a location: a region ("us-central1"), "global", "us" or "eu"') }).check(
      z.regex(/^[a-z0-9-]+$/, {
        error: settingError('a location: a region ("us-central1"), "global", "us" or "eu"'),
      }),
    ),
  ),
  apiVersion: z.optional(nonEmptyStringSetting('the API version in the path, "v1" or "v1beta1"')),
  family: z.optional(
    z.enum(['gemini', 'claude'], { error: settingError('"gemini" or "claude" (the model family)') }),
  ),
  serviceAccount: z.optional(serviceAccountSetting),
  accessToken: z.optional(
    stringSetting(
      'an OAuth access token, or a function returning a fresh one; sent as Authorization: Bearer',
    ),
  ),
  apiKey: z.optional(stringSetting('a Vertex AI express-mode API key; sent as x-goog-api-key')),
  tokenRefreshMarginMs: z.optional(integerSetting('refresh a cached token this long before it expires')),
  betas: z.optional(
    z.array(nonEmptyStringSetting('a beta name, sent in anthropic-beta'), {
      error: settingError('an array of beta names (sent as anthropic-beta, Claude only)'),
    }),
  ),
  defaultMaxTokens: z.optional(integerSetting('max_tokens when a request sets no maxTokens (Claude)', 1)),
  // Gemini only; the same schema as createGemini's.
  safetySettings: z.optional(safetySettingsSchema),
} satisfies Record<Exclude<keyof VertexSettings, keyof BaseProviderSettings>, z.ZodMiniType>);
