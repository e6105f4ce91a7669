// Calls a local Ollama server for real (no key needed).
//   ollama pull llama3.2 && pnpm --filter @llmo/examples run ollama
//   OLLAMA_BASE_URL=http://gpu-box:11434 OLLAMA_MODEL=qwen2.5 pnpm --filter @llmo/examples run ollama
import { createOllama } from '@llmo/provider-ollama';
import { runProviderExample } from './run-provider-example.js';

const provider = createOllama({
  name: 'ollama',
  model: process.env.OLLAMA_MODEL ?? 'llama3.2',
  baseURL: process.env.OLLAMA_BASE_URL,
});
if (await provider.healthCheck()) {
  await runProviderExample(provider);
} else {
  console.log(
    `Not run: no Ollama server answered at ${process.env.OLLAMA_BASE_URL ?? 'http://localhost:11434'}.\n` +
      'Install it from https://ollama.com, run `ollama serve` and `ollama pull llama3.2`, or set OLLAMA_BASE_URL.',
  );
}
