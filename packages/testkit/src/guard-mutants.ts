/**
 * What the check needs of a schema: zod's `safeParse` (any flavour). Declared here rather than imported from
 * `@llmo/core/provider`, so core's own tests can use this file from source without core's build.
 */
interface Parser {
  safeParse(value: unknown): { success: boolean };
}

/** What each reachable value of a fixture is replaced by: every JSON type, the edge values, and nothing. */
const REPLACEMENTS: readonly unknown[] = [
  undefined,
  null,
  0,
  1.5,
  Number.NaN,
  'x',
  '',
  true,
  [],
  {},
  [1],
  [{}],
];
const DELETE = Symbol('delete');

/**
 * Every mutant of `root`: each value reachable from it (object fields, array items, at any depth) replaced by
 * each of `REPLACEMENTS`, and deleted. A provider's hand-written wire guard (`withFastCheck`) is checked over
 * them against its zod schema (`checkGuardAgainstSchema`).
 */
export function* guardMutants(root: unknown): Generator<unknown> {
  const paths: (string | number)[][] = [];
  const walk = (value: unknown, path: (string | number)[]) => {
    if (path.length > 0) paths.push(path);
    if (Array.isArray(value)) for (const [i, v] of value.entries()) walk(v, [...path, i]);
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  walk(root, []);
  for (const path of paths) {
    for (const replacement of [...REPLACEMENTS, DELETE]) {
      const copy = structuredClone(root) as Record<string | number, unknown>;
      let parent = copy;
      for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
      const last = path[path.length - 1] as string | number;
      if (replacement === DELETE) delete parent[last];
      else parent[last] = replacement;
      yield copy;
    }
  }
}

/** What `checkGuardAgainstSchema` found. */
export interface GuardCheckResult {
  /** Mutants the guard accepted (they take the fast path). */
  accepted: number;
  /** Mutants the guard refused (the schema decides them). */
  refused: number;
  /** Values the guard accepted and the schema rejects: each is a bug in the guard. */
  tooLoose: unknown[];
  /** Fixtures the guard refused: the common case would not take the fast path. */
  fixturesRefused: unknown[];
}

/**
 * Checks a wire guard against the schema it stands in front of: it must accept every fixture (well-formed
 * wire values take the fast path) and never accept a value, fixture or mutant, that the schema rejects.
 * Assert on the result: `tooLoose` and `fixturesRefused` empty, `accepted` well above zero (a guard that
 * refuses everything would pass otherwise).
 */
export function checkGuardAgainstSchema(
  guard: (value: unknown) => boolean,
  schema: Parser,
  fixtures: readonly unknown[],
): GuardCheckResult {
  const result: GuardCheckResult = { accepted: 0, refused: 0, tooLoose: [], fixturesRefused: [] };
  for (const fixture of fixtures) {
    if (!guard(fixture)) result.fixturesRefused.push(fixture);
    for (const value of [fixture, ...guardMutants(fixture)]) {
      if (!guard(value)) {
        result.refused++;
        continue;
      }
      result.accepted++;
      if (!schema.safeParse(value).success) result.tooLoose.push(value);
    }
  }
  return result;
}
