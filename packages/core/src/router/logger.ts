/**
 * What the router logs through: pino's `(object, message)` call shape, which `console` also accepts.
 * Pass `pino()`, `console`, or anything with these methods.
 */
export interface Logger {
  info(fields: Record<string, unknown>, message?: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
  error?(fields: Record<string, unknown>, message?: string): void;
  debug?(fields: Record<string, unknown>, message?: string): void;
}
