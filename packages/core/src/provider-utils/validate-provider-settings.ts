import { LlmoError } from '../errors/llmo-error.js';

/** The settings every provider factory shares. */
export interface BaseProviderSettings {
  /** Unique within a router. */
  name: string;
  model: string;
  baseURL?: string;
  timeoutMs?: number;
  headers?: Record<string, string>;
}

/**
 * Checks the shared settings when a provider is created, throwing one error that names each bad field and
 * the fix: `createOpenAI: invalid settings: name must be a non-empty string (it identifies the provider …)`.
 */
export function validateProviderSettings(settings: BaseProviderSettings | undefined, factory: string): void {
  const problems: string[] = [];
  if (!settings || typeof settings !== 'object') {
    throw new LlmoError({
      name: 'InvalidSettingsError',
      message: `${factory}: pass a settings object, e.g. ${factory}({ name, model, … })`,
    });
  }
  if (typeof settings.name !== 'string' || settings.name.trim() === '') {
    problems.push(
      'name must be a non-empty string (it identifies the provider in a router, e.g. "openai-main")',
    );
  }
  if (typeof settings.model !== 'string' || settings.model.trim() === '') {
    problems.push('model must be a non-empty string (the model to call, e.g. "gpt-4o-mini")');
  }
  if (settings.baseURL !== undefined) {
    let valid = false;
    try {
      valid = /^https?:$/.test(new URL(settings.baseURL).protocol);
    } catch {
      valid = false;
    }
    if (!valid) problems.push(`baseURL must be an http(s) URL, got ${JSON.stringify(settings.baseURL)}`);
  }
  if (
    settings.timeoutMs !== undefined &&
    !(typeof settings.timeoutMs === 'number' && settings.timeoutMs > 0)
  ) {
    problems.push('timeoutMs must be a number of milliseconds > 0');
  }
  if (settings.headers !== undefined && (typeof settings.headers !== 'object' || settings.headers === null)) {
    problems.push('headers must be an object of header names to string values');
  }
  if (problems.length > 0) {
    throw new LlmoError({
      name: 'InvalidSettingsError',
      message: `${factory}: invalid settings:\n  - ${problems.join('\n  - ')}`,
    });
  }
}
