import type { ValidationIssue } from '../errors/response-validation-error.js';
import type { OutputFormat } from '../tasks/task-config.js';
import { type ExtractedCode, extractCode } from './extract-code.js';
import { jsonCandidates, noJsonMessage } from './extract-json.js';
import { normalizeMarkdown } from './normalize-markdown.js';
import type { CompiledSchema } from './output-schema.js';

/** What a validator learns about the answer besides its value. */
export interface ValidatorContext {
  taskType: string;
  format: OutputFormat;
  /** The answer as the model wrote it. */
  raw: string;
}

/**
 * A check of your own on a processed value (after the schema): return nothing when it passes, or the
 * problems (strings or `{ path, message }`), which are fed back to the model like schema errors.
 */
export type ResponseValidator = (
  value: unknown,
  context: ValidatorContext,
) => ValidatorVerdict | Promise<ValidatorVerdict>;

/** Nothing (passes), or the problems. */
export type ValidatorVerdict = undefined | null | string | readonly (string | ValidationIssue)[];

export type ProcessedResponse =
  | { ok: true; value: unknown }
  | { ok: false; stage: 'parse' | 'validate'; issues: ValidationIssue[] };

export interface ProcessResponseOptions {
  format: OutputFormat;
  schema?: CompiledSchema;
  validators?: readonly ResponseValidator[];
  codeLanguage?: string;
  taskType?: string;
}

/**
 * An answer's text → the value of its format: `text` as written, `markdown` normalised, `code` the first
 * fenced block (an unclosed block is a parse failure: the answer was cut off), `json` the parsed value.
 * Then the schema (JSON only) and the validators, in order; the first that fails ends the check.
 */
export async function processResponse(
  text: string,
  options: ProcessResponseOptions,
): Promise<ProcessedResponse> {
  let value: unknown;
  switch (options.format) {
    case 'text':
      value = text;
      break;
    case 'markdown':
      value = normalizeMarkdown(text);
      break;
    case 'code': {
      const code: ExtractedCode = extractCode(text, options.codeLanguage);
      if (!code.complete)
        return {
          ok: false,
          stage: 'parse',
          issues: [
            {
              path: [],
              message: 'the code block was never closed (the answer was cut off); send the whole block',
            },
          ],
        };
      if (code.code.trim().length === 0)
        return { ok: false, stage: 'parse', issues: [{ path: [], message: 'the answer has no code' }] };
      value = code;
      break;
    }
    case 'json': {
      // Each JSON value the answer holds, best first; with a schema, the first that passes it (a citation
      // `[1]` or an example object in the prose is passed over), else the best one's issues.
      const candidates = jsonCandidates(text);
      const schema = options.schema;
      let firstIssues: ValidationIssue[] | undefined;
      let found = false;
      let next = candidates.next();
      for (; !next.done; next = candidates.next()) {
        if (!schema) {
          value = next.value.value;
          found = true;
          break;
        }
        const candidate = next.value.value;
        const checked = await guarded(() => schema.validate(candidate));
        if (checked.ok) {
          value = checked.value;
          found = true;
          break;
        }
        firstIssues ??= checked.issues;
      }
      if (found) break;
      if (firstIssues) return { ok: false, stage: 'validate', issues: firstIssues };
      const why = next.done ? next.value.error : undefined;
      return {
        ok: false,
        stage: 'parse',
        issues: [{ path: [], message: text.trim() === '' ? (why ?? 'empty') : noJsonMessage(why) }],
      };
    }
  }
  for (const validator of options.validators ?? []) {
    let issues: ValidationIssue[];
    try {
      issues = toIssues(
        await validator(value, { taskType: options.taskType ?? '', format: options.format, raw: text }),
      );
    } catch (error) {
      issues = [{ path: [], message: `a validator threw: ${messageOf(error)}` }];
    }
    if (issues.length > 0) return { ok: false, stage: 'validate', issues };
  }
  return { ok: true, value };
}

const messageOf = (error: unknown): string => (error as Error)?.message ?? String(error);

/**
 * A schema's check that throws (a zod transform calling JSON.parse on the answer's string, a refine that
 * reads a missing field) is this answer failing validation, reported as an issue and fed back like one, not
 * a raw error that ends the request without its answers.
 */
async function guarded(
  check: () => ReturnType<CompiledSchema['validate']>,
): Promise<{ ok: true; value: unknown } | { ok: false; issues: ValidationIssue[] }> {
  try {
    return await check();
  } catch (error) {
    return { ok: false, issues: [{ path: [], message: `the schema threw: ${messageOf(error)}` }] };
  }
}

function toIssues(result: ValidatorVerdict): ValidationIssue[] {
  if (result === undefined || result === null) return [];
  if (typeof result === 'string') return result ? [{ path: [], message: result }] : [];
  return result.map((r) => (typeof r === 'string' ? { path: [], message: r } : r));
}
