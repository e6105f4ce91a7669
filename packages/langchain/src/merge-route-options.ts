import type { RouteOptions } from '@llmo/core';

/**
 * The router's options for one LangChain call: the model's defaults, then the call's `route` hints, then
 * LangChain's own `signal` and `stop` (which win, since LangChain sets them for the run).
 */
export function mergeRouteOptions(
  defaults: RouteOptions,
  call: { route?: RouteOptions; signal?: AbortSignal; stop?: string[] },
): RouteOptions {
  const route: RouteOptions = { ...defaults, ...call.route };
  if (call.signal) route.signal = call.signal;
  if (call.stop?.length) route.stop = call.stop;
  return route;
}
