import { createVertex } from '@llmo/provider-vertex';
import { edgeApp } from './harness';

// The service-account JWT is signed in the runtime itself (Web Crypto), and checked by the fake token endpoint.
export default edgeApp(({ failing, working }) => [
  createVertex({
    name: 'vertex-gemini-down',
    model: 'gemini-2.5-flash',
    project: 'edge-project',
    location: 'us-central1',
    serviceAccount: failing.serviceAccount,
    baseURL: failing.baseURL,
  }),
  createVertex({
    name: 'vertex-gemini-up',
    model: 'gemini-2.5-flash',
    project: 'edge-project',
    location: 'us-central1',
    serviceAccount: working.serviceAccount,
    baseURL: working.baseURL,
  }),
]);
