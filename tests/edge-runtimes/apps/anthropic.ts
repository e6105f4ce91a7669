import { createAnthropic } from '@llmo/provider-anthropic';
import { edgeApp } from './harness';

export default edgeApp(({ failing, working }) => [
  createAnthropic({
    name: 'anthropic-down',
    model: 'claude-haiku-4-5',
    apiKey: 'sk-ant-edge',
    baseURL: failing.baseURL,
  }),
  createAnthropic({
    name: 'anthropic-up',
    model: 'claude-haiku-4-5',
    apiKey: 'sk-ant-edge',
    baseURL: working.baseURL,
  }),
]);
