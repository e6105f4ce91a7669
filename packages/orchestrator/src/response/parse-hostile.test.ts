import { describe, expect, it } from 'vitest';
import { extractCode, extractJson, findFencedBlocks, normalizeMarkdown } from '../index.js';

// Inputs sized so the old quadratic code (a backtracking fence regex, `/\n*$/`, one full scan per `{`) would
// run for minutes and blow the test timeout; the linear code reads them in milliseconds. No timing asserted:
// the results are checked, and the test timeout is the bound.
describe('answer parsing stays linear on hostile answers', () => {
  it('a 1 MB one-line answer opening a fence with a stray backtick is not a fence', () => {
    const line = `\`\`\`${'a'.repeat(1_000_000)}\``;
    expect(findFencedBlocks(line)).toEqual([]);
    expect(extractCode(line)).toMatchObject({ fenced: false, complete: true });
    expect(normalizeMarkdown(line)).toBe(line);
    const many = `\`\`\`${'a'.repeat(2000)}\`\n`.repeat(500);
    expect(extractCode(many).fenced).toBe(false);
  });

  it('an unclosed fence followed by 500 000 blank lines is closed without them', () => {
    expect(normalizeMarkdown(`\`\`\`\nx${'\n'.repeat(500_000)}`)).toBe('```\nx\n```');
    expect(normalizeMarkdown(`\`\`\`\n${'\n'.repeat(500_000)}x`)).toMatch(/^```\n\n+x\n```$/);
  });

  it('a million opening braces or brackets is "no JSON", read once', () => {
    expect(extractJson('{'.repeat(1_000_000))).toMatchObject({ ok: false });
    expect(extractJson('[1,'.repeat(400_000))).toMatchObject({ ok: false });
    expect(extractJson(`${'{'.repeat(255)}${'a'.repeat(1_000_000)}`)).toMatchObject({ ok: false });
    // Openers hidden in strings need scans of their own: the work budget bounds them.
    expect(extractJson(`{${'"{'.repeat(500_000)}`)).toMatchObject({ ok: false });
  });

  it('400 000 empty fenced blocks are not parsed one by one', () => {
    expect(extractJson('```\n'.repeat(400_000))).toMatchObject({ ok: false });
    expect(extractJson(`${'```\nnot json\n```\n'.repeat(1000)}\`\`\`json\n{"a": 1}\n\`\`\``)).toMatchObject({
      ok: true,
      value: { a: 1 },
    });
  });

  it('a valid object after a million stray braces is still found', () => {
    const result = extractJson(`${'{'.repeat(1_000)} then {"a": 1}`);
    expect(result).toMatchObject({ ok: true, value: { a: 1 } });
  });

  it('keeps the fence rules: an info string, tildes, indentation, a longer closing fence', () => {
    const blocks = findFencedBlocks('   ```TypeScript extra words\nlet a;\n`````\n~~~ js `ok`\nb\n~~~');
    expect(blocks.map((b) => [b.language, b.content, b.closed])).toEqual([
      ['typescript', 'let a;', true],
      ['js', 'b', true],
    ]);
    // Four spaces is code, not a fence; two backticks are not a fence.
    expect(findFencedBlocks('    ```\nx\n```')).toHaveLength(1);
    expect(findFencedBlocks('``\nx\n``')).toEqual([]);
  });
});

describe('normalizeMarkdown unwraps nested ```markdown wrappers a bounded number of times', () => {
  it('a wrapper in a wrapper is unwrapped; 1500 nested ever-longer fences are read a few times, not 1500', () => {
    expect(normalizeMarkdown('````markdown\n```md\n# Hi\n```\n````')).toBe('# Hi');
    let text = '# deep';
    for (let level = 0; level < 1500; level++) {
      const fence = '`'.repeat(level + 3);
      text = `${fence}markdown\n${text}\n${fence}`;
    }
    const result = normalizeMarkdown(text);
    // Four levels removed: the fifth wrapper (1496 levels in) is still there, kept byte for byte.
    expect(result.startsWith(`${'`'.repeat(1499 - 4 + 3)}markdown\n`)).toBe(true);
  });
});
