/**
 * RECONCILE_PIPELINE_RUN_HISTORY_PROC from dist/, on the local runtime: the replica is corrupted
 * on purpose after a sync, and the check must name exactly the keys corrupted, with the right
 * issue, log itself, and repair on request (deleting extra replica rows only when asked).
 *
 * The shipped config's lookback is 300 s: rows stamped after (watermark − 300 s) are in flight
 * and left out of the comparison. The fixture stamps 20 rows a minute apart, so rows 1–15 are
 * compared and rows 16–20 are in flight.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BIND_TS,
  RECONCILE_LOG,
  REPLICA,
  SOURCE,
  callResult,
  divergence,
  insertRows,
  micros,
  openWorld,
  resetTables,
  scalar,
  stamp,
  type World,
} from '../support/sim-world.js';

interface ReconcileSummary {
  status: 'MATCH' | 'MISMATCH' | 'REPAIRED';
  cutoff: string | null;
  buckets: number;
  sourceRows: number;
  targetRows: number;
  mismatchedBuckets: Array<{ bucket: number; sourceRows: number; targetRows: number }>;
  keys: Array<{ key: { PIPELINE_RUN_ID: string | number }; issue: string }>;
  keysTruncated: boolean;
  repairedRows: number;
  deletedRows: number;
}

const T0 = micros('2026-02-01T00:00:00Z');
const minute = (m: number): string => stamp(T0 + BigInt(m) * 60_000_000n);

describe('reconciliation of the replica (dist/ RECONCILE_PIPELINE_RUN_HISTORY_PROC)', () => {
  let w: World;
  beforeAll(() => {
    w = openWorld();
  });
  afterAll(() => w?.sf.close());
  beforeEach(() => {
    resetTables(w);
    // Ids 1..20 stamped minute 0..19; the sync's watermark ends at minute 19.
    for (let i = 0; i < 20; i++) insertRows(w.admin, i + 1, 1, minute(i), 'rec');
    w.admin.execute('CALL SYNC_PIPELINE_RUN_HISTORY_PROC()');
  });

  const reconcile = (args = ''): ReconcileSummary => callResult<ReconcileSummary>(w.admin, `CALL RECONCILE_PIPELINE_RUN_HISTORY_PROC(${args})`);
  const keys = (r: ReconcileSummary): Array<[number, string]> => r.keys.map((k) => [Number(k.key.PIPELINE_RUN_ID), k.issue]);
  const bucketOf = (id: number, buckets: number): number => Number(scalar(w.admin, `SELECT MOD(ABS(HASH(CAST(? AS NUMBER(38,0)))), ${buckets})`, [id]));
  const logRows = (): Array<{ status: string; buckets: number; keys: number; repaired: number; deleted: number }> =>
    w.admin
      .execute(`SELECT STATUS, MISMATCHED_BUCKETS, MISMATCHED_KEYS, REPAIRED_ROWS, DELETED_ROWS FROM ${RECONCILE_LOG} ORDER BY CHECK_ID`)
      .rows.map((r) => ({ status: String(r[0]), buckets: Number(r[1]), keys: Number(r[2]), repaired: Number(r[3]), deleted: Number(r[4]) }));

  /** Deletes row 3, changes a column of row 5 and the stamp of row 7, adds row 9999 to the replica. */
  function corrupt(withExtra: boolean): void {
    w.admin.execute(`DELETE FROM ${REPLICA} WHERE PIPELINE_RUN_ID = 3`);
    w.admin.execute(`UPDATE ${REPLICA} SET RUN_STATUS = 'TAMPERED' WHERE PIPELINE_RUN_ID = 5`);
    w.admin.execute(`UPDATE ${REPLICA} SET LAST_UPDATE_DATE = DATEADD('microsecond', -1, LAST_UPDATE_DATE) WHERE PIPELINE_RUN_ID = 7`);
    if (withExtra) {
      w.admin.execute(
        `INSERT INTO ${REPLICA} (PIPELINE_RUN_ID, PIPELINE_NAME, RUN_STATUS, CREATED_AT, LAST_UPDATE_DATE) VALUES (9999, 'ghost', 'SUCCESS', ${BIND_TS}, ${BIND_TS})`,
        [minute(2), minute(2)],
      );
    }
  }

  it('a clean replica is a MATCH, logged, comparing only rows older than watermark − lookback', () => {
    const r = reconcile();
    expect(r.status).toBe('MATCH');
    expect(r.cutoff).toBe(stamp(T0 + 14n * 60_000_000n) + '000');
    expect([r.sourceRows, r.targetRows]).toEqual([15, 15]);
    expect(r.mismatchedBuckets).toEqual([]);
    expect(r.keys).toEqual([]);
    expect(logRows()).toEqual([{ status: 'MATCH', buckets: 0, keys: 0, repaired: 0, deleted: 0 }]);
  });

  it('names exactly the corrupted keys with their issue and the buckets they fall in, and logs the check', () => {
    corrupt(true);
    const r = reconcile();
    expect(r.status).toBe('MISMATCH');
    expect(keys(r)).toEqual([
      [3, 'MISSING_IN_REPLICA'],
      [5, 'DIFFERENT'],
      [7, 'DIFFERENT'],
      [9999, 'EXTRA_IN_REPLICA'],
    ]);
    expect(r.keysTruncated).toBe(false);
    const expectedBuckets = [...new Set([3, 5, 7, 9999].map((id) => bucketOf(id, r.buckets)))].sort((a, b) => a - b);
    expect(r.mismatchedBuckets.map((b) => b.bucket).sort((a, b) => a - b)).toEqual(expectedBuckets);
    // One row missing and one extra: the totals say so too.
    expect([r.sourceRows, r.targetRows]).toEqual([15, 15]);
    expect(logRows()).toEqual([{ status: 'MISMATCH', buckets: expectedBuckets.length, keys: 4, repaired: 0, deleted: 0 }]);
    // A check only reports: the replica is untouched.
    expect(divergence(w.admin).missing).toBe(3);
  });

  it('(TRUE) repairs the missing and different rows but keeps the extra one; (TRUE, TRUE) deletes it too', () => {
    corrupt(true);
    const repaired = reconcile('TRUE');
    expect(repaired.repairedRows).toBe(3);
    expect(repaired.deletedRows).toBe(0);
    // The extra row is still there, so the replica still differs: the status says so.
    expect(repaired.status).toBe('MISMATCH');
    expect(Number(scalar(w.admin, `SELECT COUNT(*) FROM ${REPLICA} WHERE PIPELINE_RUN_ID = 9999`))).toBe(1);
    expect(divergence(w.admin)).toMatchObject({ missing: 0, extra: 1 });
    expect(keys(reconcile())).toEqual([[9999, 'EXTRA_IN_REPLICA']]);

    const cleaned = reconcile('TRUE, TRUE');
    expect(cleaned.status).toBe('REPAIRED');
    expect(cleaned.deletedRows).toBe(1);
    expect(divergence(w.admin)).toEqual({ sourceRows: 20, replicaRows: 20, missing: 0, extra: 0 });
    expect(reconcile().status).toBe('MATCH');
    expect(logRows().map((l) => l.status)).toEqual(['MISMATCH', 'MISMATCH', 'REPAIRED', 'MATCH']);
  });

  it('(TRUE) on a replica with no extra rows ends REPAIRED with replica = source', () => {
    corrupt(false);
    const r = reconcile('TRUE');
    expect(r.status).toBe('REPAIRED');
    expect(r.repairedRows).toBe(3);
    expect(divergence(w.admin)).toEqual({ sourceRows: 20, replicaRows: 20, missing: 0, extra: 0 });
    expect(logRows().at(-1)).toEqual({ status: 'REPAIRED', buckets: r.mismatchedBuckets.length, keys: 3, repaired: 3, deleted: 0 });
  });

  it('rows in flight (stamped after watermark − lookback) are not reported', () => {
    // Row 18 is in flight: its replica copy is altered, and a new source row is not synced yet.
    w.admin.execute(`UPDATE ${REPLICA} SET RUN_STATUS = 'IN FLIGHT' WHERE PIPELINE_RUN_ID = 18`);
    insertRows(w.admin, 21, 1, minute(25), 'late');
    const r = reconcile();
    expect(r.status).toBe('MATCH');
    expect(r.keys).toEqual([]);
    // The same alteration on a compared row is reported.
    w.admin.execute(`UPDATE ${REPLICA} SET RUN_STATUS = 'OLD' WHERE PIPELINE_RUN_ID = 10`);
    expect(keys(reconcile())).toEqual([[10, 'DIFFERENT']]);
    expect(Number(scalar(w.admin, `SELECT COUNT(*) FROM ${SOURCE}`))).toBe(21);
  });

  it('the result names the reconcile log row it wrote (checkId = CHECK_ID)', () => {
    const r = callResult<ReconcileSummary & { checkId: string | null }>(w.admin, 'CALL RECONCILE_PIPELINE_RUN_HISTORY_PROC()');
    // A string: ids come from the run-id sequence and may pass 2^53.
    expect(r.checkId).toBe(String(scalar(w.admin, `SELECT MAX(CHECK_ID) FROM ${RECONCILE_LOG}`)));
  });

  it('the daily task in dist/ runs the check (EXECUTE TASK) and logs it', () => {
    corrupt(false);
    w.admin.execute('EXECUTE TASK RECONCILE_PIPELINE_RUN_HISTORY_DAILY');
    expect(logRows().map((l) => [l.status, l.keys])).toEqual([['MISMATCH', 3]]);
  });
});

describe('HYBRID_SYNC_RECONCILE: any pair, by its CONFIG', () => {
  it('finds a row that committed later than the lookback (lost by the sync) and repairs it', () => {
    const w = openWorld('2026-03-01T01:00:00Z');
    try {
      for (const t of ['ORDERS', 'ORDERS_REPLICA']) {
        w.admin.execute(`CREATE OR REPLACE HYBRID TABLE ${t} (ID NUMBER(38,0) NOT NULL, AMOUNT NUMBER(12,2), UPDATED_AT TIMESTAMP_NTZ(9) NOT NULL, PRIMARY KEY (ID))`);
      }
      const config = JSON.stringify({ sourceTable: 'ORDERS', targetTable: 'ORDERS_REPLICA', keyColumns: ['ID'], columns: ['ID', 'AMOUNT', 'UPDATED_AT'], watermarkColumn: 'UPDATED_AT', syncName: 'ORDERS', lookbackSeconds: 60 });
      const sync = (): void => void w.admin.execute('CALL HYBRID_SYNC_TABLE(PARSE_JSON(?))', [config]);
      const writer = w.sf.session({ name: 'slow', timezone: 'UTC' });
      const held = w.sf.faults.holdTransaction(writer, ['INSERT INTO ORDERS VALUES (1, 10, SYSDATE())']);
      for (let m = 0; m < 20; m++) {
        w.clock.advance(60_000);
        w.admin.execute('INSERT INTO ORDERS VALUES (?, 1, SYSDATE())', [100 + m]);
        sync();
      }
      held.commit(); // stamped 20 minutes ago: outside the 60 s lookback
      writer.close();
      w.clock.advance(60_000);
      sync();
      expect(Number(scalar(w.admin, 'SELECT COUNT(*) FROM ORDERS_REPLICA WHERE ID = 1'))).toBe(0);

      const check = callResult<ReconcileSummary>(w.admin, 'CALL HYBRID_SYNC_RECONCILE(PARSE_JSON(?))', [config]);
      expect(check.status).toBe('MISMATCH');
      expect(check.keys.map((k) => [Number((k.key as unknown as { ID: number }).ID), k.issue])).toEqual([[1, 'MISSING_IN_REPLICA']]);
      expect(String(scalar(w.admin, `SELECT TABLE_NAME FROM ${RECONCILE_LOG} ORDER BY CHECK_ID DESC LIMIT 1`))).toBe('ORDERS');

      const fixed = callResult<ReconcileSummary>(w.admin, 'CALL HYBRID_SYNC_RECONCILE(PARSE_JSON(?), TRUE)', [config]);
      expect(fixed.status).toBe('REPAIRED');
      expect(Number(scalar(w.admin, 'SELECT COUNT(*) FROM ORDERS_REPLICA WHERE ID = 1'))).toBe(1);
    } finally {
      w.sf.close();
    }
  });
});
