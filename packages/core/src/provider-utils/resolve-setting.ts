import { LlmoError } from '../errors/llmo-error.js';

/** A setting given as a value or as a function read at request time (never at import). */
export type Setting<T> = T | (() => T | Promise<T>);

/**
 * Reads a setting when a request is made. Throws a clear error naming the setting and how to provide it
 * when it is missing; the value itself never appears in messages.
 */
export async function resolveSetting<T>(
  setting: Setting<T> | undefined,
  options: { name: string; provider: string; hint?: string },
): Promise<T> {
  const value = typeof setting === 'function' ? await (setting as () => T | Promise<T>)() : setting;
  if (value === undefined || value === null || value === '') {
    throw new LlmoError({
      name: 'LoadSettingError',
      message: `${options.provider}: setting "${options.name}" is missing.${options.hint ? ` ${options.hint}` : ''}`,
    });
  }
  return value;
}
