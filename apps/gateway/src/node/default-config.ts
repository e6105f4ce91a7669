/**
 * The configuration `llmo-gateway` starts with when given no `--config`: mock providers only, no keys, so a
 * fresh clone serves requests with nothing to set up. `primary` fails sometimes (`mock-flaky`), so the
 * fallback to `backup` shows in the `x-llmo-attempts` header and in `/chat/fallback`.
 */
export const DEFAULT_CONFIG_YAML = `# llmo gateway: built-in demo configuration (mock providers, no keys)
router:
  strategy: first-available
  retry: { maxRetries: 0 }
providers:
  - { name: primary, type: mock, model: mock-flaky, failureRate: 0.2, latencyMs: 30, chunkDelayMs: 20 }
  - { name: backup, type: mock, model: mock-normal, latencyMs: 60, chunkDelayMs: 20 }
  - { name: down, type: mock, model: mock-server-error, latencyMs: 10 }
gateway:
  host: 127.0.0.1
  port: 8000
  logs: { dir: logs }
`;
