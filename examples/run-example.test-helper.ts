import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** Runs an example script as a user would (`tsx file`), with no keys in the environment
 * (only `env`); resolves with stdout. */
export async function runExample(file: string, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL(file, import.meta.url))],
    {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      env: { PATH: process.env.PATH ?? '', ...env }, // no keys, so no example reaches the network
      timeout: 180_000,
    },
  );
  return stdout;
}
