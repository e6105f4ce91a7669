import type { core } from 'zod/mini';
import { closestKey } from './closest-key.js';

/** The object keys a schema accepts at `path`, found by walking its definition (optional, objects). */
function keysAt(schema: core.$ZodType | undefined, path: readonly PropertyKey[]): string[] {
  let current = schema;
  for (let i = 0; current && i <= path.length; ) {
    const def = current._zod.def as unknown as {
      type: string;
      innerType?: core.$ZodType;
      shape?: Record<string, core.$ZodType>;
      element?: core.$ZodType;
      options?: core.$ZodType[];
    };
    if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') {
      current = def.innerType;
      continue;
    }
    if (i === path.length) return def.shape ? Object.keys(def.shape) : [];
    const key = path[i++];
    if (def.type === 'object') current = def.shape?.[String(key)];
    else if (def.type === 'array') current = def.element;
    else return [];
  }
  return [];
}

/**
 * One readable message for a zod failure: each problem on its own line, led by the field path. Given the
 * schema, an unknown key comes with the closest valid one (`temprature` → did you mean `temperature`?).
 */
export function formatZodError(
  label: string,
  error: { issues: readonly core.$ZodIssue[] },
  schema?: core.$ZodType,
): string {
  const lines = error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(options)';
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      const valid = keysAt(schema, issue.path);
      message = issue.keys
        .map((key) => {
          const suggestion = closestKey(key, valid);
          return suggestion
            ? `Unrecognized key: "${key}"; did you mean "${suggestion}"?`
            : `Unrecognized key: "${key}" (check the spelling${valid.length > 0 ? `; valid keys: ${valid.join(', ')}` : ''})`;
        })
        .join('; ');
    } else if (issue.code === 'invalid_type' && message === 'Invalid input') {
      message = `expected ${issue.expected}`;
    }
    return `  - ${path}: ${message}`;
  });
  return `${label}:\n${lines.join('\n')}`;
}

/** One problem of a zod failure: its path and a readable message. */
export interface OptionsIssue {
  /** Where, e.g. `['retry', 'maxRetries']`; an unknown key's path ends with the key itself. */
  path: readonly PropertyKey[];
  message: string;
  /** For an unknown key: the closest valid key, when one is close. */
  suggestion?: string;
  /** For an unknown key: the keys valid there. */
  validKeys?: readonly string[];
}

/**
 * Each zod issue as a path and a readable message, one per unknown key (its path ends with the key, and it
 * comes with the closest valid key when one is close): what `RouterError.issues` carries, so a caller that
 * knows where the options came from (a config file) can point at each one.
 */
export function describeZodIssues(
  error: { issues: readonly core.$ZodIssue[] },
  schema?: core.$ZodType,
): OptionsIssue[] {
  const out: OptionsIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const valid = keysAt(schema, issue.path);
      for (const key of issue.keys) {
        const suggestion = closestKey(key, valid);
        out.push({
          path: [...issue.path, key],
          ...(suggestion ? { suggestion } : {}),
          validKeys: valid,
          message: suggestion
            ? `Unrecognized key: "${key}"; did you mean "${suggestion}"?`
            : `Unrecognized key: "${key}" (check the spelling${valid.length > 0 ? `; valid keys: ${valid.join(', ')}` : ''})`,
        });
      }
      continue;
    }
    const message =
      issue.code === 'invalid_type' && issue.message === 'Invalid input'
        ? `expected ${issue.expected}`
        : issue.message;
    out.push({ path: issue.path, message });
  }
  return out;
}
