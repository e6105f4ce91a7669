import type { ModelPricing } from '@llmo/core';
import type { ProviderConfig } from './config-types.js';
import { fallbackProviderName } from './provider-group.js';
import type { ProviderType } from './provider-packages.js';

/** One provider the router gets: a configured entry, or one of its fallback models. */
export interface ExpandedProvider {
  /** `primary`, then `primary/gpt-4o` for a fallback model. */
  name: string;
  type: ProviderType;
  model: string;
  /** The entry's name: every provider of one entry shares it, in fallback order. */
  group: string;
  /** Index of the entry in `providers:`. */
  index: number;
  /** 0 for the entry's own model, 1… for its fallback models. */
  position: number;
  /** The settings for the factory: the entry's own, with this name, model and pricing. */
  settings: Record<string, unknown>;
}

const OWN_KEYS = new Set(['type', 'fallbackModels', 'enabled']);

/**
 * Expands each enabled entry into one provider per model, in order: the entry's `model` under its `name`,
 * then each fallback model under `<name>/<model>`, with the entry's settings (a fallback model gets its own
 * `pricing` or none: the entry's price is for its own model).
 */
export function expandProviders(entries: readonly ProviderConfig[]): ExpandedProvider[] {
  const out: ExpandedProvider[] = [];
  entries.forEach((entry, index) => {
    if (entry.enabled === false) return;
    const settings: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(entry)) if (!OWN_KEYS.has(key)) settings[key] = value;
    out.push({
      name: entry.name,
      type: entry.type,
      model: entry.model,
      group: entry.name,
      index,
      position: 0,
      settings,
    });
    (entry.fallbackModels ?? []).forEach((fallback, i) => {
      const model = typeof fallback === 'string' ? fallback : fallback.model;
      const pricing: ModelPricing | undefined = typeof fallback === 'string' ? undefined : fallback.pricing;
      const { pricing: _ownPricing, ...rest } = settings;
      const name = fallbackProviderName(entry.name, model);
      out.push({
        name,
        type: entry.type,
        model,
        group: entry.name,
        index,
        position: i + 1,
        settings: { ...rest, name, model, ...(pricing ? { pricing } : {}) },
      });
    });
  });
  return out;
}
