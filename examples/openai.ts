// Calls OpenAI (or any OpenAI-compatible server) for real.
//   OPENAI_API_KEY=sk-… pnpm --filter @llmo/examples run openai
//   OPENAI_BASE_URL=http://localhost:8000/v1 OPENAI_MODEL=Qwen/Qwen2.5-7B-Instruct OPENAI_API_KEY=none pnpm --filter @llmo/examples run openai
import { createOpenAI } from '@llmo/provider-openai';
import { requireEnv, runProviderExample } from './run-provider-example.js';

const env = requireEnv(
  ['OPENAI_API_KEY'],
  'Get a key at https://platform.openai.com/api-keys (any value for a local server without auth).',
);
if (env) {
  await runProviderExample(
    createOpenAI({
      name: 'openai',
      model: process.env.OPENAI_MODEL ?? 'gpt-4o-mini',
      apiKey: env.OPENAI_API_KEY,
      baseURL: process.env.OPENAI_BASE_URL,
    }),
  );
}
