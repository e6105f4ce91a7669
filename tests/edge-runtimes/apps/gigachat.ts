import { createGigaChat } from '@llmo/provider-gigachat';
import { edgeApp } from './harness';

// The failing server rejects this authorization key at its OAuth endpoint; the working one issues a token.
export default edgeApp(({ failing, working }) => [
  createGigaChat({ name: 'gigachat-down', model: 'GigaChat-2', credentials: 'ZWRnZQ==', ...failing }),
  createGigaChat({ name: 'gigachat-up', model: 'GigaChat-2', credentials: 'ZWRnZQ==', ...working }),
]);
