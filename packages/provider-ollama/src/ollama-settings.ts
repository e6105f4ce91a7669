import {
  type BaseProviderSettings,
  baseProviderSettingsSchema,
  integerSetting,
  numberSetting,
  settingError,
  stringSetting,
} from '@llmo/core/provider';
import * as z from '@llmo/core/zod';
import type { OllamaSettings } from './ollama-provider.js';

/** A Go duration as Ollama parses `keep_alive` strings: `"5m"`, `"1h30m"`, `"-1s"`, `"0"`. */
const GO_DURATION = /^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/;

const keepAliveText =
  'a duration string such as "5m" or "1h", or a number of seconds (0 unloads at once, negative keeps the model loaded)';

/** The settings `createOllama` accepts; unknown keys are errors. */
export const ollamaSettingsSchema = z.extend(baseProviderSettingsSchema, {
  apiKey: z.optional(stringSetting("only for Ollama's cloud API: your key, or a function returning it")),
  keepAlive: z.optional(
    z.union(
      [
        z.string().check(z.regex(GO_DURATION, { error: settingError(keepAliveText) })),
        z.number().check(z.refine(Number.isFinite, { error: settingError(keepAliveText) })),
      ],
      { error: settingError(keepAliveText) },
    ),
  ),
  // Model options are Ollama's to define (num_ctx, top_k, repeat_penalty…); the ones the contract also has
  // are checked here, since a request's own value replaces them only when the request sets it.
  options: z.optional(
    z.looseObject(
      {
        temperature: z.optional(numberSetting('sampling temperature', 0)),
        top_p: z.optional(numberSetting('nucleus sampling', 0, 1)),
        num_predict: z.optional(integerSetting('tokens to generate; -1 for no limit', -1)),
        seed: z.optional(z.int({ error: settingError('an integer (random seed)') })),
        stop: z.optional(z.array(z.string(), { error: settingError('an array of strings') })),
      },
      { error: settingError('an object of model options, e.g. { num_ctx: 8192 }') },
    ),
  ),
} satisfies Record<Exclude<keyof OllamaSettings, keyof BaseProviderSettings>, z.ZodMiniType>);
