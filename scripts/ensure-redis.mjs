// Makes sure a real Redis server is on this machine for the tests that need one (the orchestrator's Redis
// cache store, the gateway's shared rate limits): Debian's `redis-server` package, installed here when missing
// (CI machines start without it). Tests start their own server through `startRedis()` from @llmo/testkit, on
// 127.0.0.1 with a free port, no persistence and a temporary directory, and stop it.
import { spawnSync } from 'node:child_process';
import { aptInstall } from './apt-install.mjs';

const log = (message) => console.log(`[ensure-redis] ${message}`);
const found = () => spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;

if (!found()) {
  if (!aptInstall(['redis-server'], log, { recommends: false }) || !found()) {
    log('redis-server is required by these tests; install it and run them again.');
    process.exit(1);
  }
  // Debian's package starts a system service on port 6379; the tests never use it (each starts its own).
}
log(spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout.trim());
