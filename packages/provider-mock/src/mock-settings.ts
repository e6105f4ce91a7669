import {
  baseProviderSettingsSchema,
  booleanSetting,
  functionSetting,
  integerSetting,
  nonEmptyStringSetting,
  numberSetting,
  settingError,
} from '@llmo/core/provider';
import * as z from '@llmo/core/zod';
import type { MockProviderSettings } from './mock-provider.js';

const ms = (what: string) => numberSetting(`milliseconds: ${what}`, 0);

/**
 * The settings `createMockProvider` accepts; unknown keys are errors. Of the shared settings the mock takes
 * `name`, `model` (optional: it picks the mode), `pricing` and `capabilities`; it has no endpoint, so
 * `baseURL`, `headers`, `fetch` and `timeoutMs` are not settings of it.
 */
export const mockSettingsSchema = z.extend(
  z.pick(baseProviderSettingsSchema, { name: true, pricing: true, capabilities: true }),
  {
    model: z.optional(nonEmptyStringSetting('picks the mode, e.g. "mock-normal" or "mock-flaky"')),
    latencyMs: z.optional(ms('delay before answering')),
    chunkDelayMs: z.optional(ms('delay between streamed words')),
    seed: z.optional(z.int({ error: settingError("an integer (seeds mock-flaky's failures)") })),
    failureRate: z.optional(numberSetting('probability that a mock-flaky call fails', 0, 1)),
    breakAfterChunks: z.optional(integerSetting('words mock-stream-break streams before failing')),
    retryAfterMs: z.optional(ms('Retry-After that mock-ratelimit reports')),
    response: z.optional(
      z.union([z.string(), functionSetting<(...args: never[]) => unknown>('(request) => string')], {
        error: settingError('a string or a function (request) => string'),
      }),
    ),
    reportUsage: z.optional(booleanSetting('report token usage')),
  } satisfies Record<Exclude<keyof MockProviderSettings, 'name' | 'pricing' | 'capabilities'>, z.ZodMiniType>,
);
