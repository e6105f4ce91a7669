// Calls Gemini on the Gemini API (Google AI Studio keys) for real.
//   GEMINI_API_KEY=AIza… pnpm --filter @llmo/examples run gemini
//   GEMINI_MODEL=gemini-2.5-pro GEMINI_BASE_URL=https://my-proxy.example GEMINI_API_KEY=… pnpm --filter @llmo/examples run gemini
import { createGemini } from '@llmo/provider-gemini';
import { requireEnv, runProviderExample } from './run-provider-example.js';

const env = requireEnv(['GEMINI_API_KEY'], 'Get a key at https://aistudio.google.com/apikey.');
if (env) {
  await runProviderExample(
    createGemini({
      name: 'gemini',
      model: process.env.GEMINI_MODEL ?? 'gemini-2.5-flash',
      apiKey: env.GEMINI_API_KEY,
      baseURL: process.env.GEMINI_BASE_URL,
    }),
  );
}
