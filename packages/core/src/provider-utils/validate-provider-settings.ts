import type * as z from 'zod/mini';
import { LlmoError } from '../errors/llmo-error.js';
import { formatSettingsIssues } from './format-settings-issues.js';
import { looseBaseProviderSettingsSchema } from './provider-settings-schema.js';

export type { BaseProviderSettings } from './provider-settings-schema.js';

/**
 * Checks a provider factory's settings when the provider is created, throwing one `LlmoError` named
 * `InvalidSettingsError` that names each bad field and the fix:
 *
 * ```text
 * createOpenAI: invalid settings:
 *   - apiKy is not a setting; did you mean apiKey?
 *   - timeoutMs must be a number of milliseconds > 0 …; got -1
 * ```
 *
 * Give the provider's own `schema` (its strict settings object, usually `z.extend(baseProviderSettingsSchema,
 * {…})`) to reject unknown keys and check every field. Without one only the shared fields (`name`, `model`,
 * `baseURL`, `timeoutMs`, `headers`, `fetch`, `pricing`, `capabilities`) are checked and other keys pass,
 * since the validator cannot know them. Values never appear in the message, only their types (and numbers).
 */
export function validateProviderSettings(
  settings: unknown,
  factory: string,
  schema: z.ZodMiniType = looseBaseProviderSettingsSchema,
): void {
  if (!settings || typeof settings !== 'object' || Array.isArray(settings)) {
    throw new LlmoError({
      name: 'InvalidSettingsError',
      message: `${factory}: pass a settings object, e.g. ${factory}({ name, model, … })`,
    });
  }
  // reportInput: the formatter describes a bad value by its type (never echoing strings) when zod's own
  // message is the generic one.
  const parsed = schema.safeParse(settings, { reportInput: true });
  if (parsed.success) return;
  const problems = formatSettingsIssues(parsed.error.issues, schema, factory);
  throw new LlmoError({
    name: 'InvalidSettingsError',
    message: `${factory}: invalid settings:\n  - ${problems.join('\n  - ')}`,
  });
}
