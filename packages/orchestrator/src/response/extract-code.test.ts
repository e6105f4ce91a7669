import { describe, expect, it } from 'vitest';
import { extractCode, findFencedBlocks, normalizeMarkdown } from '../index.js';

describe('findFencedBlocks', () => {
  it('finds several blocks with their languages, and a longer fence holds a shorter one', () => {
    const text = '```ts\nconst a = 1;\n```\ntext\n````md\n```js\ninner\n```\n````\n~~~\ntilde\n~~~';
    expect(findFencedBlocks(text).map((b) => [b.language, b.content, b.closed])).toEqual([
      ['ts', 'const a = 1;', true],
      ['md', '```js\ninner\n```', true],
      [undefined, 'tilde', true],
    ]);
  });

  it('reports an unclosed block and handles CRLF', () => {
    expect(findFencedBlocks('```py\r\nprint(1)\r\n```\r\n')[0]).toMatchObject({
      language: 'py',
      content: 'print(1)',
      closed: true,
    });
    expect(findFencedBlocks('```py\nprint(1)')[0]).toMatchObject({ content: 'print(1)', closed: false });
  });
});

describe('extractCode', () => {
  it('takes the first block and reports its language', () => {
    expect(extractCode('a\n```Python\nx = 1\n```\n```js\ny\n```')).toEqual({
      code: 'x = 1',
      language: 'python',
      fenced: true,
      complete: true,
    });
  });

  it('prefers the asked-for language, then any block; no fence takes the whole answer', () => {
    expect(extractCode('```sh\nnpm i\n```\n```ts\nlet a;\n```', 'ts').code).toBe('let a;');
    expect(extractCode('```sh\nnpm i\n```', 'ts').code).toBe('npm i');
    expect(extractCode('  print(1)\n')).toEqual({ code: 'print(1)', fenced: false, complete: true });
    expect(extractCode('```go\nfunc main() {').complete).toBe(false);
  });
});

describe('normalizeMarkdown', () => {
  it('normalises line endings, blank runs and trailing spaces, keeping code blocks byte for byte', () => {
    const input = '# Title  \r\n\r\n\r\n\r\nText   \r\nmore\t\n\n```py\nx = 1   \n\n\n\ny\n```\n\n\n\nend';
    expect(normalizeMarkdown(input)).toBe(
      '# Title\\\n\nText\\\nmore\n\n```py\nx = 1   \n\n\n\ny\n```\n\nend',
    );
  });

  it('unwraps an answer wrapped whole in a markdown fence and closes an unclosed code block', () => {
    expect(normalizeMarkdown('```markdown\n# Hi\n\n\n\nthere\n```')).toBe('# Hi\n\nthere');
    expect(normalizeMarkdown('Intro\n```js\nlet a = 1;')).toBe('Intro\n```js\nlet a = 1;\n```');
  });
});
