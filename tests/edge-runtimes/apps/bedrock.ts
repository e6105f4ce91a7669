import { createBedrock } from '@llmo/provider-bedrock';
import { edgeApp } from './harness';

// SigV4 with Web Crypto in the runtime; the fake servers recompute each signature with node:crypto.
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

export default edgeApp(({ failing, working }) => [
  createBedrock({
    name: 'bedrock-down',
    model: 'anthropic.claude-3-5-haiku-20241022-v1:0',
    region: 'us-east-1',
    credentials,
    baseURL: failing.baseURL,
  }),
  createBedrock({
    name: 'bedrock-up',
    model: 'anthropic.claude-3-5-haiku-20241022-v1:0',
    region: 'us-east-1',
    credentials,
    baseURL: working.baseURL,
  }),
]);
