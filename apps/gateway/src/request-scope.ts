import {
  type BaseRouter,
  estimatePromptTokens,
  estimateTokens,
  type Prompt,
  type RouteOptions,
  type RouteResult,
  type RouteStream,
} from '@llmo/core';
import type { ApiKeyEntry } from './api-keys.js';
import type { GatewayHttpError } from './gateway-http-error.js';
import type { GatewaySettings } from './gateway-settings.js';
import type { GatewayStats } from './gateway-stats.js';
import type { TokenHold } from './key-limits.js';
import type { RequestLogger, RequestLogLine } from './request-logger.js';
import { toHttpError } from './to-http-error.js';

export interface ScopeDeps {
  router: BaseRouter;
  stats: GatewayStats;
  logger: RequestLogger | undefined;
  now: () => number;
}

/**
 * One HTTP request: its id, key, settings snapshot and log line. Handlers route through it so that every
 * chat request carries its tenant into the usage records, is charged to its key's token limit, counted in
 * /stats, and logged exactly once (a stream when it ends, however it ends).
 */
export class RequestScope {
  readonly line: RequestLogLine;
  /** Set by a handler whose response outlives it (a stream): the line is written when the stream ends. */
  deferred = false;
  private logged = false;
  private counted = false;
  private charged = false;
  /** The prompt's tokens held in the key's tpm window while the request runs (see `holdPrompt`). */
  private hold: Promise<TokenHold | undefined> | undefined;
  private readonly started: number;
  /** Set when the gateway's shutdown aborted this request: the error it answers with. */
  shutdown: GatewayHttpError | undefined;
  /** Called once, after the log line is written (the gateway's in-flight count). */
  onFinish: (() => void) | undefined;
  private currentKey: ApiKeyEntry | undefined;

  constructor(
    private readonly deps: ScopeDeps,
    readonly id: string,
    readonly settings: GatewaySettings,
    key: ApiKeyEntry | undefined,
    readonly signal: AbortSignal,
    method: string,
    path: string,
  ) {
    this.started = deps.now();
    this.line = { request_id: id, method, path, status: 0, latency_ms: 0 };
    if (key) this.setKey(key);
  }

  get key(): ApiKeyEntry | undefined {
    return this.currentKey;
  }

  setKey(key: ApiKeyEntry): void {
    this.currentKey = key;
    this.line.tenant = key.tenant;
    this.line.key = key.id;
  }

  get router(): BaseRouter {
    return this.deps.router;
  }

  stats() {
    return this.deps.stats.snapshot(this.deps.router);
  }

  elapsedMs(): number {
    return Math.round((this.deps.now() - this.started) * 100) / 100;
  }

  /** Options every routed call of this request carries: tenant, key id, client signal, request deadline. */
  routeOptions(extra: RouteOptions = {}, signal: AbortSignal = this.signal): RouteOptions {
    const options: RouteOptions = { ...extra, signal };
    if (this.key) {
      options.tenantId = this.key.tenant;
      options.platformKeyId = this.key.id;
    }
    const deadline = this.settings.gateway.limits.requestTimeoutMs;
    if (deadline !== undefined && options.deadlineMs === undefined) options.deadlineMs = deadline;
    return options;
  }

  /** Records a successful answer in the log line, the key's token window and the stats. */
  succeeded(result: RouteResult, streaming: boolean): void {
    const l = this.line;
    l.provider = result.provider;
    l.model = result.model;
    l.streaming = streaming;
    l.prompt_tokens = result.usage.promptTokens;
    l.completion_tokens = result.usage.completionTokens;
    l.total_tokens = result.usage.totalTokens;
    l.cost = result.cost.amount;
    l.currency = result.cost.currency;
    l.attempts = result.attempts.length;
    this.charge(result.usage.totalTokens);
    this.count(true, { amount: result.cost.amount, currency: result.cost.currency }, result.usage);
  }

  /**
   * Charges the key's token window once per request: the answer's usage when it succeeded, else what the
   * caller knows or estimates of a stream that was abandoned or broke (its output was produced all the same).
   */
  charge(tokens: number): void {
    if (this.charged) return;
    this.charged = true;
    const key = this.key;
    if (!key) return;
    const limits = this.settings.limits;
    // After the hold has landed, so that it is settled against what was used, never counted twice.
    void (this.hold ?? Promise.resolve(undefined))
      .then((hold) => limits.charge(key, tokens, hold))
      .catch(() => {});
  }

  /**
   * Holds the prompt's estimated tokens in the key's tpm window while the request runs (once per request), so
   * a key's concurrent requests see each other's prompts when admitted; `charge` settles the hold to what the
   * request used, and a request that ends without an answer gives it back (`finish`).
   */
  holdPrompt(prompt: Prompt): void {
    const key = this.key;
    if (this.hold || !key || key.tpm === undefined) return;
    const tokens = typeof prompt === 'string' ? estimateTokens(prompt) : estimatePromptTokens(prompt);
    this.hold = this.settings.limits.hold(key, tokens).catch(() => undefined);
  }

  /** Records a failure (its kind) in the log line and the stats. */
  failed(error: unknown, streaming: boolean): void {
    const http = this.shutdown ?? toHttpError(error);
    this.line.error_kind = http.kind;
    this.line.streaming = streaming;
    const details = error as { attempts?: { provider: string; model: string }[]; provider?: unknown };
    if (Array.isArray(details.attempts)) {
      this.line.attempts = details.attempts.length;
      const last = details.attempts.at(-1);
      if (last) {
        this.line.provider = last.provider;
        this.line.model = last.model;
      }
    }
    if (typeof details.provider === 'string') this.line.provider = details.provider;
    this.count(false);
  }

  private count(
    success: boolean,
    cost?: { amount: number; currency: string },
    usage?: RouteResult['usage'],
  ): void {
    if (this.counted) return;
    this.counted = true;
    this.deps.stats.record({ success, latencyMs: this.elapsedMs(), cost, usage });
  }

  /** `route()` with this request's options; the outcome is recorded either way. */
  async route(prompt: Prompt, options: RouteOptions): Promise<RouteResult> {
    this.holdPrompt(prompt);
    try {
      const result = await this.router.route(prompt, this.routeOptions(options));
      this.succeeded(result, false);
      return result;
    } catch (error) {
      this.failed(error, false);
      throw error;
    }
  }

  stream(prompt: Prompt, options: RouteOptions, signal: AbortSignal): RouteStream {
    this.holdPrompt(prompt);
    return this.router.routeStream(prompt, this.routeOptions(options, signal));
  }

  /** Writes the request's one log line (once). */
  finish(status: number): void {
    if (this.logged) return;
    this.logged = true;
    // Ended without charging (no answer, nothing streamed): the prompt's hold goes back to the key's window.
    if (this.hold && !this.charged) this.charge(0);
    this.line.status = status;
    this.line.latency_ms = this.elapsedMs();
    try {
      const logger = this.deps.logger;
      if (!logger) return;
      // A failure can answer 200 (a stream that broke after its headers, /chat/fallback's default message):
      // the error kind, not only the status, makes it a failure.
      const kind = this.line.error_kind;
      if (status >= 500 || (status < 400 && kind !== undefined && kind !== 'cancelled')) {
        logger.error(this.line, 'request_failed');
      } else if (status >= 400 || kind !== undefined) logger.warn(this.line, 'request_failed');
      else logger.info(this.line, 'request_completed');
    } finally {
      this.onFinish?.();
    }
  }
}
