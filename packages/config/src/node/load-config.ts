import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from '../config-error.js';
import type { LlmoConfig } from '../config-types.js';
import { type ConfigOverlay, type ConfigSource, parseConfig } from '../parse-config.js';
import type { ConfigEnv } from '../substitute-env.js';

export interface LoadConfigOptions {
  /** Where `${VAR}` is read from. Default `process.env`. */
  env?: ConfigEnv;
  /**
   * The environment whose overlay is laid over the file: `production` reads `llmo.production.yaml` beside
   * `llmo.yaml`. Default: the value of `environmentVariable`; none when that is unset or empty.
   */
  environment?: string;
  /** The variable that names the environment. Default `LLMO_ENV`. */
  environmentVariable?: string;
}

/** The overlay file for an environment: `dir/llmo.yaml` + `production` → `dir/llmo.production.yaml`. */
export function overlayPath(path: string, environment: string): string {
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)}.${environment}${ext}`);
}

/**
 * Loads a configuration file (or object) in Node: reads the YAML file, lays the environment's overlay over
 * it (`llmo.<env>.yaml`, chosen by `LLMO_ENV`), replaces `${VAR}` from `process.env`, validates, and resolves
 * `usage.costLog` and `gateway.logs.dir` against the file's directory. Throws one `ConfigError` listing every
 * problem with its file and line.
 *
 * @example
 * const config = await loadConfig('llmo.yaml'); // + llmo.production.yaml when LLMO_ENV=production
 */
export async function loadConfig(
  source: string | ConfigSource,
  options: LoadConfigOptions = {},
): Promise<LlmoConfig> {
  const env = options.env ?? process.env;
  const variable = options.environmentVariable ?? 'LLMO_ENV';
  const environment = options.environment ?? (env[variable] || undefined);
  if (typeof source !== 'string') return parseConfig(source, { env });
  if (environment !== undefined && !/^[A-Za-z0-9_-]+$/.test(environment)) {
    throw new ConfigError({
      issues: [
        {
          path: '',
          message: `the environment name (${variable}) may hold only letters, digits, "-" and "_"; it names the overlay file llmo.<environment>.yaml`,
        },
      ],
    });
  }
  const path = resolve(source);
  const text = await readText(path, `the configuration file ${source}`, 'check the path');
  const overlays: ConfigOverlay[] = [];
  if (environment !== undefined) {
    const overlay = overlayPath(path, environment);
    overlays.push({
      source: await readText(
        overlay,
        `the overlay for ${variable}=${environment}, ${basename(overlay)}`,
        `create it beside ${basename(path)}, or unset ${variable}`,
      ),
      file: basename(overlay),
    });
  }
  const config = parseConfig(text, { env, file: basename(path), overlays });
  const base = dirname(path);
  const within = (p: string) => (isAbsolute(p) ? p : join(base, p));
  if (config.usage?.costLog !== undefined) config.usage.costLog = within(config.usage.costLog);
  if (config.gateway?.logs?.dir !== undefined) config.gateway.logs.dir = within(config.gateway.logs.dir);
  return config;
}

async function readText(path: string, what: string, fix: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`;
    throw new ConfigError({
      issues: [
        {
          path: '',
          file: path,
          message: `${what} ${reason}: ${code === 'ENOENT' ? fix : 'check its permissions'}`,
        },
      ],
      cause: error,
    });
  }
}
