import { describe, expect, it } from 'vitest';
import { extractJson, findBalancedEnd } from '../index.js';

const value = (text: string) => {
  const result = extractJson(text);
  if (!result.ok) throw new Error(result.message);
  return result;
};

describe('extractJson', () => {
  it('takes the whole answer when it is JSON', () => {
    expect(value(' {"a": 1} ')).toMatchObject({ value: { a: 1 }, source: 'whole' });
    expect(value('[1, 2]').value).toEqual([1, 2]);
  });

  it('takes a fenced block, a json block before others, and skips blocks that do not parse', () => {
    expect(value('Here:\n```json\n{"a": 1}\n```\nDone.')).toMatchObject({
      value: { a: 1 },
      source: 'fenced',
    });
    expect(value('```\nnot json\n```\n```js\n{"b": 2}\n```').value).toEqual({ b: 2 });
    expect(value('```text\n{"plain": true}\n```\n```json\n{"json": true}\n```').value).toEqual({
      json: true,
    });
  });

  it('finds the outermost balanced object with nested braces, not first { to last }', () => {
    const text = 'Result: {"a": {"b": [1, {"c": 2}]}} and also {"d": 3} ok';
    expect(value(text)).toMatchObject({ value: { a: { b: [1, { c: 2 }] } }, source: 'balanced' });
  });

  it('respects braces and escaped quotes inside strings', () => {
    const text = 'x {"msg": "a } tricky \\" { string", "n": [1]} y';
    expect(value(text).value).toEqual({ msg: 'a } tricky " { string', n: [1] });
  });

  it('passes over a brace in prose and a broken outer object to a valid one', () => {
    expect(value('Use {curly} braces. {"ok": true}').value).toEqual({ ok: true });
    expect(value('{"broken": {"inner": 1} oops }').value).toEqual({ inner: 1 });
    expect(value('an array: [1, 2, {"x": "]"}] end').value).toEqual([1, 2, { x: ']' }]);
  });

  it('fails with a message for no JSON, an unbalanced object and an empty answer', () => {
    expect(extractJson('no json here')).toMatchObject({ ok: false });
    // A truncated outer object: the outermost balanced value is the inner one (the schema judges it).
    expect(extractJson('{"a": {"b": 1}')).toMatchObject({ ok: true, value: { b: 1 }, source: 'balanced' });
    expect(extractJson('{"a": [1, 2')).toMatchObject({
      ok: false,
      message: expect.stringContaining('unbalanced'),
    });
    expect(extractJson('   ')).toMatchObject({ ok: false, message: expect.stringContaining('empty') });
  });

  it('stays bounded on hostile input', () => {
    const hostile = '{'.repeat(20_000);
    expect(extractJson(hostile).ok).toBe(false);
  });
});

describe('findBalancedEnd', () => {
  it('ends at the matching closer and refuses mismatched ones', () => {
    expect(findBalancedEnd('{"a":[1]}tail', 0)).toBe(9);
    expect(findBalancedEnd('{]', 0)).toBe(-1);
    expect(findBalancedEnd('{"\\\\"}', 0)).toBe(6);
  });
});
