import type { FinishReason, Prompt, RouteOptions, ToolCall } from '@llmo/core';
import { type Context, createContextKey } from '@opentelemetry/api';

/** What only the caller's side of a request knows: the prompt, its settings, and how the answer finished. */
export interface CallOutcome {
  finishReason: FinishReason;
  responseModel?: string;
  responseId?: string;
  text: string;
  toolCalls: readonly ToolCall[];
}

/**
 * One `route()` / `routeStream()` call, carried in the OpenTelemetry context from the call into the router's
 * `route-start` event (router events carry no prompt, settings or finish reason: see the README). The request
 * trace attaches itself here; the outcome arrives when the call resolves or the stream yields `finish`.
 */
export class TracedCall {
  /** Set by the request trace at `route-start`. */
  onOutcome: ((outcome: CallOutcome | undefined) => void) | undefined;
  #settled = false;

  constructor(
    readonly prompt: Prompt,
    readonly options: RouteOptions,
    /** The caller's context when it called: the request span's parent. */
    readonly parent: Context,
  ) {}

  /** The call is over: with how it finished, or undefined when it failed (the events say how). */
  settle(outcome: CallOutcome | undefined): void {
    if (this.#settled) return;
    this.#settled = true;
    this.onOutcome?.(outcome);
  }

  get settled(): boolean {
    return this.#settled;
  }
}

export const TRACED_CALL = createContextKey('@llmo/otel traced call');
