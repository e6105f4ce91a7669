import { closestKey } from '@llmo/core/provider';
import type { ZodError } from 'zod';
import { GatewayHttpError } from './gateway-http-error.js';

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
}

const formatPath = (path: readonly PropertyKey[]) => path.map(String).join('.');

/**
 * A request body that failed its schema → 400 naming the field and the reason, in OpenAI's error shape
 * (`param` is the field). An unknown field gets "did you mean" from the fields the schema knows. Values are
 * never echoed: a body can hold a key pasted into the wrong field.
 */
export function validationError(error: ZodError, knownKeys: readonly string[] = []): GatewayHttpError {
  const issues = error.issues as unknown as Issue[];
  const messages = issues.slice(0, 5).map((issue) => {
    const at = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      return issue.keys
        .map((key) => {
          const suggestion = issue.path.length === 0 ? closestKey(key, knownKeys) : undefined;
          const field = at ? `${at}.${key}` : key;
          return suggestion
            ? `${field}: unknown field; did you mean "${suggestion}"?`
            : `${field}: unknown field; remove it`;
        })
        .join('; ');
    }
    return `${at || 'body'}: ${issue.message}`;
  });
  const first = issues[0];
  const param =
    first?.code === 'unrecognized_keys' && first.keys?.[0]
      ? formatPath([...first.path, first.keys[0]])
      : first
        ? formatPath(first.path)
        : null;
  return new GatewayHttpError({
    status: 400,
    message: `Invalid request: ${messages.join('; ')}`,
    type: 'invalid_request_error',
    code: 'invalid_request',
    kind: 'validation',
    param: param || null,
  });
}
