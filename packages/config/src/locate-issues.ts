import { describeZodIssues } from '@llmo/core/provider';
import type { ConfigIssue } from './config-error.js';
import { formatPath } from './format-path.js';
import type { SourceLocations } from './source-locations.js';

/** A problem at a path, before its location is looked up. */
export interface PathIssue {
  path: readonly PropertyKey[];
  message: string;
}

/** Places problems in the source: each gets its file and line from where its path was written. */
export function locateIssues(issues: readonly PathIssue[], locations: SourceLocations): ConfigIssue[] {
  return issues.map((issue) => {
    const location = locations.get(issue.path);
    return {
      path: formatPath(issue.path),
      ...(location ?? {}),
      message: issue.message,
    };
  });
}

/** zod's problems with readable messages ("did you mean" for unknown keys), as paths. */
export function zodIssues(
  error: Parameters<typeof describeZodIssues>[0],
  schema: Parameters<typeof describeZodIssues>[1],
  prefix: readonly PropertyKey[] = [],
): PathIssue[] {
  return describeZodIssues(error, schema).map((issue) => {
    const path = [...prefix, ...issue.path];
    if (!issue.validKeys) return { path, message: issue.message };
    const key = String(issue.path[issue.path.length - 1]);
    return { path, message: unknownKeyMessage(key, issue.validKeys, issue.suggestion) };
  });
}

/** An unknown key, with the fix: the key it probably meant, or the keys valid there. */
export function unknownKeyMessage(key: string, valid: readonly string[], suggestion?: string): string {
  if (suggestion) return `unknown key "${key}"; did you mean "${suggestion}"? Rename it.`;
  return `unknown key "${key}": remove it${valid.length > 0 ? ` (valid keys here: ${valid.join(', ')})` : ''}`;
}
