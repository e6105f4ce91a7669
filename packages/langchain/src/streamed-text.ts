import type { StreamPart } from '@llmo/core';

/**
 * Core's `text-revision` stream part: the provider replaced the text streamed so far in text block `id`;
 * `text` is that block's whole text now, and later `text-delta`s of the block append to it (YandexGPT's
 * cumulative stream rewrites earlier text). Declared here too so the models read it with an `@llmo/core`
 * that predates it (its router passes parts it does not know through).
 */
export interface TextRevisionPart {
  type: 'text-revision';
  id: string;
  text: string;
}

/** A router stream part, including `text-revision`. */
export type RoutedPart = StreamPart | TextRevisionPart;

/** What `StreamedText.read` returns for a revision that takes back text given out. */
export const TAKEN_BACK: unique symbol = Symbol('taken back');

/** The first revision that took back text given out: its block, and the text given out before it. */
export interface TakenBack {
  textId: string;
  streamedText: string;
}

/**
 * What a LangChain consumer has been given of each text block, so a revision can be told apart: one that
 * only extends that text is one more delta; one that changes it takes back text already given out.
 */
export class StreamedText {
  private readonly blocks = new Map<string, string>();
  private given = '';
  /** The first revision that took text back, if any. */
  takenBack: TakenBack | undefined;

  /**
   * What one part means for the text: the delta to give out (a `text-delta`, or a revision that only
   * extends its block), `TAKEN_BACK` for a revision that changes text given out, else `undefined`. After
   * a revision the block's text is the revised one, so later deltas and revisions build on it.
   */
  read(part: RoutedPart): string | typeof TAKEN_BACK | undefined {
    if (part.type === 'text-delta') return this.give(part.id, (this.blocks.get(part.id) ?? '') + part.delta);
    if (part.type !== 'text-revision') return undefined;
    const before = this.blocks.get(part.id) ?? '';
    if (part.text.startsWith(before)) return this.give(part.id, part.text);
    this.blocks.set(part.id, part.text);
    this.takenBack ??= { textId: part.id, streamedText: this.given };
    return TAKEN_BACK;
  }

  private give(id: string, text: string): string {
    const delta = text.slice((this.blocks.get(id) ?? '').length);
    this.blocks.set(id, text);
    this.given += delta;
    return delta;
  }
}
