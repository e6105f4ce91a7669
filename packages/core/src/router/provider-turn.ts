import type { ProviderV1 } from '../spec/provider-v1.js';
import type { CircuitPermit } from './circuit-breaker.js';
import type { ProviderState, RouterRuntime } from './router-runtime.js';

/**
 * One provider's turn in a routed request (its first try and its retries): the provider, a reference to
 * *that* provider's state taken when the turn starts (providers can be replaced while requests run, and a
 * late failure must land on the state it started with), and the breaker permit the turn ends with.
 */
export interface ProviderTurn {
  readonly provider: ProviderV1;
  readonly state: ProviderState;
  readonly permit: CircuitPermit | undefined;
}

/** Starts a turn, or returns undefined when the provider's circuit keeps it out now. */
export function startTurn(runtime: RouterRuntime, provider: ProviderV1): ProviderTurn | undefined {
  const state = runtime.stateFor(provider);
  const permit = state.breaker?.acquire();
  if (state.breaker && !permit) return undefined;
  return { provider, state, permit };
}

/** The turn's single verdict on the provider; caller faults leave health and circuit untouched. */
export function endTurn(turn: ProviderTurn, verdict: 'success' | 'provider-fault' | 'caller-fault'): void {
  if (verdict === 'success') turn.permit?.success();
  else if (verdict === 'provider-fault') turn.permit?.failure();
  else turn.permit?.release();
}
