import { createVertex } from '@llmo/provider-vertex';
import { edgeApp } from './harness';

// The service-account JWT is signed in the runtime itself (Web Crypto), and checked by the fake token endpoint.
export default edgeApp(({ failing, working }) => [
  createVertex({
    name: 'vertex-claude-down',
    model: 'claude-haiku-4-5@20251001',
    project: 'edge-project',
    location: 'us-east5',
    serviceAccount: failing.serviceAccount,
    baseURL: failing.baseURL,
  }),
  createVertex({
    name: 'vertex-claude-up',
    model: 'claude-haiku-4-5@20251001',
    project: 'edge-project',
    location: 'us-east5',
    serviceAccount: working.serviceAccount,
    baseURL: working.baseURL,
  }),
]);
