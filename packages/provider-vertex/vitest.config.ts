import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Hooks make RSA key pairs with Web Crypto (the fake token endpoint's service accounts): slow on a loaded CI.
  test: { include: ['src/**/*.test.ts'], testTimeout: 20_000, hookTimeout: 60_000 },
});
