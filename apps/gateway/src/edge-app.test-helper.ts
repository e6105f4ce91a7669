// The gateway as an edge app would build it: BaseRouter + one strategy + the mock provider, no Node API.
// Bundled by edge-runtime.test.ts for the `worker`/`browser` conditions and run where `process` is gone.
import { BaseRouter, firstAvailable } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { createGateway } from './index.js';

const router = new BaseRouter({ strategy: firstAvailable(), retry: { maxRetries: 0 }, onWarning: false });
router.addProvider(createMockProvider({ name: 'down', model: 'mock-server-error', latencyMs: 0 }));
router.addProvider(createMockProvider({ name: 'edge', model: 'mock-normal', latencyMs: 0, chunkDelayMs: 0 }));
const gateway = createGateway({ router });

export default { fetch: gateway.fetch };
