import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  Scalar,
} from 'yaml';
import type { ConfigIssue } from './config-error.js';
import { formatPath, type PathSegment } from './format-path.js';
import { SourceLocations } from './source-locations.js';
import { type ConfigEnv, describeSubstitutionProblem, substituteEnv } from './substitute-env.js';

/** A configuration document read from YAML (or given as an object): its value and where each value was. */
export interface ReadDocument {
  /** The name errors show for this document. */
  file?: string;
  value: unknown;
  locations: SourceLocations;
  issues: ConfigIssue[];
  /** Paths whose value could not be resolved (a missing variable): later checks skip them. */
  unresolved: Set<string>;
}

/** Keys whose values are credentials: a reference there always stays a string, even if it reads as a number. */
const SECRET_KEY = /key|token|secret|password|credential/i;
const MAX_DEPTH = 64;

/**
 * Parses YAML text, keeping each value's line, and replaces `${VAR}` references in string values (never in
 * keys, never across values: a variable cannot add structure). Syntax errors are reported by line, without
 * the source excerpt the `yaml` package adds (it may show a secret).
 */
export function readYaml(text: string, env: ConfigEnv, file?: string): ReadDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const locations = new SourceLocations();
  const issues: ConfigIssue[] = [];
  const unresolved = new Set<string>();
  const at = (offset: number | undefined) => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { file, line: pos.line, column: pos.col };
  };
  for (const error of doc.errors) {
    const pos = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
    issues.push({
      path: '',
      file,
      line: pos.line,
      column: pos.col,
      message: `YAML syntax error (${error.code}): ${stripExcerpt(error.message)}. Fix the YAML at that line (indentation, a missing ":" or an unclosed quote are the usual causes).`,
    });
  }
  if (issues.length > 0) return { file, value: undefined, locations, issues, unresolved };

  const visit = (node: unknown, path: PathSegment[], depth: number): unknown => {
    if (depth > MAX_DEPTH) {
      issues.push({ path: formatPath(path), ...at(0), message: `nested deeper than ${MAX_DEPTH} levels` });
      return undefined;
    }
    if (isAlias(node)) return visit(node.resolve(doc as Document), path, depth + 1);
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const merged: Array<[Record<string, unknown>, number | undefined]> = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        if (key === '<<' && isScalar(keyNode) && keyNode.type === Scalar.PLAIN) {
          // A YAML merge key (`<<: *anchor` or `<<: [*a, *b]`): its maps fill in the keys not written here.
          const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
          for (const item of sources) {
            const value = visit(item, path, depth + 1);
            if (value && typeof value === 'object' && !Array.isArray(value))
              merged.push([value as Record<string, unknown>, keyNode.range?.[0]]);
          }
          continue;
        }
        const childPath = [...path, key];
        locations.set(childPath, at(keyNode?.range?.[0]));
        out[key] = visit(pair.value, childPath, depth + 1);
      }
      for (const [source, offset] of merged) {
        for (const [key, value] of Object.entries(source)) {
          if (key in out) continue;
          out[key] = value;
          locations.set([...path, key], at(offset));
        }
      }
      return out;
    }
    if (isSeq(node)) {
      return node.items.map((item, index) => {
        const childPath = [...path, index];
        locations.set(childPath, at((item as Node | null)?.range?.[0]));
        return visit(item, childPath, depth + 1);
      });
    }
    if (isScalar(node)) {
      if (typeof node.value !== 'string') return node.value;
      return substitute(node, path);
    }
    return node == null ? null : undefined;
  };

  const substitute = (node: Scalar, path: PathSegment[]): unknown => {
    const raw = node.value as string;
    const result = substituteEnv(raw, env);
    for (const problem of result.problems) {
      issues.push({
        path: formatPath(path),
        ...at(node.range?.[0]),
        message: describeSubstitutionProblem(problem),
      });
    }
    if (result.problems.length > 0) unresolved.add(formatPath(path));
    const key = path[path.length - 1];
    const plain = node.type === Scalar.PLAIN;
    if (result.whole && plain && !(typeof key === 'string' && SECRET_KEY.test(key)))
      return retype(result.text);
    return result.text;
  };

  if (doc.contents) locations.set([], at(doc.contents.range?.[0]));
  const value = visit(doc.contents, [], 0);
  return { file, value, locations, issues, unresolved };
}

/** A plain `${PORT:-8000}` reads as YAML would read what it stands for: a number or a boolean, else text. */
function retype(text: string): unknown {
  if (/^[-+]?(0|[1-9][0-9]*)$/.test(text)) return Number(text);
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

/** The `yaml` package's message without its trailing "at line N, column M:" and the quoted source lines. */
function stripExcerpt(message: string): string {
  const cut = message.search(/ at line \d+, column \d+/);
  const first = (cut >= 0 ? message.slice(0, cut) : message).split('\n')[0] ?? '';
  return first.replace(/[.:]\s*$/, '');
}
