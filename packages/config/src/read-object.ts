import type { ConfigIssue } from './config-error.js';
import { formatPath, type PathSegment } from './format-path.js';
import type { ReadDocument } from './read-yaml.js';
import { SourceLocations } from './source-locations.js';
import { type ConfigEnv, describeSubstitutionProblem, substituteEnv } from './substitute-env.js';

const MAX_DEPTH = 64;

/**
 * A configuration given as an object: copied (the caller's object is never changed), with `${VAR}` references
 * in its strings replaced as in YAML (strings stay strings). There are no lines to report, only paths.
 */
export function readObject(input: unknown, env: ConfigEnv, file?: string): ReadDocument {
  const issues: ConfigIssue[] = [];
  const unresolved = new Set<string>();
  const visit = (value: unknown, path: PathSegment[], depth: number): unknown => {
    if (depth > MAX_DEPTH) {
      issues.push({ path: formatPath(path), file, message: `nested deeper than ${MAX_DEPTH} levels` });
      return undefined;
    }
    if (typeof value === 'string') {
      const result = substituteEnv(value, env);
      for (const problem of result.problems)
        issues.push({ path: formatPath(path), file, message: describeSubstitutionProblem(problem) });
      if (result.problems.length > 0) unresolved.add(formatPath(path));
      return result.text;
    }
    if (Array.isArray(value)) return value.map((item, i) => visit(item, [...path, i], depth + 1));
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = visit(item, [...path, key], depth + 1);
      return out;
    }
    return value;
  };
  return { file, value: visit(input, [], 0), locations: new SourceLocations(), issues, unresolved };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
