import { describe, expect, it } from 'vitest';
import {
  chatCompletionChunkZod,
  chatCompletionZod,
  isChatCompletion,
  isChatCompletionChunk,
} from './openai-api.js';

const completion = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  model: 'gpt-4o-mini',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
        ],
      },
      finish_reason: 'tool_calls',
    },
  ],
  usage: {
    prompt_tokens: 9,
    completion_tokens: 3,
    total_tokens: 12,
    prompt_tokens_details: { cached_tokens: 0 },
  },
};
const chunks = [
  {
    id: 'c',
    model: 'm',
    choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: null }],
  },
  {
    id: 'c',
    model: 'm',
    choices: [
      {
        index: 0,
        delta: { tool_calls: [{ index: 0, id: 'call_1', function: { name: 'f', arguments: '{"a"' } }] },
        finish_reason: null,
      },
    ],
  },
  { id: 'c', model: 'm', choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } },
  { id: null, choices: null, usage: null, obfuscation: 'x' },
];

const REPLACEMENTS: unknown[] = [undefined, null, 0, 1.5, Number.NaN, 'x', '', true, [], {}, [1], [{}]];

/** Every value reachable from `root`, each replaced by each candidate (and deleted): the mutants. */
function* mutants(root: unknown): Generator<unknown> {
  const paths: (string | number)[][] = [];
  const walk = (value: unknown, path: (string | number)[]) => {
    if (path.length > 0) paths.push(path);
    if (Array.isArray(value)) for (const [i, v] of value.entries()) walk(v, [...path, i]);
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  walk(root, []);
  for (const path of paths) {
    for (const replacement of [...REPLACEMENTS, DELETE]) {
      const copy = structuredClone(root) as Record<string | number, unknown>;
      let parent: Record<string | number, unknown> = copy;
      for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
      const last = path.at(-1)!;
      if (replacement === DELETE) delete parent[last];
      else parent[last] = replacement;
      yield copy;
    }
  }
}
const DELETE = Symbol('delete');

describe('the fast guards accept only what the zod schemas accept', () => {
  it('completion: well-formed bodies take the fast path; no mutant passes the guard that zod rejects', () => {
    expect(isChatCompletion(completion)).toBe(true);
    let fast = 0;
    for (const m of mutants(completion)) {
      if (!isChatCompletion(m)) continue;
      fast++;
      expect(chatCompletionZod.safeParse(m).success, JSON.stringify(m)).toBe(true);
    }
    expect(fast).toBeGreaterThan(20); // the guard is not simply refusing everything
  });

  it('chunks: the same, for text, tool-call, usage-only and all-null chunks', () => {
    for (const chunk of chunks) {
      expect(isChatCompletionChunk(chunk)).toBe(true);
      for (const m of mutants(chunk))
        if (isChatCompletionChunk(m))
          expect(chatCompletionChunkZod.safeParse(m).success, JSON.stringify(m)).toBe(true);
    }
  });
});
