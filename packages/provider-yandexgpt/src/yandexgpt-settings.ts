import {
  type BaseProviderSettings,
  baseProviderSettingsSchema,
  booleanSetting,
  stringSetting,
} from '@llmo/core/provider';
import * as z from '@llmo/core/zod';
import type { YandexGPTSettings } from './yandexgpt-provider.js';

/** The settings `createYandexGPT` accepts; unknown keys are errors. */
export const yandexGPTSettingsSchema = z
  .extend(baseProviderSettingsSchema, {
    folderId: stringSetting('the Yandex Cloud folder id, b1g…'),
    iamToken: z.optional(stringSetting('an IAM token, or a function returning a fresh one')),
    apiKey: z.optional(stringSetting("a service account's API key, or a function returning it")),
    sendFolderHeader: z.optional(booleanSetting('send x-folder-id')),
    disableDataLogging: z.optional(booleanSetting('send x-data-logging-enabled: false')),
  } satisfies Record<Exclude<keyof YandexGPTSettings, keyof BaseProviderSettings>, z.ZodMiniType>)
  .check(
    z.refine((s) => (s.iamToken === undefined) !== (s.apiKey === undefined), {
      error: 'give exactly one of iamToken (Bearer) or apiKey (Api-Key)',
    }),
  );
