import { Router, RouterError } from '@llmo/core';
import { checkConfig } from './check-config.js';
import { ConfigError, type ConfigIssue, inSourceOrder } from './config-error.js';
import { configSchema } from './config-schema.js';
import type { LlmoConfig } from './config-types.js';
import { formatPath } from './format-path.js';
import { locateIssues, type PathIssue, unknownKeyMessage, zodIssues } from './locate-issues.js';
import { mergeConfig } from './merge-config.js';
import { isPlainObject, readObject } from './read-object.js';
import { type ReadDocument, readYaml } from './read-yaml.js';
import {
  configPathOfRouterOption,
  ROUTER_KEYS_ELSEWHERE,
  routerOptionsFromConfig,
} from './router-options-from-config.js';
import type { SourceLocations } from './source-locations.js';
import type { ConfigEnv } from './substitute-env.js';

/** A configuration: YAML text, or an object of the same shape. */
export type ConfigSource = string | Record<string, unknown>;

/** A source laid over the main one, with the name its errors show. */
export interface ConfigOverlay {
  source: ConfigSource;
  /** e.g. `llmo.production.yaml`. */
  file?: string;
}

export interface ParseConfigOptions {
  /** Where `${VAR}` is read from. Default: an empty environment (the Node entry's `loadConfig` uses process.env). */
  env?: ConfigEnv;
  /** The name errors show for the main source, e.g. `llmo.yaml`. */
  file?: string;
  /** Sources laid over the main one, in order (see the README for the merge rules). */
  overlays?: readonly ConfigOverlay[];
}

const SOURCE = Symbol.for('llmo.config.source');

/** Where each value of a parsed configuration was written (for errors found later); undefined for others. */
export function configLocations(config: LlmoConfig): SourceLocations | undefined {
  return (config as unknown as Record<symbol, SourceLocations | undefined>)[SOURCE];
}

/**
 * Reads, resolves and validates a configuration: YAML text (or an object), `${VAR}` / `${VAR:-default}`
 * replaced from `options.env`, overlays merged, then checked as a whole. Throws one `ConfigError` listing
 * every problem, each with its path, file and line, and the fix; returns the typed configuration.
 *
 * @example
 * const config = parseConfig(yamlText, { file: 'llmo.yaml', env: { OPENAI_API_KEY: 'sk-…' } });
 */
export function parseConfig(source: ConfigSource, options: ParseConfigOptions = {}): LlmoConfig {
  const env = options.env ?? {};
  const docs = [
    read(source, env, options.file),
    ...(options.overlays ?? []).map((overlay) => read(overlay.source, env, overlay.file)),
  ];
  const broken = docs.filter((doc) => doc.value === undefined && doc.issues.length > 0);
  if (broken.length > 0) throw new ConfigError({ issues: broken.flatMap((doc) => doc.issues) });
  const merged = docs.slice(1).reduce(mergeConfig, docs[0] as ReadDocument);
  const { locations, unresolved } = merged;
  const issues: ConfigIssue[] = [...merged.issues];
  const skip = (issue: PathIssue) => {
    const path = formatPath(issue.path);
    return [...unresolved].some((u) => path === u || path.startsWith(`${u}.`) || path.startsWith(`${u}[`));
  };
  const value = withoutExtensions(merged.value);
  const parsed = configSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    issues.push(
      ...locateIssues(
        zodIssues(parsed.error, configSchema).filter((i) => !skip(i)),
        locations,
      ),
    );
  } else {
    const config = parsed.data as unknown as LlmoConfig;
    issues.push(
      ...locateIssues(
        [...routerIssues(config), ...checkConfig(config)].filter((i) => !skip(i)),
        locations,
      ),
    );
  }
  if (issues.length > 0)
    throw new ConfigError({
      issues: inSourceOrder(
        issues,
        docs.map((doc) => doc.file),
      ),
    });
  const config = value as LlmoConfig;
  Object.defineProperty(config, SOURCE, { value: locations, enumerable: false });
  return config;
}

function read(source: ConfigSource, env: ConfigEnv, file: string | undefined): ReadDocument {
  if (typeof source === 'string') return readYaml(source, env, file);
  if (!isPlainObject(source)) {
    return {
      file,
      value: undefined,
      locations: undefined as never,
      issues: [
        { path: '', file, message: 'a configuration is YAML text or a plain object; got something else' },
      ],
      unresolved: new Set(),
    };
  }
  return readObject(source, env, file);
}

/** Top-level `x-…` keys hold YAML anchors for reuse; they are not configuration. */
function withoutExtensions(value: unknown): unknown {
  if (!isPlainObject(value)) return value ?? {};
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (!key.startsWith('x-')) out[key] = item;
  return out;
}

/** The Router's own validation of `router:` and `usage:`, each problem at the path it came from. */
function routerIssues(config: LlmoConfig): PathIssue[] {
  const issues: PathIssue[] = [];
  for (const key of Object.keys(config.router ?? {})) {
    const where = ROUTER_KEYS_ELSEWHERE[key];
    if (where) issues.push({ path: ['router', key], message: `not a file setting: ${where}` });
  }
  try {
    // Constructing a Router with no providers starts nothing (no timers, no requests): a pure check.
    new Router({ ...routerOptionsFromConfig(config), onWarning: false });
  } catch (error) {
    if (RouterError.isInstance(error) && error.issues) {
      for (const issue of error.issues) {
        const key = String(issue.path[issue.path.length - 1]);
        const message = issue.validKeys
          ? unknownKeyMessage(
              key,
              issue.validKeys.filter((k) => !(k in ROUTER_KEYS_ELSEWHERE)),
              issue.suggestion,
            )
          : issue.message;
        issues.push({ path: configPathOfRouterOption(issue.path), message });
      }
    } else {
      issues.push({ path: ['router'], message: error instanceof Error ? error.message : String(error) });
    }
  }
  return issues;
}
