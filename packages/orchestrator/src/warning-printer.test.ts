import { afterEach, describe, expect, it, vi } from 'vitest';
import { WarningPrinter } from './warning-printer.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('WarningPrinter', () => {
  it('warnOnce prints each distinct message once, and again only after 1000 others cleared the record', () => {
    const printed: string[] = [];
    const printer = new WarningPrinter({ onWarning: (m) => printed.push(m) });
    printer.warnOnce('a');
    printer.warnOnce('a');
    expect(printed).toEqual(['a']);
    for (let i = 0; i < 999; i++) printer.warnOnce(`other ${i}`);
    printer.warnOnce('a');
    expect(printed).toHaveLength(1000);
    // The record is full (1000 distinct): the next new message starts it over, so 'a' is printed again.
    printer.warnOnce('one more');
    printer.warnOnce('a');
    expect(printed.slice(-2)).toEqual(['one more', 'a']);
  });

  it('a handler that throws is ignored; false prints nothing; the default prints to console.warn', () => {
    const printer = new WarningPrinter({
      onWarning: () => {
        throw new Error('handler broke');
      },
    });
    expect(() => printer.warn('x')).not.toThrow();
    const console = vi.spyOn(globalThis.console, 'warn').mockImplementation(() => {});
    new WarningPrinter({ onWarning: false }).warn('silenced');
    expect(console).not.toHaveBeenCalled();
    new WarningPrinter({}).warn('shown');
    expect(console).toHaveBeenCalledWith('[llmo/orchestrator] shown');
  });
});
