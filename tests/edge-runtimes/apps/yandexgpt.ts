import { createYandexGPT } from '@llmo/provider-yandexgpt';
import { edgeApp } from './harness';

export default edgeApp(({ failing, working }) => [
  createYandexGPT({
    name: 'yandexgpt-down',
    model: 'yandexgpt-lite',
    folderId: 'b1g-edge',
    apiKey: 'AQVN-edge',
    baseURL: failing.baseURL,
  }),
  createYandexGPT({
    name: 'yandexgpt-up',
    model: 'yandexgpt-lite',
    folderId: 'b1g-edge',
    apiKey: 'AQVN-edge',
    baseURL: working.baseURL,
  }),
]);
