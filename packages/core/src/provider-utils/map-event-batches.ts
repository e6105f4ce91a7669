import type { StreamPart } from '../spec/stream-part.js';

/**
 * A provider's stream loop over batched events (`parseSseBatches`, one batch per network read): `map` turns
 * each event into parts pushed onto `out`, synchronously, and they are yielded before the next event is
 * mapped, so the first part leaves as soon as its event is read (a read carrying a whole answer does not
 * delay the first token) while the loop still awaits the network once per read. An event that throws ends
 * the stream after the parts of the events before it; `'stop'` ends the reading (see `isEnd` for what is
 * left of the body). Returns whether it stopped on `'stop'`.
 *
 * @deprecated Use `partStream` (one iterator instead of a generator per layer); kept for providers written
 * against it.
 */
export async function* mapEventBatches<E>(
  batches: AsyncIterable<E[]>,
  /** Pushes the event's parts onto `out`; returns `'stop'` for the wire's end marker, anything else to go on. */
  map: (event: E, out: StreamPart[]) => unknown,
): AsyncGenerator<StreamPart, boolean, undefined> {
  const out: StreamPart[] = [];
  for await (const events of batches) {
    for (const event of events) {
      let stop: unknown;
      try {
        stop = map(event, out);
      } catch (error) {
        // What the event produced before it failed still goes out first.
        for (const part of out) yield part;
        out.length = 0;
        throw error;
      }
      for (const part of out) yield part;
      out.length = 0;
      if (stop === 'stop') return true;
    }
  }
  return false;
}
