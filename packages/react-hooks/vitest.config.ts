import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // jsdom leaves Node's fetch, Request and AbortSignal in place, which the sandbox and proxy need.
    environment: 'jsdom',
    testTimeout: 20_000,
  },
});
