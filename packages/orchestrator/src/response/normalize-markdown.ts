import { findFencedBlocks } from './find-fenced-blocks.js';

/**
 * Tidies a Markdown answer without changing what it says: CRLF → LF; an answer wrapped whole in a
 * ```markdown fence is unwrapped; outside code blocks, trailing spaces are removed (two or more, Markdown's
 * hard break, become a backslash break) and runs of blank lines become one; a code block the answer never
 * closed is closed. Code blocks are kept byte for byte.
 */
export function normalizeMarkdown(input: string): string {
  let text = input.replace(/\r\n?/g, '\n').trim();
  let blocks = findFencedBlocks(text);
  // A wrapper inside a wrapper is unwrapped too, a few levels at most: each level re-reads the text, and an
  // answer nesting a thousand ever-longer fences must not cost a thousand passes.
  for (let level = 0; level < MAX_UNWRAP; level++) {
    const only = blocks[0];
    if (
      !(
        blocks.length === 1 &&
        only &&
        only.start === 0 &&
        only.end >= text.length - 1 &&
        (only.language === 'markdown' || only.language === 'md')
      )
    )
      break;
    text = only.content.trim();
    blocks = findFencedBlocks(text);
  }
  let out = '';
  let cursor = 0;
  for (const block of blocks) {
    out += tidyProse(text.slice(cursor, block.start));
    const raw = text.slice(block.start, block.end);
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(raw)?.[1] ?? '```';
    out += block.closed ? raw : `${trimTrailingNewlines(raw)}\n${fence}`;
    cursor = block.end;
  }
  out += tidyProse(text.slice(cursor));
  text = out;
  return text.trim();
}

/** Whole-answer ```markdown wrappers removed at most. */
const MAX_UNWRAP = 4;

/**
 * `text` without its trailing newlines. A loop from the end, not `/\n*$/`: that regex retries at every
 * newline of a long run and fails each time until the last, quadratic in the run's length.
 */
function trimTrailingNewlines(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === '\n') end--;
  return text.slice(0, end);
}

function tidyProse(prose: string): string {
  return prose
    .split('\n')
    .map((line) => (/\S {2,}$/.test(line) ? `${line.trimEnd()}\\` : line.trimEnd()))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}
