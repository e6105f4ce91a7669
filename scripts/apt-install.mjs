// Installs Debian packages the project needs (as root, or with passwordless sudo). Returns false, after saying
// what to run, when this user may not install packages. Used by setup-faiss.mjs, ensure-prometheus.mjs and ensure-redis.mjs.
import { execFileSync, spawnSync } from 'node:child_process';

export function aptInstall(packages, log, { recommends = true } = {}) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = !isRoot && spawnSync('sudo', ['-n', 'true']).status === 0;
  if (!isRoot && !sudo) {
    log(`${packages.join(' and ')} missing and this user may not install packages.`);
    log(`Run: sudo apt-get install -y ${packages.join(' ')}`);
    return false;
  }
  const run = (args) =>
    execFileSync(sudo ? 'sudo' : args[0], sudo ? args : args.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  log(`installing ${packages.join(', ')} from Debian (apt-get)…`);
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', ...(recommends ? [] : ['--no-install-recommends']), ...packages]);
  return true;
}
