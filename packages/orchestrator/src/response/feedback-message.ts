import { formatIssue, type ValidationIssue } from '../errors/response-validation-error.js';
import type { OutputFormat } from '../tasks/task-config.js';

/** The user message that asks again, naming every problem so the model can fix them in one answer. */
export function feedbackMessage(
  format: OutputFormat,
  stage: 'parse' | 'validate',
  issues: readonly ValidationIssue[],
): string {
  const what =
    stage === 'parse'
      ? format === 'json'
        ? 'Your answer could not be read as JSON'
        : 'Your answer could not be read'
      : 'Your answer did not pass validation';
  const list = issues.map((i) => `- ${formatIssue(i)}`).join('\n');
  const again =
    format === 'json'
      ? 'Answer again with only the corrected JSON, no prose.'
      : format === 'code'
        ? 'Answer again with the corrected code in one fenced code block.'
        : 'Answer again, fixing these problems.';
  return `${what}:\n${list}\n${again}`;
}
