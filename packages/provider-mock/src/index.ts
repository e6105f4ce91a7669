export { type MockMode, modeOf } from './mock-modes.js';
export { createMockProvider, type MockProviderSettings } from './mock-provider.js';
