/**
 * Where the suites find the dist/ SQL they install: this run's fresh build of procedure/ made by
 * test/global-setup.ts, never the committed dist/ (which may predate an edit).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

/** The names of the generated dist/ files, without `.sql`. */
export type DistName = 'run_history_log' | 'sync_pipeline_run_history' | 'reconcile_pipeline_run_history' | 'alerts';

/** The directory holding this test run's build of dist/. */
export function testDistDir(): string {
  const dir: string | undefined = inject('distDir');
  if (typeof dir !== 'string' || dir === '') {
    throw new Error('no test build of dist/: run the suites through vitest.config.ts, whose globalSetup (test/global-setup.ts) builds procedure/');
  }
  return dir;
}

/** The text of one dist/ file as built from the current source. */
export function distSql(name: DistName): string {
  return readFileSync(join(testDistDir(), `${name}.sql`), 'utf8');
}
