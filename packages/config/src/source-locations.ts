import { formatPath, type PathSegment } from './format-path.js';

/** Where a value was written. */
export interface SourceLocation {
  file?: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/**
 * Where each value of a configuration was written, by path (`providers[0].apiKey`), so an error found after
 * parsing (by the schema, the router or a provider factory) can still name the file and the line. Survives
 * the overlay merge: merged values keep the location of the file they came from.
 */
export class SourceLocations {
  private readonly byPath = new Map<string, SourceLocation>();

  set(path: readonly PathSegment[], location: SourceLocation): void {
    this.byPath.set(formatPath(path), location);
  }

  /** The location of `path`, or of its nearest ancestor that has one. */
  get(path: readonly PropertyKey[]): SourceLocation | undefined {
    for (let end = path.length; end >= 0; end--) {
      const found = this.byPath.get(formatPath(path.slice(0, end)));
      if (found) return found;
    }
    return undefined;
  }

  /** Copies the location of exactly `from` (not what is under it), when `source` has one. */
  copyOne(source: SourceLocations, from: readonly PathSegment[], to: readonly PathSegment[]): void {
    const location = source.byPath.get(formatPath(from));
    if (location) this.byPath.set(formatPath(to), location);
  }

  /** Copies the locations under `from` in `source` to the same places under `to` here. */
  copy(source: SourceLocations, from: readonly PathSegment[], to: readonly PathSegment[]): void {
    const prefix = formatPath(from);
    const target = formatPath(to);
    for (const [key, location] of source.byPath) {
      if (prefix === '') {
        this.byPath.set(target === '' ? key : joinPath(target, key), location);
        continue;
      }
      if (key !== prefix && !key.startsWith(`${prefix}.`) && !key.startsWith(`${prefix}[`)) continue;
      this.byPath.set(`${target}${key.slice(prefix.length)}`, location);
    }
  }
}

function joinPath(parent: string, child: string): string {
  return child.startsWith('[') ? `${parent}${child}` : `${parent}.${child}`;
}
