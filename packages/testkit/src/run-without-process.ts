import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';

export interface RunWithoutProcessOptions {
  /** The provider package's entry (its `src/index.ts` or built `dist/index.js`). */
  entry: string | URL;
  /** The name of the exported factory, e.g. `createOpenAI`. */
  factory: string;
  /** Settings passed to the factory (must be structured-cloneable: no functions). */
  settings: Record<string, unknown>;
  /** The prompt sent. Default `edge`. */
  prompt?: string;
}

export interface RunWithoutProcessResult {
  /** `typeof process` inside the worker: `undefined` proves the global was gone. */
  processType: string;
  text: string;
  /** Stream part types, in order. */
  parts: string[];
}

/**
 * Bundles the provider for an edge runtime (esbuild, `worker`/`browser` conditions, so `@llmo/core/transport`
 * resolves to plain fetch) and runs one `generate()` and one `stream()` in a worker thread that deleted
 * `globalThis.process` before importing the bundle. Hiding `process` in the test runner's own process would
 * break the runner instead.
 */
export async function runWithoutProcess(options: RunWithoutProcessOptions): Promise<RunWithoutProcessResult> {
  const entry =
    typeof options.entry === 'string' && !options.entry.startsWith('file:')
      ? options.entry
      : fileURLToPath(options.entry);
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['worker', 'browser'],
    logLevel: 'silent',
  });
  const script = `
    const { parentPort, workerData } = require('node:worker_threads');
    delete globalThis.process;
    (async () => {
      const mod = await import(workerData.entry);
      const provider = mod[workerData.factory](workerData.settings);
      const request = { messages: [{ role: 'user', content: workerData.prompt }] };
      const text = (await provider.generate(request)).text;
      const parts = [];
      for await (const part of provider.stream(request)) parts.push(part.type);
      parentPort.postMessage({ processType: typeof process, text, parts });
    })().catch((error) => parentPort.postMessage({ error: String((error && error.stack) || error) }));
  `;
  const worker = new Worker(script, {
    eval: true,
    workerData: {
      entry: `data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0]!.text).toString('base64')}`,
      factory: options.factory,
      settings: options.settings,
      prompt: options.prompt ?? 'edge',
    },
  });
  try {
    const message = await new Promise<RunWithoutProcessResult & { error?: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (message.error) throw new Error(`The provider failed without process: ${message.error}`);
    return message;
  } finally {
    await worker.terminate();
  }
}
