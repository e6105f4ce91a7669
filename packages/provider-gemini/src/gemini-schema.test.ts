import { describe, expect, it } from 'vitest';
import { toGeminiParameters, toGeminiSchema } from './gemini-schema.js';

describe('toGeminiSchema: JSON Schema → the OpenAPI subset responseSchema and parameters take', () => {
  it('upper-cases types, turns a null type or a null anyOf branch into nullable, keeps the Schema fields', () => {
    const { schema, dropped } = toGeminiSchema({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      title: 'Person',
      properties: {
        name: { type: 'string', minLength: 1, description: 'Full name' },
        age: { type: ['integer', 'null'], minimum: 0 },
        email: { anyOf: [{ type: 'string', format: 'email' }, { type: 'null' }] },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 5 },
        id: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
        flexible: { type: ['string', 'number'] },
        role: { enum: ['admin', 'user'] },
        kind: { const: 'person' },
        anything: true,
      },
      required: ['name'],
      additionalProperties: false,
      propertyOrdering: ['name', 'age'],
    });
    expect(dropped).toEqual([]);
    expect(schema).toEqual({
      type: 'OBJECT',
      title: 'Person',
      properties: {
        name: { type: 'STRING', minLength: 1, description: 'Full name' },
        age: { type: 'INTEGER', nullable: true, minimum: 0 },
        email: { type: 'STRING', format: 'email', nullable: true },
        tags: { type: 'ARRAY', items: { type: 'STRING' }, maxItems: 5 },
        id: { anyOf: [{ type: 'STRING' }, { type: 'INTEGER' }] },
        flexible: { anyOf: [{ type: 'STRING' }, { type: 'NUMBER' }] },
        role: { enum: ['admin', 'user'], type: 'STRING' },
        kind: { enum: ['person'], type: 'STRING' },
        anything: {},
      },
      required: ['name'],
      propertyOrdering: ['name', 'age'],
    });
  });

  it('names the keywords it had to drop', () => {
    const { dropped } = toGeminiSchema({
      type: 'object',
      properties: { a: { $ref: '#/$defs/a' }, b: { oneOf: [{ type: 'string' }], not: { type: 'number' } } },
      $defs: { a: { type: 'string' } },
    });
    expect(dropped).toEqual(['$ref', 'oneOf', 'not', '$defs']);
  });

  it('leaves out the parameters of a function without any', () => {
    expect(toGeminiParameters({ type: 'object', properties: {} }).parameters).toBeUndefined();
    expect(toGeminiParameters({ type: 'object' }).parameters).toBeUndefined();
    expect(toGeminiParameters({ type: 'object', properties: { q: { type: 'string' } } }).parameters).toEqual({
      type: 'OBJECT',
      properties: { q: { type: 'STRING' } },
    });
  });
});
