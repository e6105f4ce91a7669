// Makes sure a real Prometheus server is on this machine for @llmo/prometheus's tests: Debian's `prometheus`
// package, installed here when missing (CI machines start without it). The tests start it themselves, on
// 127.0.0.1 with a temporary config, and stop it.
import { spawnSync } from 'node:child_process';
import { aptInstall } from './apt-install.mjs';

const log = (message) => console.log(`[ensure-prometheus] ${message}`);
const found = () => spawnSync('prometheus', ['--version'], { encoding: 'utf8' }).status === 0;

if (!found()) {
  if (!aptInstall(['prometheus'], log, { recommends: false }) || !found()) {
    log('Prometheus is required by the @llmo/prometheus tests; install it and run them again.');
    process.exit(1);
  }
}
log(spawnSync('prometheus', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]);
