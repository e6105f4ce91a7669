import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The smoke run starts a server process and runs every client once: under a loaded CI (every package's tests
  // at once on 2 cores) it took over 60 s, against ~12 s on an idle machine. Bounded, generously.
  test: { include: ['src/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 300_000 },
});
