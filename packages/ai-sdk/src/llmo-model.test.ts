import * as ai from 'ai';
import { describeAISDK } from './describe-ai-sdk.test-helper.js';
import { createLlmoModel } from './index.js';

describeAISDK('AI SDK 6 (ai@6, LanguageModelV3): createLlmoModel', ai, ({ router }) =>
  createLlmoModel(router),
);
