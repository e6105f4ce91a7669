export { crc32, EventStreamDecoder, type EventStreamMessage } from './bedrock-eventstream.js';
export { BEDROCK_PRICES, type BedrockCallMetadata, bedrockPricing } from './bedrock-pricing.js';
export {
  type AwsCredentials,
  BEDROCK_RUNTIME_URL,
  BEDROCK_SIGNING_NAME,
  type BedrockProvider,
  type BedrockSettings,
  createBedrock,
} from './bedrock-provider.js';
