/** A fenced code block of a Markdown answer. */
export interface FencedBlock {
  /** The info string's first word (`ts`, `json`), lower-cased; undefined when the fence has none. */
  language?: string;
  content: string;
  /** False when the answer ended inside the block (a truncated answer). */
  closed: boolean;
  /** Offsets of the whole block (fences included) in the text. */
  start: number;
  end: number;
}

const OPEN = /^ {0,3}(`{3,}|~{3,})[ \t]*([^\s`]*)[^`\n]*$/;
const CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

/**
 * The fenced blocks of a Markdown text, in order, as CommonMark reads them: a block closes at a fence of the
 * same character at least as long as the one that opened it, so a ``` inside a ```` block is content.
 * Linear in the text's length.
 */
export function findFencedBlocks(text: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  const lines = text.split('\n');
  let offset = 0;
  let open: { fence: string; language?: string; start: number; contentStart: number } | undefined;
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const lineStart = offset;
    offset += raw.length + 1;
    if (!open) {
      const match = OPEN.exec(line);
      // A backtick fence's info string may not contain backticks (CommonMark); the regex's [^`] enforces it.
      if (match) {
        const language = match[2] ? match[2].toLowerCase() : undefined;
        open = {
          fence: match[1] as string,
          start: lineStart,
          contentStart: offset,
          ...(language ? { language } : {}),
        };
      }
      continue;
    }
    const close = CLOSE.exec(line);
    if (close) {
      const fence = close[1] as string;
      if (fence[0] === open.fence[0] && fence.length >= open.fence.length) {
        blocks.push({
          content: text
            .slice(open.contentStart, Math.max(open.contentStart, lineStart - 1))
            .replace(/\r$/, ''),
          closed: true,
          start: open.start,
          end: Math.min(offset - 1, text.length),
          ...(open.language ? { language: open.language } : {}),
        });
        open = undefined;
      }
    }
  }
  if (open)
    blocks.push({
      content: text.slice(Math.min(open.contentStart, text.length)),
      closed: false,
      start: open.start,
      end: text.length,
      ...(open.language ? { language: open.language } : {}),
    });
  return blocks;
}
