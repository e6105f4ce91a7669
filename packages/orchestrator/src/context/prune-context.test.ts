import type { ChatMessage } from '@llmo/core';
import { describe, expect, it } from 'vitest';
import { type ContextItem, pruneContext, type TextTokenizer, trimHistory } from '../index.js';

// One token per word: budgets at exact edges are easy to reason about.
const words: TextTokenizer = { estimated: false, count: (t) => t.split(/\s+/).filter(Boolean).length };

const items: ContextItem[] = [
  { id: 'old-relevant', content: 'a b c', relevance: 0.9, timestamp: 1000 },
  { id: 'new-irrelevant', content: 'd e', relevance: 0.1, timestamp: 3000 },
  { id: 'middle', content: 'f g h i', relevance: 0.5, timestamp: 2000 },
];
const ids = (list: { item: ContextItem }[]) => list.map((s) => s.item.id);

describe('pruneContext', () => {
  it('ranks by relevance, recency, or the 0.7/0.3 hybrid', () => {
    const all = { budget: 100, tokenizer: words };
    expect(ids(pruneContext(items, { ...all, strategy: 'relevance' }).included)).toEqual([
      'old-relevant',
      'middle',
      'new-irrelevant',
    ]);
    expect(ids(pruneContext(items, { ...all, strategy: 'recency' }).included)).toEqual([
      'new-irrelevant',
      'middle',
      'old-relevant',
    ]);
    // hybrid: old 0.63+0 = 0.63, middle 0.35+0.15 = 0.5, new 0.07+0.3 = 0.37
    expect(ids(pruneContext(items, all).included)).toEqual(['old-relevant', 'middle', 'new-irrelevant']);
    // recency-heavy weights flip it
    expect(ids(pruneContext(items, { ...all, weights: { relevance: 0.1, recency: 0.9 } }).included)).toEqual([
      'new-irrelevant',
      'middle',
      'old-relevant',
    ]);
  });

  it('at the exact budget keeps everything; one token less drops an item whole and says so', () => {
    const exact = pruneContext(items, { budget: 9, tokenizer: words, strategy: 'relevance' });
    expect(exact.tokens).toBe(9);
    expect(exact.dropped).toEqual([]);
    const under = pruneContext(items, { budget: 8, tokenizer: words, strategy: 'relevance' });
    // old (3) + middle (4) = 7; new (2) would make 9 > 8: skipped whole, never cut.
    expect(ids(under.included)).toEqual(['old-relevant', 'middle']);
    expect(under.dropped.map((d) => [d.item.id, d.tokens])).toEqual([['new-irrelevant', 2]]);
    expect(under.tokens).toBe(7);
  });

  it('skips an item too big for what is left but keeps smaller ones after it', () => {
    const result = pruneContext(items, { budget: 5, tokenizer: words, strategy: 'relevance' });
    expect(ids(result.included)).toEqual(['old-relevant', 'new-irrelevant']);
    expect(ids(result.dropped)).toEqual(['middle']);
  });

  it('a zero budget keeps nothing; no items is fine; dates and missing fields are accepted', () => {
    expect(pruneContext(items, { budget: 0, tokenizer: words }).included).toEqual([]);
    expect(pruneContext([], { budget: 10, tokenizer: words })).toMatchObject({
      included: [],
      dropped: [],
      tokens: 0,
    });
    const mixed = pruneContext([{ content: 'x', timestamp: new Date(5000) }, { content: 'y' }], {
      budget: 10,
      tokenizer: words,
      strategy: 'recency',
    });
    expect(mixed.included.map((s) => s.item.content)).toEqual(['x', 'y']);
  });
});

describe('trimHistory', () => {
  const history: ChatMessage[] = [
    { role: 'system', content: 'be nice' },
    { role: 'user', content: 'one two' },
    { role: 'assistant', content: 'three' },
    { role: 'user', content: 'four' },
    { role: 'assistant', content: 'five six' },
  ];
  // Each message costs its words + 3 (framing): system 5, turn1 5+4 = 9, turn2 4+5 = 9.

  it('keeps the system message and the newest whole turns that fit', () => {
    const all = trimHistory(history, 23, words);
    expect(all.messages).toHaveLength(5);
    expect(all.tokens).toBe(23);
    const newest = trimHistory(history, 22, words);
    expect(newest.messages.map((m) => m.content)).toEqual(['be nice', 'four', 'five six']);
    expect(newest.dropped.map((m) => m.content)).toEqual(['one two', 'three']);
  });

  it('keeps the system message even when nothing else fits, and never splits a turn', () => {
    const tight = trimHistory(history, 13, words);
    expect(tight.messages.map((m) => m.role)).toEqual(['system']);
    expect(trimHistory(history, 0, words).messages.map((m) => m.role)).toEqual(['system']);
  });
});

describe('pruneContext with many items', () => {
  it('ranks 300 000 timestamped items without overflowing the stack', () => {
    const many: ContextItem[] = Array.from({ length: 300_000 }, (_, i) => ({
      id: String(i),
      content: 'w',
      timestamp: i,
    }));
    const result = pruneContext(many, { budget: 2, tokenizer: words, strategy: 'recency' });
    expect(ids(result.included)).toEqual(['299999', '299998']);
    expect(result.dropped).toHaveLength(299_998);
  });
});
