#!/usr/bin/env node
// llmo-gateway --config FILE [--port N] [--host H]
import { parseArgs } from 'node:util';

// Until startGateway installs its handlers, a SIGHUP (default action: exit) is held here and replayed: loading
// the gateway's modules takes a moment, and a reload sent then must not kill the process. The gateway module
// is imported after this, dynamically, for that reason.
let heldHup = false;
const holdHup = () => {
  heldHup = true;
};
process.on('SIGHUP', holdHup);

const USAGE = `Usage: llmo-gateway [--config FILE] [--port N] [--host H]

  --config FILE  the llmo YAML configuration (its gateway: section configures the server);
                 without it, a built-in configuration of mock providers (no keys needed)
  --port N       overrides gateway.port (0 picks a free port)
  --host H       overrides gateway.host
Signals: SIGTERM/SIGINT shut down gracefully, SIGHUP reloads the configuration file.`;

function fail(message: string): never {
  process.stderr.write(`llmo-gateway: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

let values: { config?: string; port?: string; host?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      config: { type: 'string', short: 'c' },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
let port: number | undefined;
if (values.port !== undefined) {
  port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) fail('--port must be an integer from 0 to 65535');
}

const { startGateway } = await import('./node/start-gateway.js');
// startGateway installs its signal handlers before its first await, so they are in place when it returns.
const starting = startGateway({ configPath: values.config, port, host: values.host, handleSignals: true });
process.off('SIGHUP', holdHup);
if (heldHup) process.emit('SIGHUP', 'SIGHUP');
starting.then(
  (running) => {
    process.stderr.write(
      `llmo gateway listening on ${running.url} (docs: ${running.url}/docs)${values.config ? '' : ' with the built-in mock configuration'}\n`,
    );
  },
  (error: Error) => {
    // ConfigError lists every problem with its file and line; values are never shown.
    process.stderr.write(`llmo-gateway: ${error.message}\n`);
    process.exit(1);
  },
);
