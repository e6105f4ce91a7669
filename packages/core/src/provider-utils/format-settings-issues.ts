import type { core } from 'zod/mini';
import { closestKey } from '../router/closest-key.js';
import { describeInput } from './provider-settings-schema.js';

interface DefLike {
  type: string;
  innerType?: core.$ZodType;
  shape?: Record<string, core.$ZodType>;
  valueType?: core.$ZodType;
  element?: core.$ZodType;
}

/** The keys an object schema accepts at `path` (through optional wrappers), for "did you mean" hints. */
function keysAt(schema: core.$ZodType | undefined, path: readonly PropertyKey[]): string[] {
  let current = schema;
  let i = 0;
  while (current) {
    const def = current._zod.def as unknown as DefLike;
    if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') {
      current = def.innerType;
      continue;
    }
    if (i === path.length) return def.shape ? Object.keys(def.shape) : [];
    const key = path[i++];
    if (def.type === 'object') current = def.shape?.[String(key)];
    else if (def.type === 'record') current = def.valueType;
    else if (def.type === 'array') current = def.element;
    else return [];
  }
  return [];
}

function unknownKeyLine(key: string, path: readonly PropertyKey[], valid: string[], factory: string): string {
  const prefix = path.length > 0 ? `${path.map(String).join('.')}.` : '';
  const what = path.length > 0 ? 'a known field' : 'a setting';
  const suggestion = closestKey(key, valid);
  if (suggestion) return `${prefix}${key} is not ${what}; did you mean ${prefix}${suggestion}?`;
  const of = path.length > 0 ? prefix.slice(0, -1) : factory;
  return `${prefix}${key} is not ${what} (the ${path.length > 0 ? 'fields' : 'settings'} of ${of} are: ${valid.join(', ')})`;
}

/**
 * One line per problem, each led by the field: `apiKy is not a setting; did you mean apiKey?`,
 * `timeoutMs must be a number of milliseconds > 0 …; got -1`. Messages written with `settingError` read as
 * they are; zod's own defaults are rephrased the same way.
 */
export function formatSettingsIssues(
  issues: readonly core.$ZodIssue[],
  schema: core.$ZodType,
  factory: string,
): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const valid = keysAt(schema, issue.path);
      for (const key of issue.keys) lines.push(unknownKeyLine(key, issue.path, valid, factory));
      continue;
    }
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
    let message = issue.message;
    if (message === 'Invalid input' || message === '') {
      // zod's default text: say what was expected instead.
      const got = 'input' in issue ? `; got ${describeInput(issue.input)}` : '';
      if (issue.code === 'invalid_type') message = `must be ${issue.expected}${got}`;
      else if (issue.code === 'invalid_value')
        message = `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${got}`;
      else message = `is not valid${got}`;
    }
    // A check across fields ("give exactly one of …") reads on its own.
    lines.push(path === undefined ? message : `${path} ${message}`);
  }
  return lines;
}
