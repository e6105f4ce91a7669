export { createMockProvider, type MockProviderSettings } from './mock-provider.js';
export { type MockMode, modeOf } from './mock-modes.js';
