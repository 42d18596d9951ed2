/**
 * Fault injection against the dist/ sync procedures on the local runtime (README "How a run
 * works": honest log, bounded): each statement a run issues fails once; a run killed midway;
 * a MERGE refused by a constraint; the source dropped or given a new column; a large backlog
 * synced in batches with a failure in the middle.
 *
 * After every run the watermark must not pass a source row the replica lacks, and every run
 * that ended has exactly one control row. After the fault is gone the replica converges.
 *
 * Backlog size: HYBRID_SYNC_BACKLOG_ROWS (default 200,000; nightly 1,000,000).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalSnowflakeError } from '../../local/index.js';
import {
  COLUMNS,
  CONTROL,
  REPLICA,
  STATE,
  SOURCE,
  SYNC_NAME,
  controlRows,
  distSql,
  divergence,
  insertBacklog,
  insertRows,
  micros,
  oldestUnmerged,
  openWorld,
  resetTables,
  scalar,
  stamp,
  syncTable,
  watermark,
  type SyncOptions,
  type SyncSummary,
  type World,
} from '../support/sim-world.js';

/** The statements of a run, as procedure/sql.ts writes them (matched on the SQL text). */
const STATE_READ = /^SELECT\s+IFF\(S\.SYNC_NAME IS NULL/;
const WINDOW = /^WITH LAST_RUN AS \(/;
const NEXT_BATCH = /^WITH BATCH AS \(/;
const CLAIM = /^UPDATE "ETL_PIPELINE_SYNC_STATE" SET RUN_ID = \?/;
const MERGE = /^MERGE INTO "ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION"/;
const LOG = /^INSERT INTO "ETL_PIPELINE_SYNC_CONTROL" \(SYNC_RUN_ID, TABLE_NAME, SYNC_START_TIMESTAMP, SYNC_END_TIMESTAMP, WATERMARK_FROM/;

const OPTS: SyncOptions = { lookbackSeconds: 30, batchSize: 5 };
const T0 = micros('2026-02-01T00:00:00Z');
const at = (seconds: number): string => stamp(T0 + BigInt(Math.round(seconds * 1_000_000)));
const BACKLOG = Number(process.env.HYBRID_SYNC_BACKLOG_ROWS ?? 200_000);

/** Counts of what the suite injected and survived, printed at the end. */
const figures = { faultsInjected: 0, faultsSurvived: 0, backlog: '' };

/** The sync contract's invariants that must hold after any run, failed or not. */
function expectInvariants(w: World): void {
  const wm = watermark(w.admin);
  const unmerged = oldestUnmerged(w.admin);
  if (wm !== null && unmerged !== null) {
    // "The watermark advances only with data that has been merged."
    expect(unmerged > wm, `watermark ${wm} passed unmerged source row stamped ${unmerged}`).toBe(true);
  }
}

/** Runs the sync until a run writes nothing; returns the runs' summaries. */
function catchUp(w: World, opts: SyncOptions = OPTS, limit = 20): SyncSummary[] {
  const runs: SyncSummary[] = [];
  for (let i = 0; i < limit; i++) {
    w.clock.advance(60_000);
    const r = syncTable(w.admin, opts);
    runs.push(r);
    expectInvariants(w);
    if (r.rowsInserted === 0 && r.rowsUpdated === 0 && !r.moreToSync) return runs;
  }
  throw new Error(`sync did not catch up in ${limit} runs`);
}

function expectConverged(w: World): void {
  const d = divergence(w.admin);
  expect(d).toEqual({ sourceRows: d.sourceRows, replicaRows: d.sourceRows, missing: 0, extra: 0 });
  expect(controlRows(w.admin).filter((r) => r.status === 'RUNNING')).toEqual([]);
  const again = syncTable(w.admin, OPTS);
  expect([again.rowsInserted, again.rowsUpdated]).toEqual([0, 0]);
}

/** Calls the sync expecting it to fail; returns the error the CALL raised. */
function failingSync(w: World, opts: SyncOptions = OPTS): LocalSnowflakeError {
  let error: unknown;
  try {
    syncTable(w.admin, opts);
  } catch (e) {
    error = e;
  }
  expect(error, 'the sync run should have failed and rethrown').toBeInstanceOf(LocalSnowflakeError);
  return error as LocalSnowflakeError;
}

describe('sync under injected faults (dist/ procedures on the local runtime)', () => {
  let w: World;
  beforeAll(() => {
    w = openWorld();
  });
  afterAll(() => {
    w?.sf.close();
    console.log(
      `[faults] injected ${figures.faultsInjected}, survived ${figures.faultsSurvived} (replica converged after each)` +
        (figures.backlog ? ` | ${figures.backlog}` : ''),
    );
  });
  beforeEach(() => {
    w.sf.faults.clear();
    resetTables(w);
    // A synced baseline, then 12 new rows two minutes later: a run of 3 batches of 5, 5 and 2
    // new rows (the first batch also re-reads the baseline's 4 rows inside the lookback).
    insertRows(w.admin, 1, 4, at(0), 'baseline', 1_000_000);
    syncTable(w.admin, OPTS);
    insertRows(w.admin, 101, 12, at(120), 'new', 1_000_000);
    w.clock.advance(60_000);
  });

  const cases: Array<{ step: string; pattern: RegExp; nth: number }> = [
    { step: 'read state', pattern: STATE_READ, nth: 1 },
    { step: 'plan window', pattern: WINDOW, nth: 1 },
    { step: 'claim batch 1', pattern: CLAIM, nth: 1 },
    { step: 'merge batch 1', pattern: MERGE, nth: 1 },
    { step: 'log batch 1', pattern: LOG, nth: 1 },
    { step: 'plan batch 2', pattern: NEXT_BATCH, nth: 1 },
    { step: 'claim batch 2', pattern: CLAIM, nth: 2 },
    { step: 'merge batch 2', pattern: MERGE, nth: 2 },
    { step: 'log batch 2', pattern: LOG, nth: 2 },
    { step: 'merge batch 3', pattern: MERGE, nth: 3 },
  ];

  for (const c of cases) {
    it(`a failed "${c.step}" leaves a FAILED control row with the error, keeps the watermark honest, and the next runs converge`, () => {
      const before = controlRows(w.admin).length;
      const wmBefore = watermark(w.admin);
      w.sf.faults.failNth(c.pattern, c.nth, { message: `Injected fault at ${c.step}` });
      figures.faultsInjected++;
      const err = failingSync(w);
      expect(err.message).toContain(`[${c.step}]`);
      expect(err.message).toContain(`Injected fault at ${c.step}`);
      expect(w.sf.faults.pending).toBe(0);

      const rows = controlRows(w.admin).slice(before);
      const failed = rows.filter((r) => r.status === 'FAILED');
      expect(failed).toHaveLength(1);
      expect(failed[0]?.error).toContain(`Injected fault at ${c.step}`);
      expect(rows.filter((r) => r.status === 'RUNNING')).toEqual([]);
      // Batches before the failure keep their progress; nothing after it ran.
      const done = rows.filter((r) => r.status === 'SUCCESS');
      const batchOfFailure = Number(/batch (\d+)/.exec(c.step)?.[1] ?? 1);
      const expectedDone = /batch/.test(c.step) ? batchOfFailure - 1 : 0;
      expect(done.map((r) => r.batch)).toEqual(Array.from({ length: expectedDone }, (_v, i) => i + 1));
      if (done.length === 0) expect(watermark(w.admin)).toBe(wmBefore);
      expectInvariants(w);

      catchUp(w);
      expectConverged(w);
      figures.faultsSurvived++;
    });
  }

  it('a run killed after its MERGE (no control row): the next runs skip it while its lease holds, then log it FAILED and merge again', () => {
    w.sf.faults.killCallAt(LOG, 1);
    figures.faultsInjected++;
    expect(() => syncTable(w.admin, OPTS)).toThrow();
    // Its MERGE committed, but no SUCCESS row vouches for it: the watermark did not move.
    expectInvariants(w);
    const killedId = String(scalar(w.admin, `SELECT RUN_ID FROM ${STATE} WHERE SYNC_NAME = ?`, [SYNC_NAME]));

    // Within the lease the killed run cannot be told from a slow one: merge nothing, say why.
    w.clock.advance(60_000);
    const skipped = syncTable(w.admin, OPTS);
    expect(skipped.status).toBe('SKIPPED');
    expect(skipped.rowsInserted + skipped.rowsUpdated).toBe(0);
    expect(controlRows(w.admin).at(-1)?.error).toContain(`run ${killedId} `);

    // Once the lease (900 s by default) has passed, it is dead: FAILED, saying rows may have been merged.
    w.clock.advance(3_600_000);
    const next = syncTable(w.admin, OPTS);
    expect(next.status).toBe('SUCCESS');
    expect(next.staleRunsClosed).toBe(1);
    const closed = controlRows(w.admin).find((r) => String(r.id) === killedId);
    expect(closed?.status).toBe('FAILED');
    expect(closed?.error).toMatch(/did not finish/);
    expect(closed?.error).toMatch(/may have been merged/);
    expect(closed?.error).toContain(`Closed by run ${next.runIds[0]}`);
    catchUp(w);
    expectConverged(w);
    figures.faultsSurvived++;
  });

  it('a RUNNING row left by an earlier version is closed when the sync moves to the state table, and the sync continues from its last watermark', () => {
    // An upgraded deployment: control rows, no state row.
    const wmBefore = watermark(w.admin);
    w.admin.execute(`DELETE FROM ${STATE}`);
    // (The upgrade made the sequence start above the old ids; this row takes the next one.)
    w.admin.execute(
      `INSERT INTO ${CONTROL} (SYNC_RUN_ID, TABLE_NAME, SYNC_START_TIMESTAMP, SYNC_STATUS, BATCH_NUMBER) VALUES (ETL_PIPELINE_SYNC_RUN_SEQ.NEXTVAL, ?, SYSDATE(), 'RUNNING', 1)`,
      [SYNC_NAME],
    );
    const legacy = controlRows(w.admin).find((c) => c.status === 'RUNNING')?.id;
    figures.faultsInjected++;
    const r = syncTable(w.admin, OPTS);
    expect(r.staleRunsClosed).toBe(1);
    expect(r.watermarkFrom).not.toBeNull();
    expect(r.watermarkFrom! < wmBefore!).toBe(true);
    expect(r.rowsInserted).toBeGreaterThan(0);
    expect(controlRows(w.admin).find((c) => c.id === legacy)?.status).toBe('FAILED');
    expect(controlRows(w.admin).filter((c) => c.status === 'RUNNING')).toEqual([]);
    catchUp(w);
    expectConverged(w);
    figures.faultsSurvived++;
  });

  it('an upgrade whose sequence starts below the old run ids is refused before anything is written, naming the fix', () => {
    w.admin.execute(`DELETE FROM ${STATE}`);
    w.admin.execute(`INSERT INTO ${CONTROL} (SYNC_RUN_ID, TABLE_NAME, SYNC_START_TIMESTAMP, SYNC_STATUS, BATCH_NUMBER) VALUES (900000, 'OTHER', SYSDATE(), 'SUCCESS', 1)`);
    const before = divergence(w.admin);
    expect(() => syncTable(w.admin, OPTS)).toThrow(/already holds run ids up to 900000.*CREATE OR REPLACE SEQUENCE "ETL_PIPELINE_SYNC_RUN_SEQ" START = 900001 ORDER/s);
    expect(divergence(w.admin)).toEqual(before);
    w.admin.execute('CREATE OR REPLACE SEQUENCE ETL_PIPELINE_SYNC_RUN_SEQ START = 900001 ORDER');
    catchUp(w);
    expectConverged(w);
  });

  it('a MERGE refused by a NOT NULL constraint on the replica writes nothing of its batch; fixing the row converges', () => {
    // The replica demands TRIGGERED_BY; one new source row lacks it.
    const ddl = distSql('run_history_log');
    const replicaDdl = (/CREATE HYBRID TABLE IF NOT EXISTS "ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION" \([\s\S]*?\) COMMENT = '[^']*'/.exec(ddl) as RegExpExecArray)[0]
      .replace('CREATE HYBRID TABLE IF NOT EXISTS', 'CREATE OR REPLACE HYBRID TABLE')
      .replace('"TRIGGERED_BY" VARCHAR(100),', '"TRIGGERED_BY" VARCHAR(100) NOT NULL,');
    const kept = Number(scalar(w.admin, `SELECT COUNT(*) FROM ${REPLICA}`));
    w.admin.execute(`CREATE TEMPORARY TABLE KEEP_REPLICA AS SELECT * FROM ${REPLICA}`);
    w.admin.execute(replicaDdl);
    w.admin.execute(`INSERT INTO ${REPLICA} SELECT * FROM KEEP_REPLICA`);
    w.admin.execute('DROP TABLE KEEP_REPLICA');
    w.admin.execute(`UPDATE ${SOURCE} SET TRIGGERED_BY = NULL WHERE PIPELINE_RUN_ID = 101`);
    figures.faultsInjected++;

    const wmBefore = watermark(w.admin);
    const err = failingSync(w);
    expect(err.message).toContain('[merge batch 1]');
    expect(err.message).toMatch(/TRIGGERED_BY/);
    expect(Number(scalar(w.admin, `SELECT COUNT(*) FROM ${REPLICA}`))).toBe(kept);
    expect(watermark(w.admin)).toBe(wmBefore);
    expect(controlRows(w.admin).at(-1)?.status).toBe('FAILED');
    // Failing again and again does not move the watermark either.
    failingSync(w);
    expect(watermark(w.admin)).toBe(wmBefore);
    expectInvariants(w);

    // The writer fixes its row, moving its stamp as every update must.
    w.admin.execute(
      `UPDATE ${SOURCE} SET TRIGGERED_BY = 'fixed', LAST_UPDATE_DATE = DATEADD('microsecond', 1, LAST_UPDATE_DATE) WHERE PIPELINE_RUN_ID = 101`,
    );
    catchUp(w);
    expectConverged(w);
    figures.faultsSurvived++;
  });

  it('the source table dropped: a FAILED row names the missing table; once it is back the sync resumes', () => {
    w.admin.execute(`DROP TABLE ${SOURCE}`);
    figures.faultsInjected++;
    const wmBefore = watermark(w.admin);
    const err = failingSync(w);
    expect(err.message).toContain('[check schema]');
    expect(err.message).toMatch(/source table "ETL_PIPELINE_RUN_HISTORY_LOG" does not exist or is not visible to the procedure owner\. Nothing was written\. Create it/);
    const last = controlRows(w.admin).at(-1);
    expect(last?.status).toBe('FAILED');
    expect(last?.error).toMatch(/source table "ETL_PIPELINE_RUN_HISTORY_LOG" does not exist/);
    expect(watermark(w.admin)).toBe(wmBefore);

    w.sf.executeScript(distSql('run_history_log'), w.admin);
    // The replica keeps the old rows; the source gets them back plus new ones.
    w.admin.execute(`INSERT INTO ${SOURCE} SELECT * FROM ${REPLICA}`);
    insertRows(w.admin, 101, 12, at(120), 'new', 1_000_000);
    catchUp(w);
    expectConverged(w);
    figures.faultsSurvived++;
  });

  it('a column added to the source: FAILED naming the column, nothing written, watermark unchanged', () => {
    w.admin.execute(`ALTER TABLE ${SOURCE} ADD COLUMN EXTRA_NOTE VARCHAR(100)`);
    figures.faultsInjected++;
    const wmBefore = watermark(w.admin);
    const replicaBefore = divergence(w.admin);
    const err = failingSync(w);
    expect(err.message).toContain('[check schema]');
    expect(err.message).toContain('EXTRA_NOTE');
    expect(err.message).toContain('Nothing was written');
    const last = controlRows(w.admin).at(-1);
    expect(last?.status).toBe('FAILED');
    expect(last?.error).toContain('EXTRA_NOTE');
    expect(divergence(w.admin)).toEqual(replicaBefore);
    expect(watermark(w.admin)).toBe(wmBefore);
    // The shipped procedure refuses the same way.
    expect(() => w.admin.execute('CALL SYNC_PIPELINE_RUN_HISTORY_PROC()')).toThrow(/EXTRA_NOTE/);
    figures.faultsSurvived++;
    // Put the source back for the next tests (DuckDB cannot drop a column of an indexed table).
    w.admin.execute(`DROP TABLE ${SOURCE}`);
    w.sf.executeScript(distSql('run_history_log'), w.admin);
  });

  it(`a ${BACKLOG.toLocaleString('en-US')}-row backlog syncs in batches; a failure in the middle keeps the batches before it`, () => {
    resetTables(w);
    const batchSize = Math.ceil(BACKLOG / 8);
    const opts: SyncOptions = { lookbackSeconds: 300, batchSize };
    // Rows 10 ms apart: the backlog spans BACKLOG/100 seconds, far more than the lookback.
    insertBacklog(w.admin, 1, BACKLOG, at(0), 10_001);
    expect(Number(scalar(w.admin, `SELECT COUNT(*) FROM ${SOURCE}`))).toBe(BACKLOG);

    w.sf.faults.failNth(MERGE, 4, { message: 'Injected fault in the middle of the backlog' });
    figures.faultsInjected++;
    const started = performance.now();
    const err = failingSync(w, opts);
    expect(err.message).toContain('[merge batch 4]');
    const rows = controlRows(w.admin);
    expect(rows.map((r) => r.status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS', 'FAILED']);
    expect(Number(scalar(w.admin, `SELECT COUNT(*) FROM ${REPLICA}`))).toBe(3 * batchSize);
    expectInvariants(w);

    const runs = catchUp(w, opts);
    const seconds = (performance.now() - started) / 1000;
    const batches = 3 + runs.reduce((a, r) => a + r.batches, 0);
    const d = divergence(w.admin);
    expect(d).toEqual({ sourceRows: BACKLOG, replicaRows: BACKLOG, missing: 0, extra: 0 });
    expect(runs[0]?.batches).toBeGreaterThanOrEqual(5);
    figures.faultsSurvived++;
    figures.backlog = `backlog ${BACKLOG} rows: ${batches} batches over ${runs.length + 1} runs (batch ${batchSize}), ${seconds.toFixed(1)} s`;
    // Every column made it across (spot check beside the EXCEPT above).
    expect(Number(scalar(w.admin, `SELECT COUNT(DISTINCT LAST_UPDATE_DATE) FROM ${REPLICA}`))).toBe(BACKLOG);
    expect(COLUMNS.length).toBe(11);
  });
});

describe('the lookback window does not count against batchSize × maxBatches', () => {
  // Regression: the first batch used to be picked from rows past LOW_WM (the last watermark
  // minus the lookback), so rows already merged filled the batches again; with more rows in the
  // lookback than batchSize × maxBatches every run ended at the old watermark and the sync
  // never passed it. Batches now count only rows past the last watermark.
  it('10 rows within the lookback, batchSize 2, maxBatches 2: the sync reaches every row', () => {
    const w = openWorld();
    try {
      insertRows(w.admin, 1, 10, at(0), 'tight', 1_000_000);
      const opts: SyncOptions = { lookbackSeconds: 30, batchSize: 2, maxBatches: 2 };
      for (let i = 0; i < 10; i++) {
        w.clock.advance(60_000);
        syncTable(w.admin, opts);
      }
      expect(divergence(w.admin)).toEqual({ sourceRows: 10, replicaRows: 10, missing: 0, extra: 0 });
    } finally {
      w.sf.close();
    }
  });
});
