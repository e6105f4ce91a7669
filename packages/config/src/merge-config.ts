import { formatPath, type PathSegment } from './format-path.js';
import { isPlainObject } from './read-object.js';
import type { ReadDocument } from './read-yaml.js';
import { SourceLocations } from './source-locations.js';

/**
 * Lays `overlay` over `base` (e.g. `llmo.production.yaml` over `llmo.yaml`):
 *
 * - maps merge key by key, recursively;
 * - `providers` merge by `name`: an overlay entry whose name exists is merged into that entry (its place in
 *   the list stays), a new name is appended; `enabled: false` in the overlay turns a base provider off;
 * - every other list, and every scalar, is replaced by the overlay's value;
 * - `null` in the overlay removes the key (back to its default).
 *
 * Each merged value keeps the location of the file it came from.
 */
export function mergeConfig(base: ReadDocument, overlay: ReadDocument): ReadDocument {
  const locations = new SourceLocations();
  /** Base paths whose value the overlay replaced: a missing variable there no longer matters. */
  const replaced: string[] = [];
  const merge = (a: unknown, b: unknown, aPath: PathSegment[], bPath: PathSegment[], out: PathSegment[]) => {
    if (isPlainObject(a) && isPlainObject(b)) {
      const result: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(a)) {
        if (key in b) continue;
        result[key] = value;
        locations.copy(base.locations, [...aPath, key], [...out, key]);
      }
      for (const [key, value] of Object.entries(b)) {
        if (value === null) continue;
        if (key in a) {
          locations.copyOne(overlay.locations, [...bPath, key], [...out, key]);
          result[key] =
            out.length === 0 && key === 'providers'
              ? mergeProviders(a[key], value)
              : merge(a[key], value, [...aPath, key], [...bPath, key], [...out, key]);
        } else {
          result[key] = value;
          locations.copy(overlay.locations, [...bPath, key], [...out, key]);
        }
      }
      return result;
    }
    locations.copy(overlay.locations, bPath, out);
    replaced.push(formatPath(aPath));
    return b;
  };

  const mergeProviders = (a: unknown, b: unknown): unknown => {
    if (!Array.isArray(a) || !Array.isArray(b)) {
      locations.copy(overlay.locations, ['providers'], ['providers']);
      return b;
    }
    const result: unknown[] = [];
    const nameOf = (entry: unknown) =>
      isPlainObject(entry) && typeof entry.name === 'string' ? entry.name : undefined;
    const fromOverlay = new Map<string, number>();
    b.forEach((entry, i) => {
      const name = nameOf(entry);
      if (name !== undefined && !fromOverlay.has(name)) fromOverlay.set(name, i);
    });
    const used = new Set<number>();
    a.forEach((entry, i) => {
      const name = nameOf(entry);
      const j = name === undefined ? undefined : fromOverlay.get(name);
      const at = result.length;
      if (j === undefined) {
        result.push(entry);
        locations.copy(base.locations, ['providers', i], ['providers', at]);
        return;
      }
      used.add(j);
      result.push(merge(entry, b[j], ['providers', i], ['providers', j], ['providers', at]));
    });
    b.forEach((entry, j) => {
      if (used.has(j)) return;
      const at = result.length;
      result.push(entry);
      locations.copy(overlay.locations, ['providers', j], ['providers', at]);
    });
    return result;
  };

  locations.copyOne(base.locations, [], []);
  const value = merge(base.value, overlay.value, [], [], []);
  const isReplaced = (path: string) =>
    replaced.some((r) => path === r || path.startsWith(`${r}.`) || path.startsWith(`${r}[`));
  const baseIssues = base.issues.filter((issue) => !isReplaced(issue.path));
  const unresolved = new Set([...[...base.unresolved].filter((p) => !isReplaced(p)), ...overlay.unresolved]);
  return { file: base.file, value, locations, issues: [...baseIssues, ...overlay.issues], unresolved };
}
