import { RouterError } from '../errors/router-error.js';
import type { ModelInfo, ProviderV1 } from '../spec/provider-v1.js';

/** Options of `router.listModels()`. */
export interface ListModelsOptions {
  /** Ask the provider again instead of answering from the cache. */
  refresh?: boolean;
  signal?: AbortSignal;
}

/** One provider's entry in `router.listModels()` without a name. */
export type ProviderModelList =
  | { provider: string; model: string; status: 'listed'; models: ModelInfo[] }
  /** The provider does not implement `listModels` (its package cannot list models). */
  | { provider: string; model: string; status: 'unsupported' }
  /** Listing failed: `error` is what the provider threw (a `ProviderError` for HTTP failures). */
  | { provider: string; model: string; status: 'failed'; error: unknown };

/**
 * The models each provider lists, fetched once per provider object and kept until `refresh` (a provider
 * replaced under the same name is a new object, so it is asked again). Concurrent calls share one request;
 * a failed listing is not cached.
 */
export class ModelListCache {
  private readonly lists = new WeakMap<ProviderV1, Promise<ModelInfo[]>>();

  /** The provider's models; throws a `RouterError` (`models-unavailable`) when it cannot list them. */
  get(provider: ProviderV1, options: ListModelsOptions = {}): Promise<ModelInfo[]> {
    if (typeof provider.listModels !== 'function') {
      return Promise.reject(
        new RouterError({
          code: 'models-unavailable',
          message: `Provider "${provider.name}" (${provider.providerType}) cannot list its models: its package does not implement listModels().`,
        }),
      );
    }
    const cached = options.refresh ? undefined : this.lists.get(provider);
    if (cached) return cached;
    const listing = provider.listModels({ signal: options.signal }).then(
      (models) => models,
      (error: unknown) => {
        if (this.lists.get(provider) === listing) this.lists.delete(provider);
        throw error;
      },
    );
    this.lists.set(provider, listing);
    return listing;
  }

  /** Every provider's models; one provider's failure is reported in its entry, never thrown. */
  all(providers: readonly ProviderV1[], options: ListModelsOptions = {}): Promise<ProviderModelList[]> {
    return Promise.all(
      providers.map(async (provider): Promise<ProviderModelList> => {
        const base = { provider: provider.name, model: provider.model };
        if (typeof provider.listModels !== 'function') return { ...base, status: 'unsupported' };
        try {
          return { ...base, status: 'listed', models: await this.get(provider, options) };
        } catch (error) {
          return { ...base, status: 'failed', error };
        }
      }),
    );
  }
}
