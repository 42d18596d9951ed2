/**
 * The hazards the random simulation mixes, one at a time and by hand, so a regression names its
 * cause: a late commit inside the lookback, ties larger than a batch straddling its boundary,
 * stamps a microsecond apart, a writer clock ahead, and writers and sync in different time zones.
 * Each runs the dist/ HYBRID_SYNC_TABLE; the late commit also runs the naive seed flow, which
 * must lose the row.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BIND_TS,
  COLUMNS,
  REPLICA,
  SOURCE,
  callResult,
  controlRows,
  divergence,
  insertRows,
  micros,
  openWorld,
  resetTables,
  scalar,
  stamp,
  syncTable,
  type SyncOptions,
  type SyncSummary,
  type World,
} from '../support/sim-world.js';
import { SEED_FLOW_PROC as NAIVE_PROC, SEED_FLOW_SQL as NAIVE_PROC_SQL, SEED_FLOW_TABLE_SQL } from '../../scripts/bench/seed-flow.js';

const T0 = micros('2026-03-01T00:00:00Z');
const at = (seconds: number, extraMicros = 0): string => stamp(T0 + BigInt(Math.round(seconds * 1_000_000)) + BigInt(extraMicros));
const OPTS: SyncOptions = { lookbackSeconds: 30, batchSize: 7 };
const inReplica = (w: World, id: number): number => Number(scalar(w.admin, `SELECT COUNT(*) FROM ${REPLICA} WHERE PIPELINE_RUN_ID = ?`, [id]));

describe('sync hazards one at a time (dist/ HYBRID_SYNC_TABLE)', () => {
  let w: World;
  beforeAll(() => {
    w = openWorld();
    w.admin.execute(SEED_FLOW_TABLE_SQL);
    w.admin.execute(NAIVE_PROC_SQL);
  });
  afterAll(() => w?.sf.close());
  beforeEach(() => {
    w.sf.faults.clear();
    resetTables(w);
    // The runs happen an hour after the stamps: no row waits for its time (see the future-stamp test).
    w.clock.set('2026-03-01T01:00:00Z');
  });

  /** A row stamped at 10 s is held in a transaction while rows at 20 s are synced, then commits. */
  function lateCommit(sync: () => void): void {
    const writer = w.sf.session({ name: 'slow-writer', timezone: 'UTC' });
    const held = w.sf.faults.holdTransaction(writer, [
      {
        sql: `INSERT INTO ${SOURCE} (${COLUMNS.join(', ')}) VALUES (1, 'late', 'RUNNING', 'slow', NULL, NULL, 1, NULL, NULL, ${BIND_TS}, ${BIND_TS})`,
        binds: [at(10), at(10)],
      },
    ]);
    insertRows(w.admin, 2, 3, at(20), 'fast');
    sync(); // sees rows 2–4 only; the watermark moves to 20 s, past the held row's 10 s
    held.commit();
    writer.close();
    insertRows(w.admin, 5, 1, at(25), 'after');
    sync();
    sync();
  }

  it('a transaction committing a row stamped before the watermark (within the lookback) is synced', () => {
    lateCommit(() => syncTable(w.admin, OPTS));
    expect(inReplica(w, 1)).toBe(1);
    expect(divergence(w.admin)).toEqual({ sourceRows: 5, replicaRows: 5, missing: 0, extra: 0 });
  });

  it('the naive seed flow loses that same row (no lookback): the scenario can fail', () => {
    lateCommit(() => void callResult<SyncSummary>(w.admin, `CALL ${NAIVE_PROC}()`));
    expect(inReplica(w, 1)).toBe(0);
    expect(divergence(w.admin).missing).toBe(1);
  });

  it('ties larger than a batch are merged together: no row with the boundary stamp is skipped', () => {
    // 3 rows, then 12 rows sharing one stamp (batch size 7), then 3 more.
    insertRows(w.admin, 1, 3, at(0), 'before', 1);
    insertRows(w.admin, 10, 12, at(1), 'tie');
    insertRows(w.admin, 30, 3, at(2), 'after', 1);
    const r = syncTable(w.admin, OPTS);
    expect(r.rowsInserted).toBe(18);
    // Batch 1 stops at the tie's stamp and takes all 12 of it (3 + 12 rows); batch 2 the rest.
    expect(controlRows(w.admin).map((c) => [c.batch, c.inserted])).toEqual([
      [1, 15],
      [2, 3],
    ]);
    expect(divergence(w.admin)).toEqual({ sourceRows: 18, replicaRows: 18, missing: 0, extra: 0 });
  });

  it('stamps one microsecond apart on either side of a run are all synced, at full precision', () => {
    insertRows(w.admin, 1, 1, at(5, 0), 'a');
    insertRows(w.admin, 2, 1, at(5, 1), 'b');
    expect(syncTable(w.admin, OPTS).watermarkTo).toBe(at(5, 1) + '000');
    insertRows(w.admin, 3, 1, at(5, 2), 'c');
    // The run's window excludes what it merged by one microsecond; nothing is lost in between.
    const r = syncTable(w.admin, OPTS);
    expect(r.rowsInserted).toBe(1);
    expect(r.watermarkTo).toBe(at(5, 2) + '000');
    expect(divergence(w.admin)).toEqual({ sourceRows: 3, replicaRows: 3, missing: 0, extra: 0 });
    expect(String(scalar(w.admin, `SELECT TO_VARCHAR(MAX(LAST_UPDATE_DATE), 'YYYY-MM-DD HH24:MI:SS.FF9') FROM ${REPLICA}`))).toBe(at(5, 2) + '000');
  });

  it('a writer clock ahead (within the lookback) does not strand the rows of writers behind it', () => {
    insertRows(w.admin, 1, 1, at(100 + 8), 'ahead'); // 8 s ahead of the others
    syncTable(w.admin, OPTS);
    insertRows(w.admin, 2, 2, at(101), 'on-time'); // stamped "now", behind the watermark
    const r = syncTable(w.admin, OPTS);
    expect(r.rowsInserted).toBe(2);
    expect(divergence(w.admin)).toEqual({ sourceRows: 3, replicaRows: 3, missing: 0, extra: 0 });
  });

  it('writers and sync in different time zones: bound stamps and DEFAULT SYSDATE() stay UTC', () => {
    w.clock.set('2026-03-01T00:00:40Z');
    const la = w.sf.session({ name: 'la-writer', timezone: 'America/Los_Angeles' });
    const kolkata = w.sf.session({ name: 'kolkata-sync', timezone: 'Asia/Kolkata' });
    insertRows(la, 1, 1, at(30), 'bound');
    la.execute(`INSERT INTO ${SOURCE} (PIPELINE_RUN_ID, PIPELINE_NAME, RUN_STATUS) VALUES (2, 'default', 'RUNNING')`);
    // Row 2's stamp is the DEFAULT SYSDATE(): UTC, i.e. 40 s, whatever the session's zone.
    expect(String(scalar(w.admin, `SELECT TO_VARCHAR(LAST_UPDATE_DATE, 'YYYY-MM-DD HH24:MI:SS.FF6') FROM ${SOURCE} WHERE PIPELINE_RUN_ID = 2`))).toBe(at(40));
    const r = syncTable(kolkata, OPTS);
    expect(r.rowsInserted).toBe(2);
    expect(r.watermarkTo).toBe(at(40) + '000');
    la.execute(`UPDATE ${SOURCE} SET RUN_STATUS = 'SUCCESS', LAST_UPDATE_DATE = GREATEST(SYSDATE(), DATEADD('microsecond', 1, LAST_UPDATE_DATE)) WHERE PIPELINE_RUN_ID = 1`);
    expect(syncTable(kolkata, OPTS).rowsUpdated).toBe(1);
    expect(divergence(w.admin)).toEqual({ sourceRows: 2, replicaRows: 2, missing: 0, extra: 0 });
    la.close();
    kolkata.close();
  });
});

describe('HYBRID_SYNC_TABLE called with an OBJECT constant', () => {
  it("accepts CALL HYBRID_SYNC_TABLE({'sourceTable': …, 'batchSize': 2}) and honours its fields", () => {
    const w = openWorld('2026-03-01T01:00:00Z');
    try {
      insertRows(w.admin, 1, 5, at(0), 'obj', 1_000_000);
      const list = (xs: readonly string[]): string => `[${xs.map((x) => `'${x}'`).join(', ')}]`;
      const r = callResult<SyncSummary>(
        w.admin,
        `CALL HYBRID_SYNC_TABLE({'sourceTable': '${SOURCE}', 'targetTable': '${REPLICA}', 'keyColumns': ['PIPELINE_RUN_ID'], ` +
          `'columns': ${list(COLUMNS)}, 'lookbackSeconds': 30, 'batchSize': 2, 'syncName': 'OBJECT_CONSTANT'})`,
      );
      expect([r.rowsInserted, r.batches]).toEqual([5, 3]);
      expect(controlRows(w.admin, 'OBJECT_CONSTANT')).toHaveLength(3);
    } finally {
      w.sf.close();
    }
  });
});
