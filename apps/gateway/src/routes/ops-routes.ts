import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { BaseRouter } from '@llmo/core';
import type { GatewayEnv } from '../gateway-env.js';

/** Something that renders the metrics page: `@llmo/prometheus`'s registry in the Node entry. */
export interface MetricsSource {
  contentType: string;
  metrics(): Promise<string> | string;
}

const readySchema = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    providers: z.array(z.object({ name: z.string(), health: z.string(), circuit: z.string() })),
  })
  .openapi('Readiness');

/** A provider can take traffic unless its health is `unhealthy` or its circuit is open. */
export function readiness(router: BaseRouter) {
  const metrics = router.getMetrics();
  const providers = router.getProviders().map((p) => ({
    name: p.name,
    health: metrics[p.name]?.health ?? 'healthy',
    circuit: metrics[p.name]?.circuit ?? 'closed',
  }));
  const ready = providers.some((p) => p.health !== 'unhealthy' && p.circuit !== 'open');
  return { status: ready ? ('ready' as const) : ('not_ready' as const), providers };
}

export function registerOpsRoutes(
  app: OpenAPIHono<GatewayEnv>,
  router: BaseRouter,
  metrics: MetricsSource | undefined,
): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/health',
      tags: ['Operations'],
      summary: 'Liveness: the process answers',
      responses: {
        200: {
          description: 'Alive',
          content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
        },
      },
    }),
    (c) => c.json({ status: 'ok' as const }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/health/ready',
      tags: ['Operations'],
      summary: 'Readiness: configuration loaded and at least one provider not unhealthy',
      responses: {
        200: { description: 'Ready', content: { 'application/json': { schema: readySchema } } },
        503: { description: 'Not ready', content: { 'application/json': { schema: readySchema } } },
      },
    }),
    (c) => {
      const r = readiness(router);
      return r.status === 'ready' ? c.json(r, 200) : c.json(r, 503);
    },
  );

  app.get('/metrics', async (c) => {
    if (!metrics) return c.text('metrics are not configured for this gateway\n', 404);
    return c.body(await metrics.metrics(), 200, { 'content-type': metrics.contentType });
  });
}
