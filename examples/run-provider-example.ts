// Shared by the provider examples: one call, one stream, and what the router reports.
import { type ProviderV1, Router } from '@llmo/core';

export async function runProviderExample(provider: ProviderV1): Promise<void> {
  console.log(`health check: ${(await provider.healthCheck()) ? 'ok' : 'FAILED'}`);
  const router = new Router({ strategy: 'first-available' });
  router.addProvider(provider);
  const result = await router.route('In one sentence: what is a large language model?', { maxTokens: 120 });
  console.log(`\n${result.provider} (${result.model}): ${result.text}`);
  console.log(
    `tokens ${result.usage.promptTokens}+${result.usage.completionTokens}, cost ${result.cost.amount} ${result.cost.currency}, ${Math.round(result.latencyMs)} ms`,
  );
  process.stdout.write('\nstream: ');
  const stream = router.routeStream('Count from one to five in words.', { maxTokens: 60 });
  for await (const chunk of stream) process.stdout.write(chunk);
  const streamed = await stream.result;
  console.log(`\n(time to first token ${Math.round(streamed.ttftMs ?? 0)} ms)`);
  await router.close();
}

/** Prints what to set and exits cleanly when a credential is missing. */
export function requireEnv(names: string[], help: string): Record<string, string> | undefined {
  const missing = names.filter((name) => !process.env[name]);
  if (missing.length === 0) return Object.fromEntries(names.map((name) => [name, process.env[name]!]));
  console.log(`Not run: set ${missing.join(', ')}.\n${help}`);
  return undefined;
}
