import { createOllama } from '@llmo/provider-ollama';
import { edgeApp } from './harness';

export default edgeApp(({ failing, working }) => [
  createOllama({ name: 'ollama-down', model: 'llama3.2', baseURL: failing.baseURL }),
  createOllama({ name: 'ollama-up', model: 'llama3.2', baseURL: working.baseURL }),
]);
