/**
 * A setting the provider could not honour. Returned in results instead of thrown, so a router can send
 * the same request to providers with different capabilities.
 */
export type CallWarning =
  | { type: 'unsupported-setting'; setting: string; details?: string }
  | { type: 'other'; message: string };
