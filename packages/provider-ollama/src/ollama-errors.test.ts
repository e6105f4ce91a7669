import { createErrorFromResponse } from '@llmo/core/provider';
import { describe, expect, it } from 'vitest';
import { ollamaErrors } from './ollama-errors.js';

describe('ollamaErrors (protocol note 7)', () => {
  it('inside a 200 stream only the message tells: missing model, busy queue, anything else', () => {
    expect(
      ollamaErrors.inBody({ error: 'model "llama9" not found, try pulling it first' }, { provider: 'o' }),
    ).toMatchObject({ kind: 'not_found', retryable: false });
    expect(
      ollamaErrors.inBody(
        { error: 'server busy, please try again.  maximum pending requests exceeded' },
        { provider: 'o' },
      ),
    ).toMatchObject({ kind: 'overloaded', retryable: true });
    const other = ollamaErrors.inBody(
      { error: 'an error was encountered while running the model' },
      { provider: 'o' },
    );
    expect(other).toMatchObject({ kind: 'server', retryable: true });
    expect(other.message).toBe(
      'o: error inside the stream: an error was encountered while running the model',
    );
  });

  it('HTTP errors keep their status kind, with the message from the body', () => {
    const error = createErrorFromResponse({
      provider: 'o',
      status: 404,
      headers: new Headers(),
      bodyText: JSON.stringify({ error: "model 'xyz' not found" }),
      classify: ollamaErrors.classify,
    });
    expect(error).toMatchObject({
      kind: 'not_found',
      message: "o: HTTP 404 (not_found): model 'xyz' not found",
    });
  });
});
