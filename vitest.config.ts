import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Every *.test.ts of the project: its own tests, the examples', and your procedures' tests.
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/.git/**', '.scratch-*/**'],
    // CI must never run a focused subset by accident.
    allowOnly: !process.env.CI,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
