import { defineConfig } from 'vitest/config';
import { CollectionErrorsFail } from './test/support/collection-errors-fail.js';

/**
 * The tests `npm run test:mutation` (stryker.config.mjs) runs against each mutant: the unit and
 * local-runtime suites that import the mutated code directly. Not the suites that install dist/
 * (they need test/global-setup.ts to compile procedure/, and a mutant must be seen in the source
 * a test imports, not in a bundle built before the run).
 */
export default defineConfig({
  test: {
    include: ['test/procedure/**/*.test.ts', 'test/local/**/*.test.ts'],
    exclude: ['test/local/dist-seed.test.ts'],
    reporters: ['default', new CollectionErrorsFail()],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
