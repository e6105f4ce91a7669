import { findFencedBlocks } from './find-fenced-blocks.js';

export type JsonSource = 'whole' | 'fenced' | 'balanced';

export type ExtractJsonResult =
  | { ok: true; value: unknown; source: JsonSource; text: string }
  | { ok: false; message: string };

/** One JSON value read out of an answer, and where it was found. */
export interface JsonCandidate {
  value: unknown;
  source: JsonSource;
  text: string;
}

/**
 * Characters the balanced scan may read and parse in all, over every start position: bounds the work on
 * hostile text (`{` × 1 M) to a few milliseconds whatever its shape, while a real answer (one scan to find its
 * objects, one parse of each) stays far below it.
 */
const MAX_WORK = 4_000_000;
/** Start positions scanned, and spans parsed, at most. */
const MAX_SCANS = 256;
const MAX_PARSES = 256;

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
 * Every balanced `{…}` / `[…]` span of `text`, as [start, end) pairs. One scan from an opener also settles
 * every opener it meets outside strings (each closes where that scan closes it, or never when the scan ends
 * or breaks with it still open), so a text of nested openers costs one scan, not one per opener; only an
 * opener the scans saw inside a string gets a scan of its own. Bounded by `MAX_SCANS` and the work budget.
 */
function balancedSpans(text: string, budget: { left: number }): { start: number; end: number }[] {
  // Typed arrays, not a Map and objects: a million openers are a million entries, allocated once.
  // settled[i]: 0 not yet known, -1 unbalanced from i, else the end (exclusive) of the span starting at i.
  const settled = new Int32Array(text.length);
  const stack = new Int32Array(text.length);
  const spans: { start: number; end: number }[] = [];
  let scans = 0;
  for (let s = 0; s < text.length && scans < MAX_SCANS && budget.left > 0; s++) {
    const first = text.charCodeAt(s);
    if ((first !== OPEN_BRACE && first !== OPEN_BRACKET) || settled[s] !== 0) continue;
    scans++;
    let depth = 0;
    let inString = false;
    let i = s;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (c === BACKSLASH) i++;
        else if (c === QUOTE) inString = false;
        continue;
      }
      if (c === QUOTE) inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) stack[depth++] = i;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (depth === 0) break;
        const at = stack[--depth] as number;
        if ((text.charCodeAt(at) === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET) !== c) {
          settled[at] = -1;
          break;
        }
        settled[at] = i + 1;
        spans.push({ start: at, end: i + 1 });
        if (depth === 0) break;
      }
    }
    budget.left -= i - s + 1;
    // Still open when the scan ended: unbalanced from there, whoever starts the scan.
    for (let d = 0; d < depth; d++) settled[stack[d] as number] = -1;
  }
  return spans.sort((a, b) => a.start - b.start);
}

const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const QUOTE = 34;
const BACKSLASH = 92;

/**
 * The JSON values an answer holds, best first: the whole answer when it parses (then nothing else); the
 * fenced blocks that parse (`json` ones first); then the balanced objects and arrays that parse and are not
 * inside another one that parses, largest first (the later one on a tie), so a `[1]` citation or a `{}` in
 * the prose loses to the answer's object. Lazy: a caller that takes the first stops the work there.
 */
export function* jsonCandidates(text: string): Generator<JsonCandidate, { error?: string }> {
  const trimmed = text.trim();
  if (trimmed.length === 0) return { error: 'the answer is empty; expected a JSON value' };
  const whole = tryParse(trimmed);
  if (whole.ok) {
    yield { value: whole.value, source: 'whole', text: trimmed };
    return {};
  }
  const seen = new Set<string>();
  const blocks = findFencedBlocks(text);
  let firstError: string | undefined;
  let fencedParses = 0;
  for (const block of [
    ...blocks.filter((b) => b.language === 'json'),
    ...blocks.filter((b) => b.language !== 'json'),
  ]) {
    const content = block.content.trim();
    // Nothing to read in an empty block; and a failed parse costs an exception: bounded like the scan's.
    if (content === '' || !/^[[{"\d-]|^(?:true|false|null)/.test(content)) continue;
    if (++fencedParses > MAX_PARSES) break;
    const parsed = tryParse(content);
    if (!parsed.ok) {
      firstError ??= parsed.error;
      continue;
    }
    seen.add(content);
    yield { value: parsed.value, source: 'fenced', text: content };
  }
  const budget = { left: MAX_WORK };
  const spans = balancedSpans(text, budget);
  if (spans.length === 0 && /[{[]/.test(text)) firstError ??= 'an unbalanced object or array';
  const found: (JsonCandidate & { start: number })[] = [];
  let parses = 0;
  let coveredTo = -1;
  for (const span of spans) {
    // Inside a span that parsed: part of that value, not an answer of its own.
    if (span.start < coveredTo) continue;
    if (parses >= MAX_PARSES || budget.left <= 0) break;
    parses++;
    budget.left -= span.end - span.start;
    const slice = text.slice(span.start, span.end);
    const parsed = tryParse(slice);
    if (!parsed.ok) {
      firstError ??= parsed.error;
      continue;
    }
    coveredTo = span.end;
    found.push({ value: parsed.value, source: 'balanced', text: slice, start: span.start });
  }
  found.sort((a, b) => b.text.length - a.text.length || b.start - a.start);
  for (const { start: _, ...candidate } of found) {
    if (seen.has(candidate.text)) continue;
    seen.add(candidate.text);
    yield candidate;
  }
  return firstError ? { error: firstError } : {};
}

/** The message for an answer with no JSON value in it. */
export function noJsonMessage(why: string | undefined): string {
  return `no JSON object or array could be read from the answer${why ? ` (${why})` : ''}; answer with JSON only`;
}

/**
 * Reads a JSON value out of a model's answer: the first of `jsonCandidates` (the whole answer; a fenced
 * block; else the largest balanced object or array that parses). Never "first `{` to last `}`", which joins
 * two objects into invalid JSON. Bounded work on any input.
 */
export function extractJson(text: string): ExtractJsonResult {
  const candidates = jsonCandidates(text);
  const first = candidates.next();
  if (!first.done) return { ok: true, ...first.value };
  if (text.trim().length === 0) return { ok: false, message: first.value.error ?? 'empty' };
  return { ok: false, message: noJsonMessage(first.value.error) };
}
