import { createStrategy, Router, type RouterOptions, STRATEGY_NAMES } from '@llmo/core';
import type { FetchFunction, ProviderV1 } from '@llmo/core/provider';
import { ConfigError, inSourceOrder } from './config-error.js';
import type { LlmoConfig } from './config-types.js';
import { type ExpandedProvider, expandProviders } from './expand-providers.js';
import { factoryIssues } from './factory-issues.js';
import { fallbackOrder } from './fallback-order.js';
import { locateIssues, type PathIssue } from './locate-issues.js';
import { configLocations, parseConfig } from './parse-config.js';
import {
  importModule,
  loadProviderFactory,
  type ModuleImporter,
  type ProviderFactory,
  ProviderPackageProblem,
  type ProviderType,
} from './provider-packages.js';
import { routerOptionsFromConfig } from './router-options-from-config.js';
import { SourceLocations } from './source-locations.js';
import type { ConfigEnv } from './substitute-env.js';
import { validateModels } from './validate-models.js';

export interface CreateRouterFromConfigOptions {
  /**
   * List each provider's models at start-up and fail with a `ModelNotFoundError` when a configured model is
   * not listed. Providers that cannot list models are skipped with a warning. Default false.
   */
  validateModels?: boolean;
  /** Given to every HTTP provider (tests, proxies, custom TLS) and to the usage HTTP sink. */
  fetch?: FetchFunction;
  /**
   * Factories by type, used instead of importing their packages: for bundled and edge apps, whose bundler
   * must see the imports (`{ openai: createOpenAI }`).
   */
  factories?: Partial<Record<ProviderType, ProviderFactory>>;
  /** Loads provider packages by name. Default: `import()`. */
  importModule?: ModuleImporter;
  /**
   * Router options a file cannot hold (`logger`, `onWarning`, `usageCallback`, a usage `store`…), laid over
   * the configuration's. A strategy object here replaces the configured strategy.
   */
  router?: Partial<RouterOptions>;
  /** For a configuration object that `parseConfig` has not seen: where its `${VAR}` are read from. */
  env?: ConfigEnv;
  /** Cancels the model listing of `validateModels`. */
  signal?: AbortSignal;
}

/**
 * Builds a `Router` from a configuration: each provider from its package by `type` (loaded on demand), each
 * fallback model as a provider of its own tried right after its entry, the router and usage options as
 * configured. Every provider's problems are reported together, at their lines, in one `ConfigError`.
 *
 * @example
 * const router = await createRouterFromConfig(parseConfig(yamlText, { env }), { validateModels: true });
 */
export async function createRouterFromConfig(
  config: LlmoConfig,
  options: CreateRouterFromConfigOptions = {},
): Promise<Router> {
  const parsed = configLocations(config) ? config : parseConfig(config as never, { env: options.env });
  if (parsed.usage?.costLog !== undefined && options.router?.usageCallback === undefined) {
    throw costLogError(
      parsed,
      "a cost log writes a file: import { createRouterFromConfig } from '@llmo/config/node' (the main entry runs anywhere and has no file system)",
    );
  }
  return buildRouter(parsed, options);
}

/** A `ConfigError` at `usage.costLog`, at its line. */
export function costLogError(config: LlmoConfig, message: string): ConfigError {
  return new ConfigError({
    issues: locateIssues(
      [{ path: ['usage', 'costLog'], message }],
      configLocations(config) ?? new SourceLocations(),
    ),
  });
}

/** The router for a parsed configuration (the Node entry calls it with its cost log as `usageCallback`). */
export async function buildRouter(
  config: LlmoConfig,
  options: CreateRouterFromConfigOptions,
): Promise<Router> {
  const locations = configLocations(config) ?? new SourceLocations();
  const expanded = expandProviders(config.providers);
  const { providers, issues } = await createProviders(expanded, config, options);
  if (issues.length > 0) {
    throw new ConfigError({
      title: `Cannot build the router from the configuration (${issues.length} problem${issues.length === 1 ? '' : 's'})`,
      issues: inSourceOrder(locateIssues(issues, locations)),
    });
  }
  const router = new Router(routerOptions(config, expanded, options));
  router.updateProviders(providers);
  if (options.validateModels) {
    try {
      await validateModels(router, expanded, locations, options);
    } catch (error) {
      await router.close({ timeoutMs: 0 });
      throw error;
    }
  }
  return router;
}

function routerOptions(
  config: LlmoConfig,
  expanded: readonly ExpandedProvider[],
  options: CreateRouterFromConfigOptions,
): RouterOptions {
  const base = routerOptionsFromConfig(config);
  const merged: RouterOptions = { ...base, ...options.router };
  if (options.fetch && merged.fetch === undefined) merged.fetch = options.fetch;
  const followers = new Map<string, string[]>();
  for (const p of expanded) {
    if (p.position === 0) continue;
    followers.set(p.group, [...(followers.get(p.group) ?? []), p.name]);
  }
  const name = merged.strategy ?? 'round-robin';
  // An unknown name is left to the Router, whose error names the valid ones.
  if (
    followers.size > 0 &&
    typeof name === 'string' &&
    (STRATEGY_NAMES as readonly string[]).includes(name)
  ) {
    const inner = createStrategy(name, merged.weights);
    merged.strategy = fallbackOrder(inner, followers);
  }
  return merged;
}

async function createProviders(
  expanded: readonly ExpandedProvider[],
  config: LlmoConfig,
  options: CreateRouterFromConfigOptions,
): Promise<{ providers: ProviderV1[]; issues: PathIssue[] }> {
  const issues: PathIssue[] = [];
  const types = [...new Set(expanded.map((p) => p.type))];
  const factories = new Map<ProviderType, ProviderFactory | ProviderPackageProblem>();
  await Promise.all(
    types.map(async (type) => {
      const given = options.factories?.[type];
      factories.set(type, given ?? (await loadProviderFactory(type, options.importModule ?? importModule)));
    }),
  );
  const providers: ProviderV1[] = [];
  const failedEntries = new Set<number>();
  for (const p of expanded) {
    const factory = factories.get(p.type);
    if (factory instanceof ProviderPackageProblem || factory === undefined) {
      if (p.position === 0)
        issues.push({ path: ['providers', p.index, 'type'], message: factory?.message ?? 'no factory' });
      continue;
    }
    const settings =
      options.fetch && p.type !== 'mock' ? { fetch: options.fetch, ...p.settings } : p.settings;
    try {
      providers.push(factory(settings as never));
    } catch (error) {
      if (failedEntries.has(p.index)) continue;
      failedEntries.add(p.index);
      const entry = config.providers[p.index] ?? {};
      issues.push(...factoryIssues(error, ['providers', p.index], Object.keys(entry)));
    }
  }
  return { providers, issues };
}
