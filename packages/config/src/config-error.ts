import { LlmoError } from '@llmo/core';

const marker = 'llmo.error.ConfigError';
const symbol = Symbol.for(marker);

/** One problem in a configuration: where it is and what to do about it. */
export interface ConfigIssue {
  /** Where in the configuration, e.g. `providers[0].apiKey`; `''` for the whole document. */
  path: string;
  /** The file (or the name given for the text), when the configuration came from one. */
  file?: string;
  /** 1-based line and column in that file, when known. */
  line?: number;
  column?: number;
  /** What is wrong and the fix. Never contains a configured value that could be a secret. */
  message: string;
}

/** Where an issue is, as its message line shows it: `providers[0].apiKey (llmo.yaml, line 7)`. */
export function describeIssueLocation(issue: ConfigIssue): string {
  const where = [issue.file, issue.line === undefined ? undefined : `line ${issue.line}`].filter(Boolean);
  const path = issue.path === '' ? '(document)' : issue.path;
  return where.length > 0 ? `${path} (${where.join(', ')})` : path;
}

/**
 * Issues in the order of the source: by file (`files` first, in that order, then the others as they come)
 * and line; issues without a line keep their order, after the others.
 */
export function inSourceOrder(
  issues: readonly ConfigIssue[],
  files: readonly (string | undefined)[] = [],
): ConfigIssue[] {
  const order = [...files];
  for (const issue of issues) if (!order.includes(issue.file)) order.push(issue.file);
  const rank = (issue: ConfigIssue) =>
    issue.line === undefined
      ? Number.MAX_SAFE_INTEGER
      : order.indexOf(issue.file) * 1e9 + issue.line * 1e4 + (issue.column ?? 0);
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => rank(a.issue) - rank(b.issue) || a.i - b.i)
    .map((entry) => entry.issue);
}

/**
 * A configuration that cannot be used, with every problem found (not only the first): each names the path,
 * the file and line when known, and the fix. Values are never echoed: a configuration holds API keys.
 */
export class ConfigError extends LlmoError {
  protected readonly [symbol] = true;
  readonly issues: readonly ConfigIssue[];

  constructor(options: { issues: readonly ConfigIssue[]; title?: string; cause?: unknown }) {
    const { issues } = options;
    const title =
      options.title ??
      `Invalid llmo configuration (${issues.length} problem${issues.length === 1 ? '' : 's'})`;
    const lines = issues.map((issue) => `  - ${describeIssueLocation(issue)}: ${issue.message}`);
    super({ name: 'ConfigError', message: `${title}:\n${lines.join('\n')}`, cause: options.cause });
    this.issues = issues;
  }

  static override isInstance(error: unknown): error is ConfigError {
    return LlmoError.hasMarker(error, marker);
  }
}
