import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    // CI must never run a focused subset by accident.
    allowOnly: !process.env.CI,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
