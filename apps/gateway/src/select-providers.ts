import { providerGroup } from '@llmo/config';
import type { ProviderV1 } from '@llmo/core';
import type { ApiKeyEntry } from './api-keys.js';
import { GatewayHttpError } from './gateway-http-error.js';

/** The `model` value that leaves the choice to the router (within what the key may use). */
export const AUTO_MODEL = 'auto';

/** Whether a key's `models` list lets it use this provider (by provider name, its group, or its model id). */
export function allowedFor(key: ApiKeyEntry | undefined, provider: ProviderV1): boolean {
  const models = key?.models;
  if (!models) return true;
  return (
    models.includes(provider.name) ||
    models.includes(providerGroup(provider.name)) ||
    models.includes(provider.model)
  );
}

/**
 * The providers a request may use: `model` is a provider name (that provider and its fallback models), a
 * model id (every provider serving it), or `auto`; then narrowed to what the key may use. Unknown → 404,
 * known but not allowed for the key → 403 (OpenAI's statuses, so the SDKs raise NotFound/PermissionDenied).
 */
export function selectProviders(
  providers: readonly ProviderV1[],
  model: string | undefined,
  key: ApiKeyEntry | undefined,
): ProviderV1[] {
  let matched: ProviderV1[];
  if (model === undefined || model === AUTO_MODEL) {
    matched = [...providers];
  } else {
    const byName = providers.filter((p) => p.name === model || providerGroup(p.name) === model);
    matched = byName.length > 0 ? byName : providers.filter((p) => p.model === model);
    if (matched.length === 0) {
      throw new GatewayHttpError({
        status: 404,
        message: `The model "${model}" does not exist on this gateway; GET /v1/models lists the provider names and model ids it serves (or use "auto").`,
        type: 'invalid_request_error',
        code: 'model_not_found',
        kind: 'not_found',
        param: 'model',
      });
    }
  }
  const allowed = matched.filter((p) => allowedFor(key, p));
  if (allowed.length === 0) {
    throw new GatewayHttpError({
      status: 403,
      message:
        model === undefined || model === AUTO_MODEL
          ? 'This API key may not use any configured provider.'
          : `This API key may not use "${model}".`,
      type: 'permission_error',
      code: 'model_not_allowed',
      kind: 'permission',
      param: 'model',
    });
  }
  return allowed;
}

/** Route options restricting a request to `selected` (`preferred` first when it is among them). */
export function restrictTo(
  all: readonly ProviderV1[],
  selected: readonly ProviderV1[],
  preferred: string | undefined,
): { excludeProviders?: string[]; preferredProvider?: string } {
  const names = new Set(selected.map((p) => p.name));
  const out: { excludeProviders?: string[]; preferredProvider?: string } = {};
  if (names.size < all.length)
    out.excludeProviders = all.filter((p) => !names.has(p.name)).map((p) => p.name);
  if (preferred !== undefined && names.has(preferred)) out.preferredProvider = preferred;
  return out;
}
