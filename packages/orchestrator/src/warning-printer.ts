import type { OrchestratorOptions } from './orchestrator-options.js';

/** Distinct messages `warnOnce` remembers before the record starts over. */
const MAX_REMEMBERED = 1000;

/** The orchestrator's warnings, to its `onWarning` handler (read at each warning) or the console. */
export class WarningPrinter {
  readonly #options: Pick<OrchestratorOptions, 'onWarning'>;
  readonly #warned = new Set<string>();

  constructor(options: Pick<OrchestratorOptions, 'onWarning'>) {
    this.#options = options;
  }

  /** `warn`, once per distinct message (bounded: past 1000 distinct messages, the record starts over). */
  warnOnce(message: string): void {
    if (this.#warned.has(message)) return;
    if (this.#warned.size >= MAX_REMEMBERED) this.#warned.clear();
    this.#warned.add(message);
    this.warn(message);
  }

  warn(message: string): void {
    const handler = this.#options.onWarning;
    if (handler === false) return;
    if (handler) {
      // A handler that throws must not turn a warning (a store that failed, a listener that threw) into a
      // failed request: warnings are documented never to fail one.
      try {
        handler(message);
      } catch {
        // Ignored, as a throwing logger is.
      }
    }
    // biome-ignore lint/suspicious/noConsole: the documented default printer, as core's onWarning has.
    else console.warn(`[llmo/orchestrator] ${message}`);
  }
}
