/**
 * The dist/ SQL that the simulation, fault, reconciliation, local, bench and integration suites
 * install is built from procedure/ as it is now (test/global-setup.ts), so an edit there is
 * tested by `npm test` without a manual `npm run build:proc`. README "Tests".
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SYNC_FILE, TABLES_FILE, shippedDist } from '../../build/shipped.js';
import { LocalSnowflake, ManualClock } from '../../local/index.js';
import { testDistDir } from '../support/dist.js';
import { REPLICA, SIM_START, insertRows, micros, scalar, stamp } from '../support/sim-world.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Installs tables and the shipped sync procedure from `sql`, syncs rows stamped at 20 s, then
 * lets a row stamped 10 s commit late (behind the watermark, inside the default lookback) and
 * syncs again. Returns whether the late row reached the replica.
 */
function lateRowSynced(sql: (file: string) => string): boolean {
  const clock = new ManualClock(SIM_START);
  const sf = LocalSnowflake.open({ clock, timezone: 'UTC' });
  try {
    const s = sf.session({ name: 'admin', timezone: 'UTC' });
    sf.executeScript(sql(TABLES_FILE), s);
    sf.executeScript(sql(SYNC_FILE), s);
    s.execute('ALTER TASK SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION SUSPEND');
    const at = (seconds: number): string => stamp(micros(SIM_START) + BigInt(seconds) * 1_000_000n);
    insertRows(s, 2, 3, at(20), 'fast');
    clock.set(new Date(Date.parse(SIM_START) + 30_000)); // the run's clock is past every stamp
    s.execute('CALL SYNC_PIPELINE_RUN_HISTORY_PROC()');
    insertRows(s, 1, 1, at(10), 'late');
    clock.advance(30_000);
    s.execute('CALL SYNC_PIPELINE_RUN_HISTORY_PROC()');
    return Number(scalar(s, `SELECT COUNT(*) FROM ${REPLICA} WHERE PIPELINE_RUN_ID = 1`)) === 1;
  } finally {
    sf.close();
  }
}

describe('the dist/ the suites install', () => {
  const copies: string[] = [];
  afterAll(() => {
    for (const d of copies) rmSync(d, { recursive: true, force: true });
  });

  it("is this run's build of the current procedure/ source, in a directory of its own (not the committed dist/)", async () => {
    const dir = testDistDir();
    expect(path.resolve(dir)).not.toBe(path.join(ROOT, 'dist'));
    const { files } = await shippedDist(ROOT);
    expect(files.map((f) => f.name).sort()).toEqual([SYNC_FILE, TABLES_FILE, 'alerts.sql', 'manifest.json', 'reconcile_pipeline_run_history.sql'].sort());
    for (const f of files) expect(readFileSync(path.join(dir, f.name), 'utf8'), f.name).toBe(f.text);
  });

  it('follows an edit of procedure/: with the lookback switched off, the build loses a late commit that the source as it is syncs', async () => {
    // A copy of the project's procedure/ with the shipped sync's lookback edited to 0.
    const copy = mkdtempSync(path.join(tmpdir(), 'hybrid-sync-edited-'));
    copies.push(copy);
    // The build's inputs (the manifest records a hash of each).
    for (const p of ['procedure', 'build', 'manifest', 'scripts/build.ts', 'scripts/lib/manifest-build.ts', 'tsconfig.json', 'package.json']) {
      cpSync(path.join(ROOT, p), path.join(copy, p), { recursive: true });
    }
    // The generator knows the Snowflake type by the file that declares it, the project's own
    // shim: the copy imports that one.
    const shim = path.join(ROOT, 'procedure', 'snowflake-api.js');
    for (const f of readdirSync(path.join(copy, 'procedure')).filter((n) => n.endsWith('.ts'))) {
      const file = path.join(copy, 'procedure', f);
      writeFileSync(file, readFileSync(file, 'utf8').split("'./snowflake-api.js'").join(JSON.stringify(shim)));
    }
    const config = path.join(copy, 'procedure', 'config.ts');
    const original = readFileSync(config, 'utf8');
    const lookback = /(export const PIPELINE_RUN_HISTORY: SyncConfig = \{[^}]*\blookbackSeconds: )\d+,/;
    expect(original).toMatch(lookback);
    writeFileSync(config, original.replace(lookback, (_m, head: string) => `${head}0,`));
    const edited = await shippedDist(copy);
    const editedSql = (file: string): string => {
      const f = edited.files.find((x) => x.name === file);
      if (!f) throw new Error(`the edited build has no ${file}`);
      return f.text;
    };

    expect(lateRowSynced((file) => readFileSync(path.join(testDistDir(), file), 'utf8'))).toBe(true);
    expect(lateRowSynced(editedSql)).toBe(false);
  });
});
