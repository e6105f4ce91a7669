// LineSplitter throughput: the previous algorithm (copied below as the baseline, measured in the same run)
// against the current one, for short SSE-like lines and for one 8 MB line, fed in network-sized chunks.
// Prints MB/s (of UTF-16 text; the inputs are ASCII, so bytes = characters). Every loop is bounded.
// Run with `node --import tsx bench/line-splitter.bench.ts` (in packages/core).
import { cpus } from 'node:os';
import { LineSplitter } from '../src/provider-utils/line-splitter.js';

/** The splitter before it was made linear: every push concatenates the buffer and rescans it from the start. */
class QuadraticLineSplitter {
  private buffer = '';
  private skipLeadingLF = false;

  push(text: string): string[] {
    if (text.length === 0) return [];
    let input = text;
    if (this.skipLeadingLF) {
      this.skipLeadingLF = false;
      if (input.charCodeAt(0) === 10) input = input.slice(1);
    }
    const buffer = this.buffer + input;
    const lines: string[] = [];
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const code = buffer.charCodeAt(i);
      if (code !== 10 && code !== 13) continue;
      lines.push(buffer.slice(start, i));
      if (code === 13) {
        if (i + 1 < buffer.length) {
          if (buffer.charCodeAt(i + 1) === 10) i++;
        } else {
          this.skipLeadingLF = true;
        }
      }
      start = i + 1;
    }
    this.buffer = buffer.slice(start);
    return lines;
  }

  flush(): string | undefined {
    const rest = this.buffer;
    this.buffer = '';
    return rest.length > 0 ? rest : undefined;
  }
}

interface Splitter {
  push(text: string): string[];
  flush(): string | undefined;
}

function chunk(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
}

/** Feeds every chunk; returns a checksum (line count and total length) so the work cannot be skipped. */
function run(create: () => Splitter, chunks: string[]): { lines: number; characters: number } {
  const splitter = create();
  let lines = 0;
  let characters = 0;
  for (const piece of chunks) {
    for (const line of splitter.push(piece)) {
      lines++;
      characters += line.length;
    }
  }
  const rest = splitter.flush();
  if (rest !== undefined) {
    lines++;
    characters += rest.length;
  }
  return { lines, characters };
}

interface Measurement {
  ms: number;
  mbPerSecond: number;
  lines: number;
  characters: number;
}

/** Best of `repeats` timed runs (after one untimed warm-up when `repeats` > 1); MB/s of input. */
function measure(
  create: () => Splitter,
  chunks: string[],
  totalCharacters: number,
  repeats: number,
): Measurement {
  let expected: { lines: number; characters: number } | undefined =
    repeats > 1 ? run(create, chunks) : undefined;
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    const result = run(create, chunks);
    best = Math.min(best, performance.now() - started);
    expected ??= result;
    if (result.lines !== expected.lines || result.characters !== expected.characters)
      throw new Error('inconsistent result');
  }
  return { ms: best, mbPerSecond: totalCharacters / 1e6 / (best / 1000), ...expected! };
}

const event =
  'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hello"}}]}\n\n';
const shortLines = event.repeat(Math.ceil((16 * 1024 * 1024) / event.length));
const longLine = `data: ${'x'.repeat(8 * 1024 * 1024)}\n\n`;

// The old algorithm rescans the whole buffered line on every push: an 8 MB line costs seconds in 64 KB chunks
// (timed once, no warm-up) and, with 64x the pushes, minutes in 1 KB chunks, so that one runs for the new
// splitter only.
const scenarios = [
  {
    name: 'short SSE lines (16 MB, 1 KB chunks)',
    text: shortLines,
    chunkSize: 1024,
    repeats: 5,
    oldRepeats: 3,
  },
  {
    name: 'short SSE lines (16 MB, 16 KB chunks)',
    text: shortLines,
    chunkSize: 16 * 1024,
    repeats: 5,
    oldRepeats: 3,
  },
  { name: 'one 8 MB line, 64 KB chunks', text: longLine, chunkSize: 64 * 1024, repeats: 5, oldRepeats: 1 },
  { name: 'one 8 MB line, 1 KB chunks', text: longLine, chunkSize: 1024, repeats: 5, oldRepeats: 0 },
];

console.log(`Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}`);
console.log(
  'scenario                               | old MB/s  (ms)        | new MB/s  (ms)        | speed-up',
);
console.log(
  '-------------------------------------- | --------------------- | --------------------- | --------',
);
for (const scenario of scenarios) {
  const chunks = chunk(scenario.text, scenario.chunkSize);
  const total = scenario.text.length;
  const newResult = measure(() => new LineSplitter(), chunks, total, scenario.repeats);
  const oldResult =
    scenario.oldRepeats > 0
      ? measure(() => new QuadraticLineSplitter(), chunks, total, scenario.oldRepeats)
      : undefined;
  if (oldResult && (oldResult.lines !== newResult.lines || oldResult.characters !== newResult.characters))
    throw new Error(`${scenario.name}: the two splitters disagree`);
  const cell = (r: Measurement | undefined) =>
    r
      ? `${r.mbPerSecond.toFixed(1).padStart(8)}  (${r.ms.toFixed(1).padStart(8)} ms)`
      : 'not run (minutes)'.padEnd(21);
  const speedUp = oldResult ? `${(oldResult.ms / newResult.ms).toFixed(1).padStart(6)}×` : '     —';
  console.log(`${scenario.name.padEnd(38)} | ${cell(oldResult)} | ${cell(newResult)} | ${speedUp}`);
}
