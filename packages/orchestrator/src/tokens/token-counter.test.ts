import { describe, expect, it } from 'vitest';
import { createTokenCounter, encodingForModel, estimateTokenCounter } from '../index.js';

describe('token counting', () => {
  it('maps OpenAI models to their encodings and others to none', () => {
    expect(encodingForModel('gpt-4o-mini-2024-07-18')).toBe('o200k_base');
    expect(encodingForModel('gpt-4-turbo')).toBe('cl100k_base');
    expect(encodingForModel('o3-mini')).toBe('o200k_base');
    expect(encodingForModel('claude-sonnet-4-5')).toBeUndefined();
    expect(encodingForModel('GigaChat-Pro')).toBeUndefined();
  });

  it('counts exactly with the real tokenizer where the encoding is known', async () => {
    const counter = createTokenCounter();
    // Reference counts from OpenAI's tiktoken for these strings.
    expect(await counter.count('Hello, world!', 'gpt-4o')).toEqual({
      tokens: 4,
      estimated: false,
      encoding: 'o200k_base',
    });
    expect(await counter.count('Hello, world!', 'gpt-4')).toEqual({
      tokens: 4,
      estimated: false,
      encoding: 'cl100k_base',
    });
    const russian = await counter.count('Привет, как дела?', 'gpt-4o');
    expect(russian.estimated).toBe(false);
    expect(russian.tokens).toBeLessThan(10);
  });

  it('estimates, marked as such, where the encoding is unknown, and counts chat framing', async () => {
    const counter = createTokenCounter();
    expect(await counter.count('Hello, world!', 'claude-3-haiku')).toEqual({ tokens: 4, estimated: true });
    const chat = await counter.countMessages(
      [
        { role: 'system', content: 'Hi' },
        { role: 'user', content: 'Hello, world!' },
      ],
      'gpt-4o',
    );
    // 1 + 4 content tokens, 3 per message, 3 priming the reply.
    expect(chat).toEqual({ tokens: 1 + 4 + 3 * 2 + 3, estimated: false, encoding: 'o200k_base' });
    expect((await estimateTokenCounter.count('Hello, world!', 'gpt-4o')).estimated).toBe(true);
  });

  it('loads each encoding once, and falls back to an estimate (not a failure) when loading fails', async () => {
    let loads = 0;
    let fail = true;
    const counter = createTokenCounter({
      loadEncoding: async () => {
        loads++;
        if (fail) throw new Error('no tokenizer in this bundle');
        return (text) => text.length;
      },
      models: { 'my-finetune': 'cl100k_base' },
    });
    expect((await counter.count('abcdef', 'my-finetune')).estimated).toBe(true);
    fail = false;
    const [a, b] = await Promise.all([counter.count('abcdef', 'my-finetune'), counter.count('abc', 'gpt-4')]);
    expect(a).toEqual({ tokens: 6, estimated: false, encoding: 'cl100k_base' });
    expect(b.tokens).toBe(3);
    expect(loads).toBe(2);
  });
});
