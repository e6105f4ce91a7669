// The bytes the loopback server sends, shared with the SSE framing micro-benchmark so both use the same
// stream. Shapes as in shared/protocols/openai.md: a chat.completion for non-streaming calls; for streams a
// role chunk, N content chunks, a finish chunk, the usage chunk (`choices: []`) and `data: [DONE]`.

/** The model name carries the stream length (`bench-100` = 100 content chunks), so every client can ask for it. */
export const modelFor = (chunks: number): string => `bench-${chunks}`;

/** Parses `bench-<n>`; anything else means 100 chunks. */
export function chunksOf(model: unknown): number {
  const match = typeof model === 'string' ? /^bench-(\d+)$/.exec(model) : null;
  return match ? Math.min(Number(match[1]), 100_000) : 100;
}

/** Every content chunk carries the same delta, so a client's text is checkable: `DELTA.repeat(n)`. */
export const DELTA = ' lorem';
export const COMPLETION_TEXT = 'Python is a programming language.';
export const PROMPT = 'What is Python?';

/** What a client must return for a call: the completion, or the concatenated deltas of an n-chunk stream. */
export const expectedText = (chunks: number): string =>
  chunks === 0 ? COMPLETION_TEXT : DELTA.repeat(chunks);

const head = '"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"bench"';
const usage = '"usage":{"prompt_tokens":12,"completion_tokens":100,"total_tokens":112}';

export const completionBody = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1700000000,
  model: 'bench',
  system_fingerprint: 'fp_bench',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: COMPLETION_TEXT, refusal: null },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
});

/** The SSE events of an n-chunk stream, each `data: …\n\n`, in order, ending with `data: [DONE]\n\n`. */
export function streamEvents(chunks: number): string[] {
  const event = (choices: string, extra = '') =>
    `data: {${head},"system_fingerprint":"fp_bench","choices":${choices}${extra}}\n\n`;
  const events = [
    event('[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]'),
  ];
  const content = event(
    `[{"index":0,"delta":{"content":${JSON.stringify(DELTA)}},"logprobs":null,"finish_reason":null}]`,
  );
  for (let i = 0; i < chunks; i++) events.push(content);
  events.push(event('[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]'));
  events.push(event('[]', `,${usage}`));
  events.push('data: [DONE]\n\n');
  return events;
}
