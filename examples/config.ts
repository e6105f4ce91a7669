// Builds a router from examples/llmo.yaml (mock providers: no keys, no network), routes through the fallback
// model of the first entry, prints the cost log it wrote, then shows what a broken configuration reports.
// Run it with `npx -y pnpm@10.34.8 --filter @llmo/examples run config`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, defaultRouteOptions, parseConfig, resolveGatewayConfig } from '@llmo/config';
import { createRouterFromConfig, loadConfig } from '@llmo/config/node';

const scratch = mkdtempSync(join(tmpdir(), 'llmo-config-example-'));
const costLog = join(scratch, 'cost.jsonl');

try {
  const config = await loadConfig(fileURLToPath(new URL('llmo.yaml', import.meta.url)), {
    env: { ...process.env, COST_LOG: costLog },
  });
  const router = await createRouterFromConfig(config, { router: { onWarning: false } });
  console.log(
    'providers:',
    router
      .getProviders()
      .map((p) => `${p.name} (${p.model})`)
      .join(', '),
  );

  const result = await router.route('What is Python?', defaultRouteOptions(config));
  console.log(`answer from ${result.provider}: ${result.text}`);
  console.log(
    'attempts:',
    result.attempts.map((a) => `${a.provider} ${a.outcome === 'success' ? 'ok' : a.errorKind}`).join(' → '),
  );

  await router.close({ timeoutMs: 5_000 });
  const lines = readFileSync(costLog, 'utf8').trim().split('\n');
  console.log(`cost log: ${lines.length} lines; the last: ${lines.at(-1)?.slice(0, 80)}…`);

  const gateway = resolveGatewayConfig(config.gateway);
  console.log(`gateway (not served here): ${gateway.host}:${gateway.port}, ${gateway.keys.length} key(s)`);

  // A configuration with three mistakes: every one is reported, at its line, with the fix.
  try {
    parseConfig(
      [
        'providers:',
        '  - name: a',
        '    type: opnai',
        '    model: gpt-4o',
        '    apiKey: ${OPENAI_API_KEY}',
        'gateway:',
        '    prot: 8000',
      ].join('\n'),
      { file: 'broken.yaml', env: {} },
    );
  } catch (error) {
    if (!ConfigError.isInstance(error)) throw error;
    console.log(error.message);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
