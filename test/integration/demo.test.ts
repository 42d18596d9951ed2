import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEMO, DEMO_MARKER, runDemo } from '../../scripts/demo.js';
import { testDistDir } from '../support/dist.js';

// The README's first command: the demo must end with a verified, equal replica.
describe('npm start (the demo)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hybrid-sync-demo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs writers and the task on the local runtime and ends with replica = source', async () => {
    const lines: string[] = [];
    const result = await runDemo(
      { ...DEFAULT_DEMO, distDir: testDistDir(), durationSeconds: 4, intervalSeconds: 1, dbPath: join(dir, 'demo.duckdb'), seed: 7 },
      (l) => lines.push(l),
    );
    expect(result.equal).toBe(true);
    expect(result.differingRows).toBe(0);
    expect(result.sourceRows).toBeGreaterThan(0);
    expect(result.runs).toBeGreaterThanOrEqual(3); // the task fired on its schedule, plus the two catch-up calls
    expect(result.failedRuns).toBe(0);
    expect(lines.some((l) => /^\[\s*\d+s\] changes/.test(l))).toBe(true);
    expect(lines[lines.length - 1]).toMatch(/^OK: replica equals source/);
    expect(existsSync(join(dir, 'demo.duckdb' + DEMO_MARKER))).toBe(true);
  });

  it('never deletes a file it did not create: --db at an existing file without --keep is refused', async () => {
    const file = join(dir, 'precious.duckdb');
    writeFileSync(file, 'not a demo database');
    await expect(runDemo({ ...DEFAULT_DEMO, durationSeconds: 1, dbPath: file }, () => {})).rejects.toThrow(/precious\.duckdb exists and was not created by npm start, so it is left as it is/);
    expect(readFileSync(file, 'utf8')).toBe('not a demo database');
  });
});
