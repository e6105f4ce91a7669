// The Vercel AI SDK over the llmo router, and an AI SDK provider package inside the router.
//   OPENAI_BASE_URL=… OPENAI_API_KEY=… pnpm --filter @llmo/examples run ai-sdk
// Without OPENAI_API_KEY the OpenAI-compatible provider is refused (401) and every call falls back to the mock.
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { createLlmoModel, fromAISDK } from '@llmo/ai-sdk';
import { Router } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { generateObject, generateText, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';

const apiKey = process.env.OPENAI_API_KEY ?? '';
const openai = createOpenAICompatible({
  name: 'openai',
  baseURL: process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1',
  apiKey,
  includeUsage: true,
  supportsStructuredOutputs: true,
});

// An AI SDK model first, an llmo provider as the fallback: one router, both worlds.
const router = new Router({ strategy: 'first-available', retry: { maxRetries: 0 } })
  .addProvider(fromAISDK(openai('gpt-4o-mini'), { name: 'openai', secrets: [apiKey] }))
  .addProvider(createMockProvider({ name: 'backup', model: 'mock-normal' }));
const model = createLlmoModel(router);
type Meta = { provider: string; attempts: { provider: string; outcome: string; errorKind?: string }[] };
const describe = (metadata: unknown) => {
  const { provider, attempts } = (metadata as { llmo: Meta }).llmo;
  return `${provider} (attempts: ${attempts.map((a) => `${a.provider}:${a.errorKind ?? a.outcome}`).join(' → ')})`;
};

// 1. generateText, unchanged AI SDK code.
const first = await generateText({ model, prompt: 'Say hello', maxRetries: 0 });
console.log(`generateText: ${JSON.stringify(first.text)} from ${describe(first.providerMetadata)}`);

// 2. streamText.
const stream = streamText({ model, prompt: 'Count to three', maxRetries: 0 });
let streamed = '';
for await (const delta of stream.textStream) streamed += delta;
console.log(`streamText: ${JSON.stringify(streamed)} from ${describe(await stream.providerMetadata)}`);

// 3. generateObject: the JSON schema goes to whichever provider answers.
const weather = await generateObject({
  model: createLlmoModel(router, { routeOptions: { preferredProvider: 'openai' } }),
  schema: z.object({ city: z.string(), celsius: z.number() }),
  prompt: 'Weather in Moscow as JSON',
  maxRetries: 0,
}).catch((error: unknown) => `no object (${(error as Error).name})`);
console.log(`generateObject: ${JSON.stringify(typeof weather === 'string' ? weather : weather.object)}`);

// 4. A tool loop.
const withTool = await generateText({
  model,
  prompt: 'What time is it?',
  tools: {
    clock: tool({
      description: 'The current time',
      inputSchema: z.object({}),
      execute: async () => ({ time: '12:00' }),
    }),
  },
  stopWhen: stepCountIs(3),
  maxRetries: 0,
});
console.log(`tool loop: ${withTool.steps.length} step(s), last answer ${JSON.stringify(withTool.text)}`);

await router.close();
