import { LlmoError } from './llmo-error.js';

const marker = 'llmo.error.ModelNotFoundError';
const symbol = Symbol.for(marker);

export interface ModelNotFoundErrorOptions {
  /** The provider's configured name. */
  provider: string;
  /** The model that was asked for. */
  model: string;
  /** The model ids the provider listed. */
  available: readonly string[];
  /** Default: one sentence naming the model, the provider, the closest listed model and the fix. */
  message?: string;
  cause?: unknown;
}

/**
 * A configured model is not among the models its provider lists (`listModels`): found before any request,
 * when validation was asked for (e.g. `createRouterFromConfig(config, { validateModels: true })`).
 */
export class ModelNotFoundError extends LlmoError {
  protected readonly [symbol] = true;
  readonly provider: string;
  readonly model: string;
  readonly available: readonly string[];

  constructor(options: ModelNotFoundErrorOptions) {
    super({
      name: 'ModelNotFoundError',
      message:
        options.message ??
        `Provider "${options.provider}" does not list the model "${options.model}"; set one of the models it lists (${options.available.length} listed).`,
      cause: options.cause,
    });
    this.provider = options.provider;
    this.model = options.model;
    this.available = options.available;
  }

  static override isInstance(error: unknown): error is ModelNotFoundError {
    return LlmoError.hasMarker(error, marker);
  }
}
