import type { ScriptedResponse } from './fake-http-server.js';

/** How bytes travel, for any scenario: split writes, delays between them, a delay before the answer. */
export interface TransportOptions {
  /** Re-split the body into pieces of this many bytes (1 splits every multi-byte character). */
  splitBytes?: number;
  /** Delay between written chunks. */
  chunkDelayMs?: number;
  /** Delay before the status line. */
  delayMs?: number;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

/**
 * What a fake provider server should do with the next chat request, in protocol-neutral terms. Each fake
 * server renders it in its provider's exact wire format, as JSON or as a stream depending on what the
 * request asked for.
 */
export type Scenario = TransportOptions &
  (
    | {
        type: 'text';
        text: string;
        /** How the text is streamed; default: split after each whitespace. */
        deltas?: string[];
        usage?: Usage;
        finishReason?: 'stop' | 'length';
      }
    | { type: 'tool-call'; name: string; arguments: Record<string, unknown>; id?: string; usage?: Usage }
    | {
        type: 'error';
        status: number;
        message?: string;
        /** The provider's error code (e.g. OpenAI `insufficient_quota`, GigaChat `7`). */
        code?: string | number;
        /** Sent as the `Retry-After` header. */
        retryAfter?: string;
      }
    /** A 200 stream that sends `afterDeltas` deltas of `text`, then the provider's in-stream error. */
    | { type: 'stream-error'; text: string; afterDeltas: number; message?: string }
    /** A 200 stream whose connection is reset after `afterDeltas` deltas. */
    | { type: 'reset'; text: string; afterDeltas: number }
    /** Never answers. */
    | { type: 'hang' }
    /** Exact bytes, for wire details a scenario cannot express. */
    | { type: 'raw'; response: ScriptedResponse }
  );

export type TextScenario = Extract<Scenario, { type: 'text' }>;
export type ToolCallScenario = Extract<Scenario, { type: 'tool-call' }>;
export type ErrorScenario = Extract<Scenario, { type: 'error' }>;

/** Splits text after each whitespace run: "Hello big world" → ["Hello ", "big ", "world"]. */
export function splitWords(text: string): string[] {
  const words = text.split(/(?<=\s)(?=\S)/);
  return words.filter((w) => w.length > 0);
}

export const DEFAULT_USAGE: Usage = { promptTokens: 12, completionTokens: 7 };
