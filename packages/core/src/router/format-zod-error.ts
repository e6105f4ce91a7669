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
