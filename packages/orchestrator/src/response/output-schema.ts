import { Validator } from '@cfworker/json-schema';
import type { JsonSchema } from '@llmo/core';
import type { ValidationIssue } from '../errors/response-validation-error.js';

/**
 * A Standard Schema (zod 4, valibot, arktype…): validation without depending on any one library. When the
 * library also implements Standard JSON Schema (zod ≥ 4.2 does), its JSON Schema is sent to providers that
 * support structured output.
 */
export interface StandardSchema<Output = unknown> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly jsonSchema?: { readonly output: (options: { target: string }) => Record<string, unknown> };
    readonly types?: { readonly input: unknown; readonly output: Output } | undefined;
  };
}

type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | {
      readonly issues: ReadonlyArray<{
        readonly message: string;
        readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
      }>;
    };

/** What a request's `schema` may be: a Standard Schema, or a JSON Schema object (checked with @cfworker/json-schema). */
export type OutputSchema<Output = unknown> = StandardSchema<Output> | JsonSchema;

/** The value type a schema produces: the Standard Schema's output type, `unknown` for a JSON Schema. */
export type InferOutput<S> = S extends StandardSchema<infer O> ? O : unknown;

export function isStandardSchema(schema: unknown): schema is StandardSchema {
  return (
    typeof schema === 'object' &&
    schema !== null &&
    '~standard' in schema &&
    typeof (schema as StandardSchema)['~standard']?.validate === 'function'
  );
}

/** A compiled schema: validates values, and offers a JSON Schema for native structured output when it has one. */
export interface CompiledSchema {
  validate(value: unknown): Promise<{ ok: true; value: unknown } | { ok: false; issues: ValidationIssue[] }>;
  /** Undefined when the schema library cannot describe itself as JSON Schema. */
  jsonSchema?: JsonSchema;
}

// Summary errors that only say "a child failed"; the child's own error follows them.
const SUMMARY_KEYWORDS = new Set(['properties', 'items', 'prefixItems', 'false', 'allOf', '$ref']);

const pointerToPath = (pointer: string): (string | number)[] =>
  pointer
    .replace(/^#\/?/, '')
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));

const segment = (s: PropertyKey | { readonly key: PropertyKey }): string | number => {
  const key = typeof s === 'object' ? s.key : s;
  return typeof key === 'number' ? key : String(key);
};

export function compileSchema(schema: OutputSchema): CompiledSchema {
  if (isStandardSchema(schema)) {
    const standard = schema['~standard'];
    let jsonSchema: JsonSchema | undefined;
    try {
      jsonSchema = standard.jsonSchema?.output({ target: 'draft-2020-12' });
    } catch {
      // A schema with transforms or custom checks may not convert; it is still validated, just not sent.
      jsonSchema = undefined;
    }
    return {
      ...(jsonSchema ? { jsonSchema } : {}),
      async validate(value) {
        const result = await standard.validate(value);
        if (!result.issues) return { ok: true, value: result.value };
        return {
          ok: false,
          issues: result.issues.map((issue) => ({
            path: (issue.path ?? []).map(segment),
            message: issue.message,
          })),
        };
      },
    };
  }
  // shortCircuit false: report every problem, so the model can fix them all in one go.
  const validator = new Validator(schema as never, '2020-12', false);
  return {
    jsonSchema: schema,
    async validate(value) {
      const result = validator.validate(value);
      if (result.valid) return { ok: true, value };
      return {
        ok: false,
        issues: result.errors
          .filter((e) => !SUMMARY_KEYWORDS.has(e.keyword))
          .map((e) => ({ path: pointerToPath(e.instanceLocation), message: e.error })),
      };
    },
  };
}
