import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { compileSchema, extractJson, processResponse } from '../index.js';

describe('extractJson prefers the answer over a citation or an example in the prose', () => {
  it('takes the largest balanced value, not the first', () => {
    expect(extractJson('Per [1], result: {"a":1}')).toMatchObject({ ok: true, value: { a: 1 } });
    expect(extractJson('An empty {} would be wrong; here: {"items": [1, 2]}')).toMatchObject({
      ok: true,
      value: { items: [1, 2] },
    });
    // A tie goes to the later one: an answer's value comes after the prose that introduces it.
    expect(extractJson('Not {"a": 1} but {"b": 2}')).toMatchObject({ ok: true, value: { b: 2 } });
  });

  it('with a schema, a candidate that fails it makes way for the next one that passes', async () => {
    const schema = compileSchema(z.object({ answer: z.number() }));
    const text = 'The format is {"example": "see docs", "more": "prose prose"} and my answer: {"answer": 42}';
    expect(await processResponse(text, { format: 'json', schema })).toEqual({
      ok: true,
      value: { answer: 42 },
    });
    // None passes: the best candidate's issues are fed back.
    const failed = await processResponse('Per [1]: {"answer": "x"}', { format: 'json', schema });
    expect(failed).toMatchObject({ ok: false, stage: 'validate', issues: [{ path: ['answer'] }] });
    expect(await processResponse('no json', { format: 'json', schema })).toMatchObject({
      ok: false,
      stage: 'parse',
    });
  });
});
