import type { core } from 'zod/mini';

/** One readable message for a zod failure: each problem on its own line, led by the field path. */
export function formatZodError(label: string, error: { issues: readonly core.$ZodIssue[] }): string {
  const lines = error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(options)';
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      message = `Unrecognized key: ${issue.keys.map((k) => `"${k}"`).join(', ')} (check the spelling)`;
    } else if (issue.code === 'invalid_type' && message === 'Invalid input') {
      message = `expected ${issue.expected}`;
    }
    return `  - ${path}: ${message}`;
  });
  return `${label}:\n${lines.join('\n')}`;
}
