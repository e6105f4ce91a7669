import type { RequestScope } from './request-scope.js';

/** Hono's typed context for the gateway's handlers. */
export interface GatewayEnv {
  Variables: { scope: RequestScope };
}
