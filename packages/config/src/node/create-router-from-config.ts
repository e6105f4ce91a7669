import type { Router } from '@llmo/core';
import type { LlmoConfig } from '../config-types.js';
import {
  buildRouter,
  type CreateRouterFromConfigOptions,
  costLogError,
} from '../create-router-from-config.js';
import { configLocations, parseConfig } from '../parse-config.js';
import { createJsonlUsageSink } from './jsonl-usage-sink.js';

/** Deliveries in flight to the cost log at once: each write carries every record waiting, so more is cheap. */
const COST_LOG_CONCURRENCY = 64;

/**
 * `createRouterFromConfig` for Node: the same, plus `usage.costLog`, a JSONL file of usage records (one line
 * each, written through the router's usage queue, so `router.close()` waits for them). A configuration object
 * not yet parsed reads its `${VAR}` from `process.env`.
 *
 * @example
 * const router = await createRouterFromConfig(await loadConfig('llmo.yaml'));
 */
export async function createRouterFromConfig(
  config: LlmoConfig,
  options: CreateRouterFromConfigOptions = {},
): Promise<Router> {
  const parsed = configLocations(config)
    ? config
    : parseConfig(config as never, { env: options.env ?? process.env });
  const costLog = parsed.usage?.costLog;
  if (costLog === undefined) return buildRouter(parsed, options);
  if (options.router?.usageCallback !== undefined) {
    throw costLogError(
      parsed,
      'usage.costLog and a usageCallback given in code cannot both receive usage: remove one (write the file from your callback, or drop it)',
    );
  }
  const sink = createJsonlUsageSink({ path: costLog });
  return buildRouter(parsed, {
    ...options,
    router: {
      ...options.router,
      usageCallback: (record) => sink.write(record),
      usageDelivery: {
        concurrency: COST_LOG_CONCURRENCY,
        ...parsed.usage?.delivery,
        ...options.router?.usageDelivery,
      },
    },
  });
}
