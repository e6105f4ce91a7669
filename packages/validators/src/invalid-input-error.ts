import { LlmoError } from '@llmo/core/provider';

/** A check was called with empty or malformed input; thrown before any request is sent. */
export function invalidInput(validator: string, message: string): LlmoError {
  return new LlmoError({ name: 'ValidationInputError', message: `${validator}: ${message}` });
}

/** A non-empty, non-blank string, or an error naming the field. */
export function requireText(value: unknown, field: string, validator: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidInput(validator, `${field} must be a non-empty string`);
  }
  return value;
}
