import { findFencedBlocks } from './find-fenced-blocks.js';

export interface ExtractedCode {
  code: string;
  /** The fence's language (`python`, `ts`); undefined when the fence names none or there was no fence. */
  language?: string;
  /** False when the answer had no fenced block and the whole answer was taken as code. */
  fenced: boolean;
  /** False when the block was never closed (the answer was cut off). */
  complete: boolean;
}

/**
 * The first fenced block of an answer, or, when `language` is given, the first block in that language (then
 * the first block of any language). An answer with no fence at all is taken whole, trimmed.
 */
export function extractCode(text: string, language?: string): ExtractedCode {
  const blocks = findFencedBlocks(text);
  const wanted = language?.toLowerCase();
  const block = (wanted ? blocks.find((b) => b.language === wanted) : undefined) ?? blocks[0];
  if (!block) return { code: text.trim(), fenced: false, complete: true };
  return {
    code: block.content,
    fenced: true,
    complete: block.closed,
    ...(block.language ? { language: block.language } : {}),
  };
}
