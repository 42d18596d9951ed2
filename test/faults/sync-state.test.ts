/**
 * The sync's state on the local runtime with the dist/ procedures, one finding at a time: run ids
 * of different syncs, a live run met by a second CALL, LTZ watermarks across time zones, NULL and
 * non-timestamp watermarks, a stamp far in the future, schema drift and the in-place resync, and
 * the retention purge. Each test fails on the behaviour it names (README "How a run works").
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalSession } from '../../local/index.js';
import {
  CONTROL,
  REPLICA,
  SOURCE,
  STATE,
  SYNC_NAME,
  callResult,
  controlRows,
  divergence,
  insertRows,
  micros,
  openWorld,
  scalar,
  stamp,
  type SyncSummary,
  type World,
} from '../support/sim-world.js';

const T0 = micros('2026-03-01T00:00:00Z');
const at = (seconds: number): string => stamp(T0 + BigInt(Math.round(seconds * 1_000_000)));
const MERGE = /^MERGE INTO "ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION"/;
const CLAIM = /^UPDATE "ETL_PIPELINE_SYNC_STATE" SET RUN_ID = \?/;

/** Runs `inside` once, just before the first statement matching `pattern` is sent. */
function during(w: World, pattern: RegExp, inside: () => void): () => void {
  const faults = w.sf.faults;
  const original = faults.check.bind(faults);
  let done = false;
  faults.check = (sql: string): void => {
    if (!done && pattern.test(sql)) {
      done = true;
      inside();
    }
    original(sql);
  };
  return () => {
    faults.check = original;
  };
}

const ORDERS = (name: string): Record<string, unknown> => ({
  sourceTable: name,
  targetTable: `${name}_REPLICA`,
  keyColumns: ['ID'],
  columns: ['ID', 'AMOUNT', 'UPDATED_AT'],
  watermarkColumn: 'UPDATED_AT',
  syncName: name,
});
const callSync = (s: LocalSession, cfg: Record<string, unknown>): SyncSummary => callResult<SyncSummary>(s, 'CALL HYBRID_SYNC_TABLE(PARSE_JSON(?))', [JSON.stringify(cfg)]);
const resync = (s: LocalSession, cfg: Record<string, unknown>, from: string | null = null): SyncSummary =>
  callResult<SyncSummary>(s, 'CALL HYBRID_SYNC_RESYNC(PARSE_JSON(?), ?)', [JSON.stringify(cfg), from]);
function createPair(s: LocalSession, name: string, watermarkType = 'TIMESTAMP_NTZ(9) NOT NULL', amount = 'NUMBER(12,2)'): void {
  for (const t of [name, `${name}_REPLICA`]) {
    s.execute(`CREATE OR REPLACE HYBRID TABLE ${t} (ID NUMBER(38,0) NOT NULL, AMOUNT ${amount}, UPDATED_AT ${watermarkType}, PRIMARY KEY (ID))`);
  }
}
const replicaOf = (s: LocalSession, name: string): string[][] =>
  s.execute(`SELECT TO_VARCHAR(ID), TO_VARCHAR(AMOUNT) FROM ${name}_REPLICA ORDER BY ID`).rows.map((r) => r.map(String));
const sourceOf = (s: LocalSession, name: string): string[][] => s.execute(`SELECT TO_VARCHAR(ID), TO_VARCHAR(AMOUNT) FROM ${name} ORDER BY ID`).rows.map((r) => r.map(String));

describe('sync state on the local runtime (dist/ procedures)', () => {
  let w: World;
  let restore: (() => void) | null = null;
  beforeEach(() => {
    w = openWorld('2026-03-01T01:00:00Z');
  });
  afterEach(() => {
    restore?.();
    restore = null;
    w.sf.close();
  });

  it('two syncs planning at the same moment both succeed, with distinct run ids', () => {
    createPair(w.admin, 'ORDERS');
    w.admin.execute(`INSERT INTO ORDERS VALUES (1, 10, SYSDATE()), (2, 20, SYSDATE())`);
    insertRows(w.admin, 1, 100, at(0), 'batch', 1000);
    const other = w.sf.session({ name: 'orders-task', timezone: 'UTC' });
    let orders: SyncSummary | null = null;
    // Between the default sync's claim and its MERGE, the ORDERS task runs whole.
    restore = during(w, MERGE, () => {
      orders = callSync(other, ORDERS('ORDERS'));
    });
    const main = callResult<SyncSummary>(w.admin, 'CALL SYNC_PIPELINE_RUN_HISTORY_PROC()');
    expect(main).toMatchObject({ status: 'SUCCESS', rowsInserted: 100 });
    expect(orders).toMatchObject({ status: 'SUCCESS', rowsInserted: 2 });
    const rows = w.admin.execute(`SELECT SYNC_RUN_ID, TABLE_NAME, SYNC_STATUS FROM ${CONTROL} ORDER BY SYNC_RUN_ID`).rows;
    expect(rows.map((r) => String(r[2]))).toEqual(['SUCCESS', 'SUCCESS']);
    expect(new Set(rows.map((r) => String(r[0]))).size).toBe(2);
    other.close();
  });

  it('a manual CALL while the task run is merging stands aside: SKIPPED naming it; the task run ends SUCCESS with no kill text', () => {
    insertRows(w.admin, 1, 10, at(0), 'a', 1000);
    const manual = w.sf.session({ name: 'manual', timezone: 'Europe/Berlin' });
    let second: SyncSummary | null = null;
    restore = during(w, MERGE, () => {
      second = callResult<SyncSummary>(manual, 'CALL SYNC_PIPELINE_RUN_HISTORY_PROC()');
    });
    const first = callResult<SyncSummary>(w.admin, 'CALL SYNC_PIPELINE_RUN_HISTORY_PROC()');
    expect(first).toMatchObject({ status: 'SUCCESS', rowsInserted: 10 });
    expect(second).toMatchObject({ status: 'SKIPPED', rowsInserted: 0 });
    expect((second as SyncSummary | null)?.reason).toContain(`run ${first.runIds[0]} `);
    const rows = controlRows(w.admin);
    expect(rows.map((r) => r.status).sort()).toEqual(['SKIPPED', 'SUCCESS']);
    const ok = rows.find((r) => r.status === 'SUCCESS');
    expect(ok?.error).toBeNull();
    // The status view shows a live run only while one is alive.
    expect(Number(scalar(w.admin, `SELECT RUNNING_NOW FROM ETL_PIPELINE_SYNC_STATUS WHERE TABLE_NAME = ?`, [SYNC_NAME]))).toBe(0);
    manual.close();
  });

  it('a CALL that lands between the window and the claim of another loses the claim and says who won', () => {
    w.admin.execute('CALL SYNC_PIPELINE_RUN_HISTORY_PROC()'); // the state row exists: later runs claim by UPDATE
    insertRows(w.admin, 1, 6, at(0), 'a', 1000);
    const manual = w.sf.session({ name: 'manual', timezone: 'UTC' });
    let winner: SyncSummary | null = null;
    restore = during(w, CLAIM, () => {
      winner = callResult<SyncSummary>(manual, 'CALL SYNC_PIPELINE_RUN_HISTORY_PROC()');
    });
    const loser = callResult<SyncSummary>(w.admin, 'CALL SYNC_PIPELINE_RUN_HISTORY_PROC()');
    expect(winner).toMatchObject({ status: 'SUCCESS', rowsInserted: 6 });
    expect(loser.status).toBe('SKIPPED');
    expect(loser.reason).toContain(`run ${(winner as SyncSummary | null)?.runIds[0]} `);
    expect(divergence(w.admin)).toEqual({ sourceRows: 6, replicaRows: 6, missing: 0, extra: 0 });
    manual.close();
  });

  it('a TIMESTAMP_LTZ watermark synced once from Tokyo, then every minute from Los Angeles, loses no row', () => {
    for (const t of ['EVENTS', 'EVENTS_REPLICA']) {
      w.admin.execute(`CREATE OR REPLACE HYBRID TABLE ${t} (ID NUMBER(38,0) NOT NULL, AMOUNT NUMBER(12,2), UPDATED_AT TIMESTAMP_LTZ(9) NOT NULL, PRIMARY KEY (ID))`);
    }
    const tokyo = w.sf.session({ name: 'tokyo', timezone: 'Asia/Tokyo' });
    const la = w.sf.session({ name: 'la', timezone: 'America/Los_Angeles' });
    const writer = w.sf.session({ name: 'writer', timezone: 'Europe/London' });
    writer.execute(`INSERT INTO EVENTS VALUES (0, 0, CURRENT_TIMESTAMP())`);
    w.clock.advance(1000);
    expect(callSync(tokyo, ORDERS('EVENTS')).rowsInserted).toBe(1);
    for (let i = 1; i <= 60; i++) {
      w.clock.advance(30_000);
      writer.execute(`INSERT INTO EVENTS VALUES (?, ?, CURRENT_TIMESTAMP())`, [i, i]);
      w.clock.advance(30_000);
      const r = callSync(la, ORDERS('EVENTS'));
      expect(r.status).toBe('SUCCESS');
    }
    expect(Number(scalar(w.admin, 'SELECT COUNT(*) FROM EVENTS_REPLICA'))).toBe(61);
    // The watermark is UTC: the same instant, whichever zone read it.
    const wm = String(scalar(w.admin, `SELECT TO_VARCHAR(WATERMARK_TO, 'YYYY-MM-DD HH24:MI:SS') FROM ${CONTROL} WHERE TABLE_NAME = 'EVENTS' ORDER BY SYNC_RUN_ID DESC LIMIT 1`));
    expect(wm).toBe('2026-03-01 01:59:31');
    for (const s of [tokyo, la, writer]) s.close();
  });

  it('a TIMESTAMP_TZ watermark written with offsets of several zones is compared as instants', () => {
    for (const t of ['TZ_EVENTS', 'TZ_EVENTS_REPLICA']) {
      w.admin.execute(`CREATE OR REPLACE HYBRID TABLE ${t} (ID NUMBER(38,0) NOT NULL, AMOUNT NUMBER(12,2), UPDATED_AT TIMESTAMP_TZ(9) NOT NULL, PRIMARY KEY (ID))`);
    }
    const zones = ['Pacific/Auckland', 'America/New_York', 'Asia/Kolkata'].map((z) => w.sf.session({ name: z, timezone: z }));
    const caller = w.sf.session({ name: 'caller', timezone: 'America/Los_Angeles' });
    let id = 0;
    for (let i = 0; i < 12; i++) {
      const writer = zones[i % zones.length] as LocalSession;
      writer.execute(`INSERT INTO TZ_EVENTS VALUES (?, ?, CURRENT_TIMESTAMP())`, [++id, id]);
      w.clock.advance(20_000);
      if (i % 3 === 2) expect(callSync(i % 2 ? caller : writer, ORDERS('TZ_EVENTS')).status).toBe('SUCCESS');
    }
    w.clock.advance(60_000);
    callSync(caller, ORDERS('TZ_EVENTS'));
    expect(Number(scalar(w.admin, 'SELECT COUNT(*) FROM TZ_EVENTS_REPLICA'))).toBe(12);
    for (const s of [...zones, caller]) s.close();
  });

  it('NULL watermarks are counted, returned and shown by the status view, never skipped silently', () => {
    createPair(w.admin, 'NULLS', 'TIMESTAMP_NTZ(9)');
    w.admin.execute(`INSERT INTO NULLS VALUES (1, 1, SYSDATE()), (2, 2, NULL), (3, 3, NULL)`);
    const r = callSync(w.admin, ORDERS('NULLS'));
    expect(r).toMatchObject({ rowsInserted: 1, nullWatermarkRows: 2 });
    expect(Number(scalar(w.admin, `SELECT NULL_WATERMARK_ROWS FROM ETL_PIPELINE_SYNC_STATUS WHERE TABLE_NAME = 'NULLS'`))).toBe(2);
    // Once stamped, they sync.
    w.admin.execute(`UPDATE NULLS SET UPDATED_AT = SYSDATE() WHERE UPDATED_AT IS NULL`);
    w.clock.advance(1000);
    expect(callSync(w.admin, ORDERS('NULLS'))).toMatchObject({ rowsInserted: 2, nullWatermarkRows: 0 });
  });

  it('a VARCHAR or NUMBER watermark column is refused before anything is written, naming the column, its type and the fix', () => {
    for (const [name, type] of [['TXT', 'VARCHAR(30)'], ['NUM', 'NUMBER(38,0)']] as const) {
      createPair(w.admin, name, `${type} NOT NULL`);
      w.admin.execute(`INSERT INTO ${name} VALUES (1, 1, '1')`);
      expect(() => callSync(w.admin, ORDERS(name))).toThrow(new RegExp(`watermark column UPDATED_AT of "${name}" is ${type.replace(/[()]/g, '\\$&')}: a watermark must be TIMESTAMP_NTZ`));
      expect(Number(scalar(w.admin, `SELECT COUNT(*) FROM ${name}_REPLICA`))).toBe(0);
      expect(controlRows(w.admin, name).map((c) => c.status)).toEqual(['FAILED']);
    }
  });

  it('a row stamped six hours ahead waits for its time; the rows stamped correctly after it still sync; status reports it', () => {
    insertRows(w.admin, 1, 1, at(3600 + 6 * 3600), 'ahead'); // 6 h after the clock
    w.admin.execute(`SELECT 1`);
    let r = callResult<SyncSummary>(w.admin, 'CALL SYNC_PIPELINE_RUN_HISTORY_PROC()');
    expect(r).toMatchObject({ rowsInserted: 0, futureRows: 1, futureMaxWatermark: at(3600 + 6 * 3600) + '000' });
    for (let i = 0; i < 30; i++) {
      w.clock.advance(60_000);
      insertRows(w.admin, 100 + i, 1, stamp(T0 + 3_600_000_000n + BigInt(i + 1) * 60_000_000n), 'on-time');
      r = callResult<SyncSummary>(w.admin, 'CALL SYNC_PIPELINE_RUN_HISTORY_PROC()');
    }
    expect(Number(scalar(w.admin, `SELECT COUNT(*) FROM ${REPLICA} WHERE PIPELINE_RUN_ID >= 100`))).toBe(30);
    expect(Number(scalar(w.admin, `SELECT COUNT(*) FROM ${REPLICA} WHERE PIPELINE_RUN_ID = 1`))).toBe(0);
    const status = w.admin.execute(`SELECT FUTURE_ROWS, TO_VARCHAR(FUTURE_MAX_WATERMARK, 'YYYY-MM-DD HH24:MI:SS') FROM ETL_PIPELINE_SYNC_STATUS WHERE TABLE_NAME = ?`, [SYNC_NAME]).rows[0];
    expect([Number(status?.[0]), String(status?.[1])]).toEqual([1, at(3600 + 6 * 3600).slice(0, 19)]);
    // Its time comes: it syncs.
    w.clock.advance(6 * 3600 * 1000);
    expect(callResult<SyncSummary>(w.admin, 'CALL SYNC_PIPELINE_RUN_HISTORY_PROC()')).toMatchObject({ rowsInserted: 1, futureRows: 0 });
    expect(divergence(w.admin)).toMatchObject({ missing: 0, extra: 0 });
  });

  it('a scale change NUMBER(12,2) -> (12,4) in the source is caught before anything is written; after the fix, a resync repairs every row in place', () => {
    createPair(w.admin, 'AMT');
    w.admin.execute(`INSERT INTO AMT VALUES (1, 12.34, SYSDATE()), (2, 0.01, SYSDATE())`);
    callSync(w.admin, ORDERS('AMT'));
    w.clock.advance(3_600_000);
    // A newer row moves the watermark an hour on: rows 1 and 2 fall out of the lookback.
    w.admin.execute(`INSERT INTO AMT VALUES (3, 3, SYSDATE())`);
    callSync(w.admin, ORDERS('AMT'));
    // The source gets more decimals and new values, older than the lookback.
    w.admin.execute(`CREATE OR REPLACE TABLE AMT_KEEP AS SELECT * FROM AMT`);
    w.admin.execute(`CREATE OR REPLACE HYBRID TABLE AMT (ID NUMBER(38,0) NOT NULL, AMOUNT NUMBER(12,4), UPDATED_AT TIMESTAMP_NTZ(9) NOT NULL, PRIMARY KEY (ID))`);
    w.admin.execute(`INSERT INTO AMT SELECT ID, AMOUNT, UPDATED_AT FROM AMT_KEEP`);
    w.admin.execute(`UPDATE AMT SET AMOUNT = 12.3456 WHERE ID = 1`);
    w.admin.execute(`UPDATE AMT SET AMOUNT = 0.0049 WHERE ID = 2`);
    w.clock.advance(60_000);
    expect(() => callSync(w.admin, ORDERS('AMT'))).toThrow(/column AMOUNT is NUMBER\(12,4\) in the source but NUMBER\(12,2\) in the replica.*Nothing was written.*HYBRID_SYNC_RESYNC/s);
    expect(replicaOf(w.admin, 'AMT')).toEqual([
      ['1', '12.34'],
      ['2', '0.01'],
      ['3', '3.00'],
    ]);
    // The fix: the replica takes the new type; the resync re-merges every row in place.
    w.admin.execute(`CREATE OR REPLACE TABLE AMT_R AS SELECT * FROM AMT_REPLICA`);
    w.admin.execute(`CREATE OR REPLACE HYBRID TABLE AMT_REPLICA (ID NUMBER(38,0) NOT NULL, AMOUNT NUMBER(12,4), UPDATED_AT TIMESTAMP_NTZ(9) NOT NULL, PRIMARY KEY (ID))`);
    w.admin.execute(`INSERT INTO AMT_REPLICA SELECT ID, AMOUNT, UPDATED_AT FROM AMT_R`);
    w.clock.advance(60_000);
    // A normal run sees nothing new: the changed rows are older than the lookback.
    expect(callSync(w.admin, ORDERS('AMT')).rowsUpdated).toBe(0);
    const r = resync(w.admin, ORDERS('AMT'));
    expect(r).toMatchObject({ status: 'SUCCESS', rowsUpdated: 2 });
    expect(replicaOf(w.admin, 'AMT')).toEqual(sourceOf(w.admin, 'AMT'));
    expect(controlRows(w.admin, 'AMT').at(-1)?.status).toBe('SUCCESS');
    // And the next run writes nothing: idempotent.
    w.clock.advance(60_000);
    expect(callSync(w.admin, ORDERS('AMT'))).toMatchObject({ rowsInserted: 0, rowsUpdated: 0 });
  });

  // https://docs.snowflake.com/en/sql-reference/sql/alter-table-column: a text length or a
  // number's precision is widened in place with SET DATA TYPE. The fingerprint does not see it;
  // the MERGE that meets a value the replica cannot hold does, and the run names the statement.
  it('a column widened in the source (VARCHAR length, NUMBER precision) fails the run that meets a longer value, naming the exact ALTER for the replica; after it, the run merges', () => {
    for (const [name, type, wider, value] of [
      ['TXTW', 'VARCHAR(5)', 'VARCHAR(20)', "'abcdefghij'"],
      ['NUMW', 'NUMBER(12,2)', 'NUMBER(18,2)', '1234567890123.45'],
    ] as const) {
      createPair(w.admin, name, undefined, type);
      w.admin.execute(`INSERT INTO ${name} VALUES (1, ${type.startsWith('VARCHAR') ? "'abc'" : '1.5'}, SYSDATE())`);
      expect(callSync(w.admin, ORDERS(name))).toMatchObject({ rowsInserted: 1 });
      w.admin.execute(`ALTER TABLE ${name} ALTER COLUMN AMOUNT SET DATA TYPE ${wider}`);
      w.clock.advance(60_000);
      w.admin.execute(`INSERT INTO ${name} VALUES (2, ${value}, SYSDATE())`);
      let message = '';
      try {
        callSync(w.admin, ORDERS(name));
      } catch (e) {
        message = (e as Error).message;
      }
      const escaped = (t: string): string => t.replace(/[()]/g, '\\$&');
      expect(message).toMatch(new RegExp(`column AMOUNT is ${escaped(wider)} in the source but ${escaped(type)} in the replica`));
      const fix = /fix: (ALTER TABLE [^;]*);/.exec(message)?.[1];
      expect(fix).toBe(`ALTER TABLE "${name}_REPLICA" ALTER COLUMN "AMOUNT" SET DATA TYPE ${wider}`);
      expect(replicaOf(w.admin, name)).toHaveLength(1);
      w.admin.execute(fix as string);
      w.clock.advance(60_000);
      expect(callSync(w.admin, ORDERS(name))).toMatchObject({ rowsInserted: 1 });
      expect(replicaOf(w.admin, name)).toEqual(sourceOf(w.admin, name));
    }
  });

  it('a column added to both sides is filled in old rows by a resync from a given time, in batches', () => {
    insertRows(w.admin, 1, 12, at(0), 'old', 1_000_000);
    w.admin.execute('CALL SYNC_PIPELINE_RUN_HISTORY_PROC()');
    w.clock.advance(3_600_000);
    // Writers change old rows without moving their stamp (a backfill): only a resync carries it.
    w.admin.execute(`UPDATE ${SOURCE} SET TRIGGERED_BY = 'backfill' WHERE PIPELINE_RUN_ID > 4`);
    const r = callResult<SyncSummary>(w.admin, `CALL RESYNC_PIPELINE_RUN_HISTORY_PROC('${at(3).slice(0, 19)}')`);
    expect(r).toMatchObject({ status: 'SUCCESS', rowsUpdated: 8 });
    expect(r.resyncFrom).toBe(`${at(3).slice(0, 19)}.000000000`);
    expect(divergence(w.admin)).toMatchObject({ missing: 0, extra: 0 });
    expect(() => w.admin.execute(`CALL RESYNC_PIPELINE_RUN_HISTORY_PROC('yesterday')`)).toThrow(/FROM_WATERMARK "yesterday" is not a UTC timestamp/);
  });

  it('the purge deletes history older than the retention, keeping the row each sync resumes from', () => {
    insertRows(w.admin, 1, 3, at(0), 'a', 1000);
    w.admin.execute('CALL SYNC_PIPELINE_RUN_HISTORY_PROC()');
    w.admin.execute(
      `INSERT INTO ${CONTROL} (SYNC_RUN_ID, TABLE_NAME, SYNC_START_TIMESTAMP, SYNC_STATUS, BATCH_NUMBER) VALUES (900001, ?, DATEADD('day', -91, SYSDATE()), 'SUCCESS', 1), (900002, ?, DATEADD('day', -89, SYSDATE()), 'SUCCESS', 1)`,
      [SYNC_NAME, SYNC_NAME],
    );
    // The state's run is old too (an idle sync): it must survive.
    w.clock.advance(100 * 86_400_000);
    const keep = String(scalar(w.admin, `SELECT RUN_ID FROM ${STATE} WHERE SYNC_NAME = ?`, [SYNC_NAME]));
    const r = callResult<{ controlRowsDeleted: number }>(w.admin, 'CALL PURGE_SYNC_HISTORY_PROC()');
    expect(r.controlRowsDeleted).toBe(2);
    expect(controlRows(w.admin).map((c) => String(c.id))).toEqual([keep]);
    expect(callResult<{ controlRowsDeleted: number }>(w.admin, 'CALL PURGE_SYNC_HISTORY_PROC(1)').controlRowsDeleted).toBe(0);
    expect(() => w.admin.execute('CALL PURGE_SYNC_HISTORY_PROC(0)')).toThrow(/RETAIN_DAYS must be a whole number of days >= 1/);
    // The sync carries on from its watermark.
    expect(callResult<SyncSummary>(w.admin, 'CALL SYNC_PIPELINE_RUN_HISTORY_PROC()').status).toBe('SUCCESS');
  });
});

describe('a first run against a replica that does not exist', () => {
  it('fails before anything is written, naming the missing table', () => {
    const w = openWorld('2026-03-01T01:00:00Z');
    try {
      w.admin.execute(`CREATE OR REPLACE HYBRID TABLE LONELY (ID NUMBER(38,0) NOT NULL, AMOUNT NUMBER(12,2), UPDATED_AT TIMESTAMP_NTZ(9) NOT NULL, PRIMARY KEY (ID))`);
      w.admin.execute(`INSERT INTO LONELY VALUES (1, 1, SYSDATE())`);
      expect(() => callSync(w.admin, ORDERS('LONELY'))).toThrow(/\[check schema\].*replica table "LONELY_REPLICA" does not exist or is not visible to the procedure owner/s);
      expect(controlRows(w.admin, 'LONELY').map((c) => c.status)).toEqual(['FAILED']);
    } finally {
      w.sf.close();
    }
  });
});
