import * as os from 'node:os';
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
    // Vitest's default leaves one core idle (cores − 1): on a 2-core machine, one test file at a
    // time. A file's SQL runs on a DuckDB worker thread while its own thread waits for it, so two
    // files at once use both cores (the suite takes about 105 s instead of 170 s on 2 cores).
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
