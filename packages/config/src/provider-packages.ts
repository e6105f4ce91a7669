import type { ProviderV1 } from '@llmo/core';

/** A provider factory as every provider package exports one: settings in, a provider out. */
export type ProviderFactory = (settings: never) => ProviderV1;

/**
 * The one table from a configuration's `type` to the package and the factory that build it. Packages are
 * loaded with `import()` when a configuration uses them, so an application installs only the providers it
 * configures.
 */
export const PROVIDER_PACKAGES = {
  openai: { package: '@llmo/provider-openai', factory: 'createOpenAI' },
  anthropic: { package: '@llmo/provider-anthropic', factory: 'createAnthropic' },
  gemini: { package: '@llmo/provider-gemini', factory: 'createGemini' },
  gigachat: { package: '@llmo/provider-gigachat', factory: 'createGigaChat' },
  yandexgpt: { package: '@llmo/provider-yandexgpt', factory: 'createYandexGPT' },
  ollama: { package: '@llmo/provider-ollama', factory: 'createOllama' },
  mock: { package: '@llmo/provider-mock', factory: 'createMockProvider' },
  bedrock: { package: '@llmo/provider-bedrock', factory: 'createBedrock' },
  vertex: { package: '@llmo/provider-vertex', factory: 'createVertex' },
} as const satisfies Record<string, { package: string; factory: string }>;

/** A provider `type` a configuration can name. */
export type ProviderType = keyof typeof PROVIDER_PACKAGES;

export const PROVIDER_TYPES = Object.keys(PROVIDER_PACKAGES) as ProviderType[];

/** Loads a module by name; `import()` by default. Injected in tests and by bundlers' users. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

/**
 * `import()` with a specifier the bundler cannot see: a bundle of this package must not try to include every
 * provider (most are not installed). Edge and bundled apps pass `factories` to `createRouterFromConfig`.
 */
export const importModule: ModuleImporter = (specifier) =>
  import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);

/** Why a provider package could not be used: not installed, or installed without the expected factory. */
export class ProviderPackageProblem {
  constructor(
    readonly message: string,
    readonly cause?: unknown,
  ) {}
}

/** The factory for `type`, loaded from its package, or a problem that names the package to install. */
export async function loadProviderFactory(
  type: ProviderType,
  importer: ModuleImporter = importModule,
  table: Readonly<Record<string, { package: string; factory: string }>> = PROVIDER_PACKAGES,
): Promise<ProviderFactory | ProviderPackageProblem> {
  const entry = table[type];
  if (!entry) return new ProviderPackageProblem(`no package is known for type "${type}"`);
  let module: unknown;
  try {
    module = await importer(entry.package);
  } catch (error) {
    if (isNotFound(error, entry.package)) {
      return new ProviderPackageProblem(
        `type "${type}" needs the package ${entry.package}, which is not installed. Install it: npm install ${entry.package}`,
        error,
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    return new ProviderPackageProblem(
      `type "${type}": ${entry.package} is installed but failed to load (${reason}). Reinstall it, or check its dependencies.`,
      error,
    );
  }
  const factory = (module as Record<string, unknown> | null)?.[entry.factory];
  if (typeof factory !== 'function') {
    return new ProviderPackageProblem(
      `type "${type}": the installed ${entry.package} has no ${entry.factory} export. Upgrade it: npm install ${entry.package}@latest`,
    );
  }
  return factory as ProviderFactory;
}

/** Whether `error` says that `specifier` itself (not one of its own imports) could not be found. */
function isNotFound(error: unknown, specifier: string): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : '';
  const code = typeof e?.code === 'string' ? e.code : '';
  const named = message.includes(`'${specifier}'`) || message.includes(`"${specifier}"`);
  return (
    named &&
    (code === 'ERR_MODULE_NOT_FOUND' ||
      code === 'MODULE_NOT_FOUND' ||
      /Cannot find (package|module)|Failed to (load|resolve)|Could not resolve/i.test(message))
  );
}
