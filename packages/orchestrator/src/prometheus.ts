// @llmo/orchestrator/prometheus: per-task metrics in prom-client (an optional peer; Node). Kept out of the main
// entry so edge bundles never carry it.
export {
  ORCHESTRATOR_METRICS,
  type OrchestratorMetricsOptions,
  registerOrchestratorMetrics,
} from './prometheus/orchestrator-metrics.js';
