import { defineConfig } from 'vitest/config';

export default defineConfig({
  // One file per concern; workerd is one process for the whole file. Bounded: no test waits on a timer of its own.
  test: { include: ['src/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 },
});
