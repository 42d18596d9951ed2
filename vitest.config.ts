import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Every *.test.ts of the project: its own tests, the examples', and your procedures' tests.
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/.git/**', '.scratch-*/**'],
    // Builds procedure/ once per run into a temporary dist/ that every suite installs, so an edit
    // is tested without a manual `npm run build:proc` (the committed dist/ is left to CI's check).
    globalSetup: ['test/global-setup.ts'],
    // CI must never run a focused subset by accident.
    allowOnly: !process.env.CI,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
