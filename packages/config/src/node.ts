// `@llmo/config/node`: the Node-only half: configuration files, process.env, and the JSONL cost log.

export { createRouterFromConfig } from './node/create-router-from-config.js';
export {
  createJsonlUsageSink,
  type JsonlUsageSink,
  type JsonlUsageSinkOptions,
} from './node/jsonl-usage-sink.js';
export { type LoadConfigOptions, loadConfig, overlayPath } from './node/load-config.js';
