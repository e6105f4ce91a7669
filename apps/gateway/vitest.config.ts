import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Generous hook and test limits: every test starts real servers and processes, and the shared 2-core
  // machine can be slow; the tests themselves wait on observable state, never on time.
  test: { include: ['src/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
