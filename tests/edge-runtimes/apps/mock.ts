import { createMockProvider } from '@llmo/provider-mock';
import { edgeApp } from './harness';

// No server: the mock fails by model name, and answers "Mock response to: <prompt>" word by word.
export default edgeApp(() => [
  createMockProvider({ name: 'mock-down', model: 'mock-server-error', latencyMs: 0 }),
  createMockProvider({ name: 'mock-up', model: 'mock-normal', latencyMs: 0, chunkDelayMs: 0 }),
]);
