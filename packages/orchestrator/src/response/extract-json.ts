import { findFencedBlocks } from './find-fenced-blocks.js';

export type JsonSource = 'whole' | 'fenced' | 'balanced';

export type ExtractJsonResult =
  | { ok: true; value: unknown; source: JsonSource; text: string }
  | { ok: false; message: string };

/** How many start positions the balanced scan tries before giving up: bounds the work on hostile text. */
const MAX_CANDIDATES = 256;

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/**
 * The end (exclusive) of the balanced object or array starting at `start`, or -1. Brackets inside JSON
 * strings do not count, and a backslash escapes the next character inside a string, so `"a \" }"` is one
 * string. Mismatched closers (`{]`) end the scan.
 */
export function findBalancedEnd(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') stack.push('}');
    else if (c === '[') stack.push(']');
    else if (c === '}' || c === ']') {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * Reads a JSON value out of a model's answer, in this order: the whole answer; the first fenced block that
 * parses (a `json` block first); the first balanced object or array that parses, scanning from each `{` or
 * `[` in turn (so a brace in the prose before it, or a broken outer object around a valid inner one, is
 * passed over). Never "first `{` to last `}`", which joins two objects into invalid JSON.
 */
export function extractJson(text: string): ExtractJsonResult {
  const trimmed = text.trim();
  if (trimmed.length === 0) return { ok: false, message: 'the answer is empty; expected a JSON value' };
  const whole = tryParse(trimmed);
  if (whole.ok) return { ok: true, value: whole.value, source: 'whole', text: trimmed };
  const blocks = findFencedBlocks(text);
  const ordered = [
    ...blocks.filter((b) => b.language === 'json'),
    ...blocks.filter((b) => b.language !== 'json'),
  ];
  let fenceError: string | undefined;
  for (const block of ordered) {
    const parsed = tryParse(block.content.trim());
    if (parsed.ok) return { ok: true, value: parsed.value, source: 'fenced', text: block.content.trim() };
    fenceError ??= parsed.error;
  }
  let candidates = 0;
  let lastError: string | undefined;
  for (let i = 0; i < text.length && candidates < MAX_CANDIDATES; i++) {
    const c = text[i];
    if (c !== '{' && c !== '[') continue;
    candidates++;
    const end = findBalancedEnd(text, i);
    if (end < 0) {
      lastError ??= `unbalanced ${c === '{' ? 'object' : 'array'} starting at character ${i}`;
      continue;
    }
    const slice = text.slice(i, end);
    const parsed = tryParse(slice);
    if (parsed.ok) return { ok: true, value: parsed.value, source: 'balanced', text: slice };
    lastError ??= parsed.error;
  }
  const why = fenceError ?? lastError;
  return {
    ok: false,
    message: `no JSON object or array could be read from the answer${why ? ` (${why})` : ''}; answer with JSON only`,
  };
}
