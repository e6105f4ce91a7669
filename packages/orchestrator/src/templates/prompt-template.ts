import { z } from '@llmo/core/provider';
import { checkInput } from '../check-input.js';

/** A versioned prompt: Jinja templates for the system and user messages, and the variables they take. */
export interface PromptTemplate {
  id: string;
  /** Numeric dotted version (`1`, `1.2`, `2.0.1`), compared part by part: `1.10` is newer than `1.9`. */
  version: string;
  /** Jinja template of the system message (optional). */
  system?: string;
  /** Jinja template of the user message. */
  user: string;
  /** Variables the caller must pass; a missing one is an error naming every missing name. */
  requiredVariables?: string[];
  /** Variables with their defaults, used when the caller leaves them out. */
  optionalVariables?: Record<string, unknown>;
  /** Free-form: owner, description, tags… never read by the orchestrator. */
  metadata?: Record<string, unknown>;
}

const VERSION = /^\d+(\.\d+){0,3}$/;

// Built on first use: a top-level call would stay in every bundle that imports anything from this package.
let built: ReturnType<typeof buildTemplateSchema> | undefined;
const templateSchema = () => (built ??= buildTemplateSchema());

function buildTemplateSchema() {
  return z.strictObject({
    id: z.string().check(z.minLength(1, { error: 'must be a non-empty string (the template id)' })),
    version: z
      .string({ error: 'must be a string such as "1" or "1.2.0" (quote it in YAML)' })
      .check(z.regex(VERSION, { error: 'must be numbers separated by dots, such as "1" or "1.2.0"' })),
    system: z.optional(z.string()),
    user: z.string({ error: 'must be a string (the user message template)' }),
    requiredVariables: z.optional(z.array(z.string())),
    optionalVariables: z.optional(z.record(z.string(), z.unknown())),
    metadata: z.optional(z.record(z.string(), z.unknown())),
  });
}

/** Checks a template declared in code or read from a file; unknown keys are rejected with a suggestion. */
export function checkTemplate(value: unknown, where = 'template'): PromptTemplate {
  const label =
    typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string'
      ? `${where} "${(value as { id: string }).id}"`
      : where;
  return checkInput(templateSchema(), value, label) as PromptTemplate;
}

/** Negative when `a` is older than `b`: numeric, part by part, missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
