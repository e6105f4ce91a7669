// @llmo/config: one YAML configuration for llmo, validated, and a Router built from it. Edge-safe: this entry
// takes text and objects; reading files, process.env and the JSONL cost log are in `@llmo/config/node`.

export { ConfigError, type ConfigIssue, describeIssueLocation } from './config-error.js';
export type {
  DefaultsConfig,
  FallbackModel,
  GatewayConfig,
  GatewayCorsConfig,
  GatewayKeyConfig,
  GatewayLimitsConfig,
  GatewayLogsConfig,
  LlmoConfig,
  ProviderConfig,
  RouterConfig,
  UsageConfig,
} from './config-types.js';
export { type CreateRouterFromConfigOptions, createRouterFromConfig } from './create-router-from-config.js';
export { defaultRouteOptions } from './default-route-options.js';
export { type ExpandedProvider, expandProviders } from './expand-providers.js';
export { formatPath } from './format-path.js';
export { GATEWAY_DEFAULTS, type ResolvedGatewayConfig, resolveGatewayConfig } from './gateway-defaults.js';
export {
  type ConfigOverlay,
  type ConfigSource,
  configLocations,
  type ParseConfigOptions,
  parseConfig,
} from './parse-config.js';
export { fallbackProviderName, providerGroup } from './provider-group.js';
export {
  loadProviderFactory,
  type ModuleImporter,
  PROVIDER_PACKAGES,
  PROVIDER_TYPES,
  type ProviderFactory,
  ProviderPackageProblem,
  type ProviderType,
} from './provider-packages.js';
export type { SourceLocation, SourceLocations } from './source-locations.js';
export type { ConfigEnv } from './substitute-env.js';
export { isListed } from './validate-models.js';
