import type * as AI from 'ai';
import * as aiV5 from 'ai-v5';
import { describeAISDK } from './describe-ai-sdk.test-helper.js';
import { createLlmoModelV2 } from './index.js';

// The suite is typed against ai@6; ai@5's functions take the same arguments for everything it uses.
describeAISDK(
  'AI SDK 5 (ai@5, LanguageModelV2): createLlmoModelV2',
  aiV5 as unknown as typeof AI,
  ({ router }) => createLlmoModelV2(router) as never,
);
