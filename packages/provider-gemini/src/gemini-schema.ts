import type { JsonSchema } from '@llmo/core/provider';

/**
 * JSON Schema → the Gemini `Schema` object (an OpenAPI 3.0 subset) used by `responseSchema` and function
 * `parameters`: `type` in upper case (`OBJECT`, `STRING`…, as the API reference writes it), a `["x", "null"]`
 * type as `nullable`, `const` as a one-value `enum`, and the keywords the API does not take dropped
 * (`$schema`, `additionalProperties`, `$id`, `examples`…). Keywords that change the meaning and cannot be
 * expressed (`$ref`, `allOf`, `oneOf`, `not`, `if`…) are dropped too, and named in `dropped` so the caller
 * can warn.
 */
export function toGeminiSchema(schema: JsonSchema): { schema: Record<string, unknown>; dropped: string[] } {
  const dropped = new Set<string>();
  return { schema: convert(schema, dropped), dropped: [...dropped] };
}

/** Copied as they are (the Schema fields of the API reference). */
const KEPT = new Set([
  'description',
  'title',
  'format',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'pattern',
  'minProperties',
  'maxProperties',
  'default',
  'example',
  'propertyOrdering',
  'nullable',
]);

/** Annotations with no effect on the answer: dropped without a warning. */
const IGNORED = new Set([
  '$schema',
  '$id',
  '$comment',
  'additionalProperties',
  'examples',
  'readOnly',
  'writeOnly',
  'deprecated',
  'strict',
]);

function convert(node: unknown, dropped: Set<string>): Record<string, unknown> {
  if (node === true || node === undefined || node === null || typeof node !== 'object') return {};
  const source = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    switch (key) {
      case 'type': {
        const types = (Array.isArray(value) ? value : [value]).filter(
          (t): t is string => typeof t === 'string',
        );
        const nonNull = types.filter((t) => t !== 'null');
        if (nonNull.length < types.length) out.nullable = true;
        if (nonNull.length === 1) out.type = nonNull[0]!.toUpperCase();
        else if (nonNull.length > 1) out.anyOf = nonNull.map((t) => ({ type: t.toUpperCase() }));
        else if (types.length > 0) out.type = 'NULL';
        break;
      }
      case 'properties':
        if (value && typeof value === 'object')
          out.properties = Object.fromEntries(
            Object.entries(value as Record<string, unknown>).map(([name, s]) => [name, convert(s, dropped)]),
          );
        break;
      case 'items':
        out.items = convert(value, dropped);
        break;
      case 'anyOf': {
        const options = Array.isArray(value) ? value : [];
        const nonNull = options.filter((o) => (o as { type?: unknown } | null)?.type !== 'null');
        if (nonNull.length < options.length) out.nullable = true;
        if (nonNull.length === 1) Object.assign(out, convert(nonNull[0], dropped));
        else out.anyOf = nonNull.map((o) => convert(o, dropped));
        break;
      }
      case 'required':
        if (Array.isArray(value)) out.required = value.filter((v) => typeof v === 'string');
        break;
      case 'enum':
        // The API takes string enums only (with type STRING).
        if (Array.isArray(value)) {
          out.enum = value.map(String);
          out.type ??= 'STRING';
        }
        break;
      case 'const':
        out.enum = [String(value)];
        out.type ??= 'STRING';
        break;
      default:
        if (KEPT.has(key)) out[key] = value;
        else if (!IGNORED.has(key)) dropped.add(key);
    }
  }
  if (out.enum) out.type = 'STRING';
  return out;
}

/**
 * Function `parameters`: a schema of an object without properties is left out (the API rejects an `OBJECT`
 * with empty `properties`; a function without parameters has none).
 */
export function toGeminiParameters(schema: JsonSchema): {
  parameters: Record<string, unknown> | undefined;
  dropped: string[];
} {
  const properties = schema.properties as Record<string, unknown> | undefined;
  if (schema.type === 'object' && (!properties || Object.keys(properties).length === 0))
    return { parameters: undefined, dropped: [] };
  const { schema: parameters, dropped } = toGeminiSchema(schema);
  return { parameters, dropped };
}
