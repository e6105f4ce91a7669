import type { ErrorKind } from '../errors/error-kind.js';
import { ProviderError } from '../errors/provider-error.js';

/**
 * A setting given as a value or as a function read at request time (never at import). The function may
 * return `undefined` (`() => process.env.OPENAI_API_KEY` compiles under `--strict`): a missing value is then
 * a clear error when a request is made, not at start-up.
 */
export type Setting<T> = T | (() => T | undefined | Promise<T | undefined>);

/**
 * Reads a setting when a request is made. A missing value is a non-retryable `ProviderError` (kind `auth` by
 * default: a missing key is an authentication failure to the router) naming the setting and how to provide
 * it; the value itself never appears in messages.
 */
export async function resolveSetting<T>(
  setting: Setting<T> | undefined,
  options: { name: string; provider: string; hint?: string; kind?: ErrorKind },
): Promise<T> {
  const value =
    typeof setting === 'function'
      ? await (setting as () => T | undefined | Promise<T | undefined>)()
      : setting;
  if (value === undefined || value === null || value === '') {
    throw new ProviderError({
      kind: options.kind ?? 'auth',
      retryable: false,
      provider: options.provider,
      message: `${options.provider}: setting "${options.name}" is missing.${options.hint ? ` ${options.hint}` : ''}`,
    });
  }
  return value;
}
