import { afterEach, describe, expect, it, vi } from 'vitest';
import { anySignal } from './any-signal.js';

describe.each([
  ['native AbortSignal.any', false],
  ['the fallback (edge-runtime has no AbortSignal.any)', true],
])('anySignal with %s', (_label, removeNative) => {
  afterEach(() => vi.unstubAllGlobals());
  const setup = () => {
    if (removeNative) {
      class NoAny extends AbortSignal {}
      Object.defineProperty(NoAny, 'any', { value: undefined });
      vi.stubGlobal('AbortSignal', NoAny);
    }
  };

  it('aborts with the reason of the first input that aborts', () => {
    setup();
    const a = new AbortController();
    const b = new AbortController();
    const combined = anySignal([a.signal, b.signal]);
    expect(combined.aborted).toBe(false);
    b.abort(new Error('b went first'));
    a.abort(new Error('a later'));
    expect(combined.aborted).toBe(true);
    expect((combined.reason as Error).message).toBe('b went first');
  });

  it('is aborted at once when an input already is', () => {
    setup();
    const a = new AbortController();
    a.abort('gone');
    expect(anySignal([new AbortController().signal, a.signal]).reason).toBe('gone');
  });
});
