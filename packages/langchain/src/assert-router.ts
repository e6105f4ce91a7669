import type { BaseRouter } from '@llmo/core';
import { LlmoError } from '@llmo/core';

/** A model over a router with no providers would fail on every call; say so at construction instead. */
export function assertRouter(router: BaseRouter | undefined, who: string): BaseRouter {
  if (!router || typeof router.getProviders !== 'function') {
    throw new LlmoError({
      name: 'InvalidRouterError',
      message: `${who}: pass { router }, a @llmo/core Router`,
    });
  }
  if (router.getProviders().length === 0) {
    throw new LlmoError({
      name: 'InvalidRouterError',
      message: `${who}: the router has no providers; call router.addProvider(...) before creating the model`,
    });
  }
  return router;
}
