import {
  type BaseProviderSettings,
  baseProviderSettingsSchema,
  functionSetting,
  httpUrlSetting,
  nonEmptyStringSetting,
  settingError,
  stringSetting,
} from '@llmo/core/provider';
import * as z from '@llmo/core/zod';
import type { BedrockSettings } from './bedrock-provider.js';

const credentialsObject = z.strictObject(
  {
    accessKeyId: nonEmptyStringSetting('the access key id, e.g. your AWS_ACCESS_KEY_ID'),
    secretAccessKey: nonEmptyStringSetting('the secret access key, e.g. your AWS_SECRET_ACCESS_KEY'),
    sessionToken: z.optional(
      z.string({
        error: settingError('a string (the session token of temporary credentials)', { secret: true }),
      }),
    ),
  },
  { error: settingError('{ accessKeyId, secretAccessKey, sessionToken? }', { secret: true }) },
);

/** The settings `createBedrock` accepts; unknown keys are errors. */
export const bedrockSettingsSchema = z.extend(baseProviderSettingsSchema, {
  // A region is a host label: anything else could point the signed request (and its session token) elsewhere.
  region: z.optional(
    z
      .string({ error: settingError('an AWS region, e.g. "us-east-1"') })
      .check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, { error: settingError('an AWS region, e.g. "us-east-1"') })),
  ),
  credentials: z.optional(
    z.union(
      [
        credentialsObject,
        functionSetting<() => unknown>(
          'a function returning { accessKeyId, secretAccessKey, sessionToken? }',
        ),
      ],
      {
        error: settingError(
          '{ accessKeyId, secretAccessKey, sessionToken? } or a function returning it (read per request)',
          { secret: true },
        ),
      },
    ),
  ),
  apiKey: z.optional(
    stringSetting(
      'a Bedrock API key (e.g. your AWS_BEARER_TOKEN_BEDROCK), or a function returning it; sent as Authorization: Bearer',
    ),
  ),
  controlPlaneURL: z.optional(httpUrlSetting('https://bedrock.us-east-1.amazonaws.com')),
} satisfies Record<Exclude<keyof BedrockSettings, keyof BaseProviderSettings>, z.ZodMiniType>);
