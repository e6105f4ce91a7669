// Calls Claude on the Anthropic Messages API for real.
//   ANTHROPIC_API_KEY=sk-ant-… pnpm --filter @llmo/examples run anthropic
//   ANTHROPIC_MODEL=claude-haiku-4-5 ANTHROPIC_BASE_URL=https://my-proxy.example ANTHROPIC_API_KEY=… pnpm --filter @llmo/examples run anthropic
import { createAnthropic } from '@llmo/provider-anthropic';
import { requireEnv, runProviderExample } from './run-provider-example.js';

const env = requireEnv(['ANTHROPIC_API_KEY'], 'Get a key at https://console.anthropic.com/settings/keys.');
if (env) {
  await runProviderExample(
    createAnthropic({
      name: 'anthropic',
      model: process.env.ANTHROPIC_MODEL ?? 'claude-haiku-4-5',
      apiKey: env.ANTHROPIC_API_KEY,
      baseURL: process.env.ANTHROPIC_BASE_URL,
    }),
  );
}
