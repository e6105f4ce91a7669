// Installs Debian packages the project needs (as root, or with passwordless sudo). Returns false, after saying
// what to run, when this user may not install packages. Used by setup-faiss.mjs, ensure-prometheus.mjs,
// ensure-redis.mjs and ensure-chromium.mjs.
import { spawnSync } from 'node:child_process';

// turbo runs several packages' tests at once, and each may install what it needs: another apt-get may hold
// apt's locks. `DPkg::Lock::Timeout` makes `install` wait for dpkg's lock, but `update` (apt 2.6) fails at once
// on the lists lock, so a failure naming a lock is retried, every 5 s for up to 5 minutes.
const LOCKED = /Could not get lock|Unable to lock|Unable to acquire/;
const LOCK_RETRIES = 60;
const LOCK_RETRY_MS = 5_000;

export function aptInstall(packages, log, { recommends = true } = {}) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = !isRoot && spawnSync('sudo', ['-n', 'true']).status === 0;
  if (!isRoot && !sudo) {
    log(`${packages.join(' and ')} missing and this user may not install packages.`);
    log(`Run: sudo apt-get install -y ${packages.join(' ')}`);
    return false;
  }
  const run = (args) => {
    for (let attempt = 1; ; attempt++) {
      const result = spawnSync(sudo ? 'sudo' : args[0], sudo ? args : args.slice(1), {
        stdio: ['ignore', 'inherit', 'pipe'],
        encoding: 'utf8',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
      if (result.status === 0) return;
      const stderr = result.stderr ?? '';
      if (!LOCKED.test(stderr) || attempt >= LOCK_RETRIES) {
        process.stderr.write(stderr);
        throw new Error(`${args.join(' ')} failed (exit status ${result.status})`);
      }
      if (attempt === 1) log('another apt-get holds its lock; waiting for it…');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, LOCK_RETRY_MS);
    }
  };
  log(`installing ${packages.join(', ')} from Debian (apt-get)…`);
  const wait = ['-o', 'DPkg::Lock::Timeout=300'];
  run(['apt-get', ...wait, 'update', '-qq']);
  run([
    'apt-get',
    ...wait,
    'install',
    '-y',
    '-qq',
    ...(recommends ? [] : ['--no-install-recommends']),
    ...packages,
  ]);
  return true;
}
