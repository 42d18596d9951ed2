/**
 * A vitest reporter for `npm run test:mutation` only (vitest.mutation.config.ts).
 *
 * Stryker's vitest runner decides a mutant's fate from the test cases that ran. A mutant that
 * makes a test file fail while it is collected (code in a `describe` body or at the top of the
 * file throws) leaves that file with no test case at all, and the runner reported such a mutant
 * as Survived although `npm test` fails on it. This reporter adds one failed test case to every
 * file or suite that failed with an error of its own and holds no failed test, so the mutant is
 * counted as killed, as the real suite would.
 */
import type { RunnerTask, RunnerTestCase, RunnerTestFile, RunnerTestSuite } from 'vitest';
import type { Reporter, Vitest } from 'vitest/node';

function hasFailedTest(task: RunnerTask): boolean {
  if (task.type === 'test') return task.result?.state === 'fail';
  return task.tasks.some(hasFailedTest);
}

function failedSuites(suite: RunnerTestSuite | RunnerTestFile, out: Array<RunnerTestSuite | RunnerTestFile>): void {
  if (suite.result?.state === 'fail' && (suite.result.errors?.length ?? 0) > 0 && !hasFailedTest(suite)) out.push(suite);
  for (const t of suite.tasks) if (t.type === 'suite') failedSuites(t, out);
}

export class CollectionErrorsFail implements Reporter {
  private vitest: Vitest | null = null;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(): void {
    if (!this.vitest) return;
    for (const file of this.vitest.state.getFiles()) {
      const suites: Array<RunnerTestSuite | RunnerTestFile> = [];
      failedSuites(file, suites);
      for (const suite of suites) {
        const errors = suite.result?.errors ?? [];
        const synthetic: RunnerTestCase = {
          type: 'test',
          id: `${suite.id}_collection`,
          name: '(the file or suite failed outside any test)',
          fullName: `${suite.name} (the file or suite failed outside any test)`,
          fullTestName: '(the file or suite failed outside any test)',
          mode: 'run',
          context: {} as RunnerTestCase['context'],
          file,
          suite,
          meta: {},
          timeout: 0,
          annotations: [],
          artifacts: [],
          result: { state: 'fail', errors },
        } as RunnerTestCase;
        suite.tasks.push(synthetic);
      }
    }
  }
}
