import { OrchestratorError } from './orchestrator-error.js';

/** A typed `cancelled` error (not the runtime's bare AbortError) when `signal` has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw new OrchestratorError({
      code: 'cancelled',
      message: 'the request was aborted',
      cause: signal.reason,
    });
}
