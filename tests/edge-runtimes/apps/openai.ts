import { createOpenAI } from '@llmo/provider-openai';
import { edgeApp } from './harness';

export default edgeApp(({ failing, working }) => [
  createOpenAI({ name: 'openai-down', model: 'gpt-4o-mini', apiKey: 'sk-edge', baseURL: failing.baseURL }),
  createOpenAI({ name: 'openai-up', model: 'gpt-4o-mini', apiKey: 'sk-edge', baseURL: working.baseURL }),
]);
