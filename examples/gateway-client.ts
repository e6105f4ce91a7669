// The official `openai` client against the llmo gateway: a chat completion, a stream with usage, the models.
//   npx -y pnpm@10.34.8 gateway                          # in one terminal: the gateway on mock providers
//   pnpm --filter @llmo/examples run gateway-client      # in another
// GATEWAY_URL (default http://127.0.0.1:8000/v1) and GATEWAY_KEY (when the gateway has keys) point it elsewhere.
import OpenAI from 'openai';

const client = new OpenAI({
  baseURL: process.env.GATEWAY_URL ?? 'http://127.0.0.1:8000/v1',
  apiKey: process.env.GATEWAY_KEY ?? 'no-key-needed',
});

const models = [];
for await (const model of client.models.list()) models.push(model.id);
console.log(`models: ${models.join(', ')}`);

// `model` names a configured provider, a model id, or "auto" (the router chooses and falls back).
const { data, response } = await client.chat.completions
  .create({ model: 'auto', messages: [{ role: 'user', content: 'What is Python?' }] })
  .withResponse();
console.log(`answer: ${data.choices[0]?.message.content}`);
console.log(
  `served by ${response.headers.get('x-llmo-provider')} after ${response.headers.get('x-llmo-attempts')} attempt(s), cost ${response.headers.get('x-llmo-cost')}`,
);

const stream = await client.chat.completions.create({
  model: 'auto',
  messages: [{ role: 'user', content: 'Stream a short answer.' }],
  stream: true,
  stream_options: { include_usage: true },
});
let streamed = '';
for await (const chunk of stream) {
  streamed += chunk.choices[0]?.delta.content ?? '';
  if (chunk.usage) console.log(`streamed: ${streamed} (${chunk.usage.total_tokens} tokens)`);
}

try {
  await client.chat.completions.create({
    model: 'no-such-model',
    messages: [{ role: 'user', content: 'x' }],
  });
} catch (error) {
  if (error instanceof OpenAI.NotFoundError) console.log(`unknown model: ${error.status} ${error.code}`);
  else throw error;
}
