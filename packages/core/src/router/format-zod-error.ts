import type { z } from 'zod';

/** One readable message for a zod failure: each problem on its own line, led by the field path. */
export function formatZodError(label: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(options)';
    return `  - ${path}: ${issue.message}`;
  });
  return `${label}:\n${lines.join('\n')}`;
}
