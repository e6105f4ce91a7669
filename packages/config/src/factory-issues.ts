import type { PathIssue } from './locate-issues.js';

/**
 * A provider factory's error as problems at the keys they name: factories report one problem per line,
 * each led by the setting (`  - apiKy is not a setting; did you mean apiKey?`), so each can point at the
 * line of that key in the entry. Anything else is one problem at the entry.
 */
export function factoryIssues(
  error: unknown,
  entryPath: readonly PropertyKey[],
  keys: readonly string[],
): PathIssue[] {
  const message = error instanceof Error ? error.message : String(error);
  const [head = '', ...rest] = message.split('\n');
  const problems = rest
    .map((line) => /^\s+-\s+(.*)$/.exec(line)?.[1])
    .filter((p): p is string => p !== undefined);
  if (problems.length === 0) return [{ path: entryPath, message }];
  const factory = head.replace(/:\s*invalid settings:?\s*$/, '').trim();
  return problems.map((problem) => {
    const key = /^([A-Za-z_$][\w$]*)/.exec(problem)?.[1];
    const path = key !== undefined && keys.includes(key) ? [...entryPath, key] : entryPath;
    return { path, message: `${factory}: ${problem}` };
  });
}
