import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { compileSchema, processResponse } from '../index.js';

describe('a schema or validator that throws', () => {
  it('is this answer failing validation (an issue fed back), not a raw error', async () => {
    const schema = compileSchema(
      z.object({ data: z.string() }).transform((v) => JSON.parse(v.data) as unknown),
    );
    expect(await processResponse('{"data": "not json"}', { format: 'json', schema })).toMatchObject({
      ok: false,
      stage: 'validate',
      issues: [{ path: [], message: expect.stringContaining('the schema threw') }],
    });
    const validator = (value: unknown) => (value as { items: string[] }).items.join(',') && undefined;
    expect(await processResponse('{}', { format: 'json', validators: [validator] })).toMatchObject({
      ok: false,
      stage: 'validate',
      issues: [{ message: expect.stringContaining('a validator threw') }],
    });
    expect(await processResponse('{"items": ["a"]}', { format: 'json', validators: [validator] })).toEqual({
      ok: true,
      value: { items: ['a'] },
    });
  });
});
