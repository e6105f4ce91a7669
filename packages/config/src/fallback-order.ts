import type { ProviderV1, RoutingStrategy } from '@llmo/core';

/**
 * Keeps each configuration entry's models together and in their configured order, whatever the strategy:
 * the strategy orders the entries (by their first provider), and each entry's fallback models follow it,
 * `primary`, `primary/gpt-4o`, then the next entry. A fallback provider whose first provider is gone (removed
 * at run time) keeps its place among the others.
 */
export function fallbackOrder(
  inner: RoutingStrategy,
  followers: ReadonlyMap<string, readonly string[]>,
): RoutingStrategy {
  const following = new Set([...followers.values()].flat());
  return {
    name: inner.name,
    async order(providers, context) {
      const heads = providers.filter((p) => !following.has(p.name));
      const ordered = await inner.order(heads, context);
      const byName = new Map(providers.map((p) => [p.name, p]));
      const out: ProviderV1[] = [];
      const placed = new Set<string>();
      for (const head of ordered) {
        out.push(head);
        placed.add(head.name);
        for (const name of followers.get(head.name) ?? []) {
          const follower = byName.get(name);
          if (follower && !placed.has(name)) {
            out.push(follower);
            placed.add(name);
          }
        }
      }
      // Followers whose head is not in this set, in registration order (bounded by the set's size).
      for (const p of providers) if (!placed.has(p.name) && following.has(p.name)) out.push(p);
      return out;
    },
  };
}
