import { checkGuardAgainstSchema } from '@llmo/testkit';
import { describe, expect, it } from 'vitest';
import { isMessage, isStreamEvent, messageZod, streamEventZod } from './anthropic-api.js';

// Shapes from the protocol note's transcripts (shared/protocols/anthropic.md).
const usage = {
  input_tokens: 25,
  output_tokens: 12,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 1024,
  cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
};
const messages = [
  {
    id: 'msg_01',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5',
    content: [
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'toolu_01', name: 'weather', input: { city: 'Oslo' } },
    ],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage,
  },
];
const events = [
  { type: 'message_start', message: { id: 'msg_01', model: 'claude-sonnet-4-5', usage } },
  { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } },
  { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"ci' } },
  { type: 'content_block_stop', index: 0 },
  {
    type: 'message_delta',
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: 15 },
  },
  { type: 'message_stop' },
  { type: 'ping' },
  { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
];

describe('the fast guards accept only what the zod schemas accept', () => {
  it('messages: well-formed ones take the fast path; no mutant passes the guard that zod rejects', () => {
    const result = checkGuardAgainstSchema(isMessage, messageZod(), messages);
    expect(result.fixturesRefused).toEqual([]);
    expect(result.tooLoose).toEqual([]);
    expect(result.accepted).toBeGreaterThan(20);
  });

  it('stream events: every event type of a stream, tool input and error events', () => {
    const result = checkGuardAgainstSchema(isStreamEvent, streamEventZod(), events);
    expect(result.fixturesRefused).toEqual([]);
    expect(result.tooLoose).toEqual([]);
    expect(result.accepted).toBeGreaterThan(20);
  });
});
