/**
 * A value built on first use and kept: for zod schemas, whose construction is most of what importing a
 * package that defines many of them costs at start-up, and which a process may never need (a schema that
 * only names the problem once a cheap check has failed).
 */
export function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}
