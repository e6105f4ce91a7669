// @llmo/dashboard: a live dashboard for the llmo router, as a Hono app any server mounts. Web-standard only.

export { authorizeKey, type DashboardAuthorizer } from './authorize-key.js';
export type { DashboardCollectorOptions } from './collector-options.js';
export { createDashboard, type Dashboard, type DashboardOptions } from './create-dashboard.js';
export { DashboardCollector, type SnapshotSubscriber } from './dashboard-collector.js';
export type {
  DashboardAttempt,
  DashboardProvider,
  DashboardRequest,
  DashboardSeries,
  DashboardSnapshot,
  ProviderSeries,
} from './dashboard-snapshot.js';
