// README samples: every ```ts block, with the marker that may precede it.
//
//   <!-- snippet: types-only (why it cannot run here) -->   type-checked, not run
//   <!-- snippet: skip (why it is not a standalone program) -->   neither
//
// The marker is an HTML comment (invisible on GitHub and npm) on the last non-blank line before the
// fence. The reason in parentheses is required: a sample that is not checked says why, where it stands.
import { readFileSync } from 'node:fs';

const MARKER = /^<!--\s*snippet:\s*(types-only|skip)\s*(?:\((.+)\))?\s*-->$/;

/**
 * @typedef {{ readme: string, line: number, index: number, code: string,
 *   mode: 'run' | 'types-only' | 'skip', reason?: string }} Snippet
 */

/**
 * The ```ts blocks of one README (`readme` is the path shown in messages; `file` the path read).
 * @returns {Snippet[]}
 */
export function extractSnippets(file, readme) {
  const lines = readFileSync(file, 'utf8').split('\n');
  /** @type {Snippet[]} */
  const snippets = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)(`{3,})(.*)$/.exec(lines[i]);
    if (!fence) continue;
    const [, indent, ticks, info] = fence;
    // Find the closing fence whatever the language, so a block inside another is never read as code.
    let end = i + 1;
    while (end < lines.length && !new RegExp(`^\\s*${ticks}\\s*$`).test(lines[end])) end++;
    if (info.trim() === 'ts' || info.trim() === 'typescript') {
      let prev = i - 1;
      while (prev >= 0 && lines[prev].trim() === '') prev--;
      const marker = prev >= 0 ? MARKER.exec(lines[prev].trim()) : null;
      if (prev >= 0 && !marker && /<!--\s*snippet/.test(lines[prev]))
        throw new Error(`${readme}:${prev + 1}: unreadable snippet marker: ${lines[prev].trim()}`);
      if (marker && !marker[2]?.trim())
        throw new Error(
          `${readme}:${prev + 1}: "${marker[1]}" needs a reason: <!-- snippet: ${marker[1]} (why) -->`,
        );
      const code = lines
        .slice(i + 1, end)
        .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
        .join('\n');
      snippets.push({
        readme,
        line: i + 2, // the first line of code, 1-based
        index: snippets.length + 1,
        code: `${code}\n`,
        mode: marker ? /** @type {'types-only' | 'skip'} */ (marker[1]) : 'run',
        reason: marker?.[2]?.trim(),
      });
    }
    i = end;
  }
  return snippets;
}

/** Rewrites `snippets/<file>.ts(12,5)` / `snippets/<file>.ts:12:5` in tool output to README locations. */
export function toReadmeLocations(output, byFile) {
  return output.replace(
    /(?:[^\s(]*\/)?(snippets\/[\w.-]+\.ts)(?:\((\d+),(\d+)\)|:(\d+):(\d+))/g,
    (match, file, l1, c1, l2, c2) => {
      const snippet = byFile.get(file);
      if (!snippet) return match;
      const line = Number(l1 ?? l2);
      const column = Number(c1 ?? c2);
      return `${snippet.readme}:${snippet.line + line - 1}:${column} (${file})`;
    },
  );
}
