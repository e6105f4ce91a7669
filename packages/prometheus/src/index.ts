// @llmo/prometheus: router metrics for prom-client, a metrics server, and a Grafana dashboard
// (`@llmo/prometheus/grafana-dashboard.json`). Node only.

export {
  CIRCUIT_VALUE,
  HEALTH_VALUE,
  LATENCY_BUCKETS,
  METRICS,
  TTFT_BUCKETS,
} from './metric-names.js';
export { createMetricsHandler } from './metrics-handler.js';
export {
  DEFAULT_METRICS_PORT,
  type MetricsServer,
  type MetricsServerOptions,
  startMetricsServer,
  stopMetricsServer,
} from './metrics-server.js';
export { type RouterMetrics, type RouterMetricsOptions, registerRouterMetrics } from './router-metrics.js';
