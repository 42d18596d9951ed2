/**
 * Once per `vitest run`: compiles procedure/ into a temporary dist/ with the same generator as
 * `npm run build:proc` (build/shipped.ts), and hands its path to every test file as
 * `inject('distDir')` (read it through test/support/dist.ts). So the suites that install dist/
 * (simulation, faults, reconcile, local, bench, integration) test the source as it is now, not
 * the last manual build.
 *
 * The committed dist/ is left untouched: CI's freshness check (`npm run check:dist` in .ci/run)
 * still compares it with a fresh build. When it is stale this setup says so, naming the files and
 * the command, without failing the run.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { checkDist, writeDist } from '../build/dist.js';
import { BuildFailure, formatMessages } from '../build/messages.js';
import { BUILD_COMMAND, shippedDist } from '../build/shipped.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of this run's fresh build of dist/. */
    distDir: string;
  }
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Compiles procedure/ as `npm run build:proc` does; a build error fails the run, naming the errors. */
async function build(): Promise<Awaited<ReturnType<typeof shippedDist>>> {
  try {
    return await shippedDist(ROOT);
  } catch (e) {
    const why = e instanceof BuildFailure ? formatMessages(e.errors) : e instanceof Error ? e.message : String(e);
    throw new Error(`procedure/ does not build, so no suite can install it (the same errors as \`${BUILD_COMMAND}\`):\n${why}`);
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const started = Date.now();
  const built = await build();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hybrid-sync-test-dist-'));
  writeDist(dir, built.files);
  project.provide('distDir', dir);
  // Watch mode: rebuild before each rerun, so an edit is seen there too.
  project.onTestsRerun(async () => {
    writeDist(dir, (await build()).files);
  });

  const stale = checkDist(path.join(ROOT, 'dist'), built.files);
  const note =
    stale.length === 0
      ? 'the committed dist/ is the same'
      : `the committed dist/ is NOT (${stale.join('; ')}): run \`${BUILD_COMMAND}\` and commit dist/, CI fails until then`;
  console.log(`[global-setup] built procedure/ into ${dir} in ${Date.now() - started} ms for the suites that install dist/; ${note}.`);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
