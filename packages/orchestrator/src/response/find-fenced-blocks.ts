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

/**
 * A line that opens a fence: up to three spaces, three or more backticks or tildes, then an info string whose
 * first word is the language. Parsed by hand, not by a regex: a regex with overlapping groups over the info
 * string backtracks quadratically on a long line that fails at its end (a stray backtick), and a model's
 * answer can be one 100 KB line. One pass over the line.
 */
function parseFenceLine(line: string): { fence: string; info: string } | undefined {
  let i = 0;
  while (i < 3 && line[i] === ' ') i++;
  const char = line[i];
  if (char !== '`' && char !== '~') return undefined;
  let end = i;
  while (line[end] === char) end++;
  if (end - i < 3) return undefined;
  const info = line.slice(end);
  // A backtick fence's info string may not contain backticks (CommonMark); a tilde fence's may.
  if (char === '`' && info.includes('`')) return undefined;
  return { fence: line.slice(i, end), info };
}

/** The info string's first word, lower-cased, or undefined. */
function languageOf(info: string): string | undefined {
  const word = info.trim().split(/\s/, 1)[0];
  return word ? word.toLowerCase() : undefined;
}

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
      const opening = parseFenceLine(line);
      if (opening) {
        const language = languageOf(opening.info);
        open = {
          fence: opening.fence,
          start: lineStart,
          contentStart: offset,
          ...(language ? { language } : {}),
        };
      }
      continue;
    }
    const close = parseFenceLine(line);
    // A closing fence has nothing after it but spaces.
    if (close && close.info.trim() === '') {
      const fence = close.fence;
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
