import {
  type BaseProviderSettings,
  baseProviderSettingsSchema,
  httpUrlSetting,
  numberSetting,
  settingError,
  stringSetting,
} from '@llmo/core/provider';
import * as z from '@llmo/core/zod';
import type { GigaChatSettings } from './gigachat-provider.js';

/** The settings `createGigaChat` accepts; unknown keys are errors. */
export const gigaChatSettingsSchema = z
  .extend(baseProviderSettingsSchema, {
    credentials: z.optional(
      stringSetting('the authorization key, base64 of ClientID:ClientSecret, or a function returning it'),
    ),
    accessToken: z.optional(stringSetting('a ready access token, or a function returning one')),
    scope: z.optional(
      z.enum(['GIGACHAT_API_PERS', 'GIGACHAT_API_B2B', 'GIGACHAT_API_CORP'], {
        error: settingError('"GIGACHAT_API_PERS", "GIGACHAT_API_B2B" or "GIGACHAT_API_CORP"'),
      }),
    ),
    authURL: z.optional(httpUrlSetting('https://ngw.devices.sberbank.ru:9443/api/v2/oauth')),
    tokenMarginMs: z.optional(numberSetting('milliseconds before expiry to refresh the token', 0)),
  } satisfies Record<Exclude<keyof GigaChatSettings, keyof BaseProviderSettings>, z.ZodMiniType>)
  .check(
    z.refine((s) => s.credentials === undefined || s.accessToken === undefined, {
      error:
        'give either credentials (OAuth, tokens fetched and refreshed) or accessToken (a ready token), not both',
    }),
  );
