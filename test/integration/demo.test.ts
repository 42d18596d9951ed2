import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEMO, runDemo } from '../../scripts/demo.js';

// The README's first command: the demo must end with a verified, equal replica.
describe('npm start (the demo)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hybrid-sync-demo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs writers and the task on the local runtime and ends with replica = source', async () => {
    const lines: string[] = [];
    const result = await runDemo(
      { ...DEFAULT_DEMO, durationSeconds: 4, intervalSeconds: 1, dbPath: join(dir, 'demo.duckdb'), seed: 7 },
      (l) => lines.push(l),
    );
    expect(result.equal).toBe(true);
    expect(result.differingRows).toBe(0);
    expect(result.sourceRows).toBeGreaterThan(0);
    expect(result.runs).toBeGreaterThanOrEqual(3); // the task fired on its schedule, plus the two catch-up calls
    expect(result.failedRuns).toBe(0);
    expect(lines.some((l) => /^\[\s*\d+s\] changes/.test(l))).toBe(true);
    expect(lines[lines.length - 1]).toMatch(/^OK: replica equals source/);
  });
});
