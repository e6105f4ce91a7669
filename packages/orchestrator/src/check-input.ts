import { describeZodIssues, type ZodMiniType } from '@llmo/core/provider';
import { OrchestratorError } from './errors/orchestrator-error.js';

/**
 * Parses `value` with `schema`, or throws one `invalid-options` OrchestratorError naming every bad field (an
 * unknown key with the closest valid one). `label` says what was checked: `createOrchestrator`, `template
 * "review"`.
 */
export function checkInput<T>(schema: ZodMiniType<T>, value: unknown, label: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = describeZodIssues(result.error, schema).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(value)';
    return `  - ${path}: ${issue.message}`;
  });
  throw new OrchestratorError({ code: 'invalid-options', message: `${label}: invalid\n${lines.join('\n')}` });
}
