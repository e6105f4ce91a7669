import type { StreamPart } from '../spec/stream-part.js';

/**
 * A provider's stream loop over batched events (`parseSseBatches`, one batch per network read): `map` turns
 * each event into parts pushed onto `out`, synchronously, and the parts of a batch are yielded together, so
 * the loop awaits once per read rather than once per event and part. When an event throws, the parts of the
 * events before it are yielded first, then the error; `'stop'` ends the reading (what is left of the body is
 * handed back to the transport). Returns whether it stopped on `'stop'`.
 */
export async function* mapEventBatches<E>(
  batches: AsyncIterable<E[]>,
  /** Pushes the event's parts onto `out`; returns `'stop'` for the wire's end marker, anything else to go on. */
  map: (event: E, out: StreamPart[]) => unknown,
): AsyncGenerator<StreamPart, boolean, undefined> {
  const out: StreamPart[] = [];
  for await (const events of batches) {
    let failure: { error: unknown } | undefined;
    let stopped = false;
    try {
      for (const event of events) {
        if (map(event, out) === 'stop') {
          stopped = true;
          break;
        }
      }
    } catch (error) {
      failure = { error };
    }
    for (const part of out) yield part;
    out.length = 0;
    if (failure) throw failure.error;
    if (stopped) return true;
  }
  return false;
}
