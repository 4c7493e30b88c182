import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One file at a time: the browser suites each start Chromium, and the speed figures
    // (reference-speed.test.ts) would otherwise measure the other suites' load.
    fileParallelism: false,
    // Real browsers and tsc on a shared 2-core machine: generous, but bounded.
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
