import { createGemini } from '@llmo/provider-gemini';
import { edgeApp } from './harness';

export default edgeApp(({ failing, working }) => [
  createGemini({
    name: 'gemini-down',
    model: 'gemini-2.5-flash',
    apiKey: 'AIza-edge-key',
    baseURL: failing.baseURL,
  }),
  createGemini({
    name: 'gemini-up',
    model: 'gemini-2.5-flash',
    apiKey: 'AIza-edge-key',
    baseURL: working.baseURL,
  }),
]);
