import { describe, expect, it } from 'vitest';
import { PIPELINE_RUN_HISTORY, type SyncConfig } from '../../procedure/config.js';
import { IdentifierError, canonicalName, quoteName, quoteTable } from '../../procedure/identifiers.js';
import { claimStatement, EPOCH_FLOOR, lateFinishStatement, logRunStatement, mergeStatement, nextBatchStatement, purgeStatement, quoteConfig, stateStatement, windowStatement } from '../../procedure/sql.js';
import { resolveSyncConfig } from '../../procedure/procedures.js';

describe('identifiers', () => {
  it('upper-cases and quotes unquoted names, as Snowflake resolves them', () => {
    expect(quoteName('last_update_date')).toBe('"LAST_UPDATE_DATE"');
    expect(quoteTable('etl.public.runs')).toBe('"ETL"."PUBLIC"."RUNS"');
    expect(quoteTable('SCHEMA_1.T$X')).toBe('"SCHEMA_1"."T$X"');
  });

  it('keeps the case of a quoted part and its doubled quotes', () => {
    expect(quoteTable('"My DB".PUBLIC."Runs ""v2"""')).toBe('"My DB"."PUBLIC"."Runs ""v2"""');
    expect(canonicalName('"Runs ""v2"""')).toBe('Runs "v2"');
  });

  it.each([
    'X"; DROP TABLE Y; --',
    'X; DROP TABLE Y',
    'a b',
    '1ABC',
    'A..B',
    'A.B.C.D',
    '"unterminated',
    '',
  ])('rejects %j with a message naming the value and the fix', (bad) => {
    expect(() => quoteTable(bad)).toThrow(IdentifierError);
    expect(() => quoteTable(bad)).toThrow(/Use letters, digits/);
  });

  it('rejects a qualified column name', () => {
    expect(() => quoteName('T.COL')).toThrow(/must not be qualified/);
  });
});

describe('config validation', () => {
  const bad = (patch: Partial<SyncConfig>): (() => void) => () => quoteConfig({ ...PIPELINE_RUN_HISTORY, ...patch });
  it('names each problem', () => {
    expect(bad({ keyColumns: [] })).toThrow(/keyColumns/);
    expect(bad({ keyColumns: ['NOPE'] })).toThrow(/key column "NOPE" is not in columns/);
    expect(bad({ watermarkColumn: 'NOPE' })).toThrow(/watermark column "NOPE" is not in columns/);
    expect(bad({ batchSize: 0 })).toThrow(/batchSize/);
    expect(bad({ lookbackSeconds: -1 })).toThrow(/lookbackSeconds/);
    expect(bad({ targetTable: PIPELINE_RUN_HISTORY.sourceTable })).toThrow(/must differ/);
    expect(bad({ sourceTable: 'X"; DROP TABLE Y; --' })).toThrow(/invalid source table/);
    expect(bad({ columns: [...PIPELINE_RUN_HISTORY.columns, 'pipeline_run_id'] })).toThrow(/listed twice/);
    expect(bad({ batchSize: 2.5 })).toThrow(/batchSize must be a positive whole number, got 2.5/);
    expect(bad({ maxBatches: 0 })).toThrow(/maxBatches must be a positive whole number/);
    expect(bad({ lookbackSeconds: 1.5 })).toThrow(/lookbackSeconds/);
    expect(bad({ leaseSeconds: 30 })).toThrow(/leaseSeconds must be a whole number of seconds >= 60/);
    expect(bad({ keyColumns: ['PIPELINE_RUN_ID', 'LAST_UPDATE_DATE'] })).toThrow(/the watermark column cannot be a key column/);
    expect(bad({ keyColumns: ['LAST_UPDATE_DATE', 'PIPELINE_RUN_ID'] })).toThrow(/the watermark column cannot be a key column/);
    expect(bad({ batchSize: 2147483648 })).toThrow(/batchSize/);
    expect(bad({ maxBatches: 1.5 })).toThrow(/maxBatches/);
    expect(bad({ leaseSeconds: 59 })).toThrow(/leaseSeconds/);
    expect(bad({ leaseSeconds: 60.5 })).toThrow(/leaseSeconds/);
    expect(bad({ lookbackSeconds: Number.NaN })).toThrow(/lookbackSeconds/);
    expect(bad({ syncName: '' })).toThrow(/syncName/);
    expect(bad({ syncName: 'x'.repeat(256) })).toThrow(/syncName/);
    expect(bad({ columns: [] })).toThrow(/columns must list/);
    expect(bad({ sourceTable: 'ANALYTICS.ETL.ORDERS', targetTable: 'OTHER.ETL.ORDERS_R' })).toThrow(/"ANALYTICS" and "OTHER"/);
    expect(bad({ stateTable: 'X"; DROP TABLE Y; --' })).toThrow(/invalid state table/);
    expect(bad({ runIdSequence: 'A.B.C.D' })).toThrow(/invalid run id sequence/);
  });

  it('accepts the boundaries', () => {
    expect(() => quoteConfig({ ...PIPELINE_RUN_HISTORY, lookbackSeconds: 0, batchSize: 1, maxBatches: 1, leaseSeconds: 60 })).not.toThrow();
    expect(() => quoteConfig({ ...PIPELINE_RUN_HISTORY, batchSize: 2147483647 })).not.toThrow();
  });

  it('fills HYBRID_SYNC_TABLE defaults and rejects unknown fields', () => {
    const cfg = resolveSyncConfig({ sourceTable: 'S', targetTable: 'T', keyColumns: ['ID'], columns: ['ID', 'LAST_UPDATE_DATE'] });
    expect(cfg).toMatchObject({ syncName: 'S', watermarkColumn: 'LAST_UPDATE_DATE', controlTable: 'ETL_PIPELINE_SYNC_CONTROL' });
    expect(() => resolveSyncConfig({ ...cfg, lookback: 5 } as never)).toThrow(/unknown CONFIG field 'lookback'/);
    expect(() => resolveSyncConfig(null as never)).toThrow(/CONFIG must be an OBJECT/);
  });
});

const q = quoteConfig(PIPELINE_RUN_HISTORY);
const placeholders = (sql: string): number => sql.split('?').length - 1;
const A = '2026-01-01 00:00:00.000000000';
const B = '2026-01-02 00:00:00.000000000';
const NTZ = (v: string): string => `TO_TIMESTAMP_NTZ(${v}, 'YYYY-MM-DD HH24:MI:SS.FF9')`;

describe('the MERGE', () => {
  const m = mergeStatement(q, 'TIMESTAMP_NTZ', A, B);

  it('binds the window (low, high] instead of splicing values', () => {
    expect(m.binds).toEqual([A, B]);
    expect(m.sqlText).not.toContain('2026');
    expect(m.sqlText).toContain(`USING (SELECT ${q.columns.join(', ')} FROM "ETL_PIPELINE_RUN_HISTORY_LOG" WHERE "LAST_UPDATE_DATE" > ${NTZ('?')} AND "LAST_UPDATE_DATE" <= ${NTZ('?')}) AS S`);
  });

  it('without a low bound takes everything up to high', () => {
    const all = mergeStatement(q, 'TIMESTAMP_NTZ', null, B);
    expect(all.binds).toEqual([B]);
    expect(all.sqlText).toContain(`WHERE "LAST_UPDATE_DATE" <= ${NTZ('?')}) AS S`);
  });

  it('updates only rows that are at least as new and differ in a non-key column; inserts the rest whole', () => {
    expect(m.sqlText).toContain('WHEN MATCHED AND S."LAST_UPDATE_DATE" >= T."LAST_UPDATE_DATE" AND (');
    expect(m.sqlText).toContain(`(${q.valueColumns.map((c) => `T.${c} IS DISTINCT FROM S.${c}`).join(' OR ')}) THEN UPDATE SET ${q.valueColumns.map((c) => `${c} = S.${c}`).join(', ')}`);
    expect(m.sqlText).not.toContain('T."PIPELINE_RUN_ID" IS DISTINCT FROM');
    expect(m.sqlText).toContain(`WHEN NOT MATCHED THEN INSERT (${q.columns.join(', ')}) VALUES (${q.columns.map((c) => `S.${c}`).join(', ')})`);
  });

  it('joins on every key column', () => {
    const two = quoteConfig({ ...PIPELINE_RUN_HISTORY, keyColumns: ['PIPELINE_RUN_ID', 'PIPELINE_NAME'] });
    expect(mergeStatement(two, 'TIMESTAMP_NTZ', null, 'x').sqlText).toContain('ON T."PIPELINE_RUN_ID" = S."PIPELINE_RUN_ID" AND T."PIPELINE_NAME" = S."PIPELINE_NAME"');
  });

  it('compares an LTZ or TZ watermark with instants at +00:00, never a session-zone wall time', () => {
    expect(mergeStatement(q, 'TIMESTAMP_LTZ', A, B).sqlText).toContain(`"LAST_UPDATE_DATE" > TO_TIMESTAMP_LTZ(? || ' +00:00', 'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM')`);
    expect(mergeStatement(q, 'TIMESTAMP_TZ', A, B).sqlText).toContain(`"LAST_UPDATE_DATE" <= TO_TIMESTAMP_TZ(? || ' +00:00', 'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM')`);
  });
});

describe('the state statement', () => {
  const st = stateStatement({ ...PIPELINE_RUN_HISTORY, lookbackSeconds: 120 }, q);
  it('reads one state row by primary key (always one row), a run id from the sequence and the clock', () => {
    expect(st.binds).toEqual([-120, -120, 'ETL_PIPELINE_RUN_HISTORY_LOG']);
    expect(placeholders(st.sqlText)).toBe(3);
    expect(st.sqlText).toContain("TO_VARCHAR(COALESCE(S.RUN_WATERMARK_TO, S.WATERMARK), 'YYYY-MM-DD HH24:MI:SS.FF9') AS PLANNED");
    expect(st.sqlText).toContain('FROM (SELECT 1 AS ONE) AS X LEFT JOIN "ETL_PIPELINE_SYNC_STATE" AS S ON S.SYNC_NAME = ?');
    expect(st.sqlText).toContain('TO_VARCHAR("ETL_PIPELINE_SYNC_RUN_SEQ".NEXTVAL) AS NEW_RUN_ID');
    expect(st.sqlText).toContain("DATEADD('second', ?, S.WATERMARK)");
    expect(st.sqlText).toContain('IFF(S.LEASE_UNTIL < SYSDATE(), 1, 0) AS LEASE_EXPIRED');
    expect(st.sqlText).not.toMatch(/MAX\(SYNC_RUN_ID\)/);
  });
});

describe('the window statement', () => {
  const w = windowStatement({ ...PIPELINE_RUN_HISTORY, batchSize: 500, lookbackSeconds: 120 }, q, {
    prevRunId: '41',
    stateWatermark: '2025-12-31 12:00:00.000000000',
    from: A,
    fromLow: '2025-12-31 23:58:00.000000000',
    now: B,
    watermarkType: 'TIMESTAMP_NTZ',
    countNulls: false,
  });
  const wm = '"LAST_UPDATE_DATE"';

  it('reads the previous run by primary key and falls back to the state watermark', () => {
    expect(w.sqlText).toContain('FROM "ETL_PIPELINE_SYNC_CONTROL" WHERE SYNC_RUN_ID = ?');
    expect(w.sqlText).toContain("SELECT COALESCE(MAX(IFF(SYNC_STATUS = 'SUCCESS', WM_TO, NULL)), ?) AS LAST_WM, MAX(SYNC_STATUS) AS PREV_STATUS");
    expect(w.binds.slice(0, 3)).toEqual([-120, '2025-12-31 12:00:00.000000000', '41']);
  });

  it('bounds every source read by binds on the watermark (index-eligible), never past the run clock', () => {
    expect(w.sqlText).toContain(`SELECT ${wm} AS WM FROM "ETL_PIPELINE_RUN_HISTORY_LOG" WHERE ${wm} > ${NTZ('?')} AND ${wm} <= ${NTZ('?')}`);
    expect(w.sqlText).toContain(`ORDER BY ${wm} LIMIT 500`);
    // The batch starts strictly after the last watermark; the lookback is (LOW_WM, LAST_WM].
    expect(w.sqlText).toContain(`AND ${wm} > ${NTZ("COALESCE((SELECT LAST_WM FROM LAST_RUN), '1582-10-15 00:00:00.000000000')")}`);
    expect(w.sqlText).toContain(`AND ${wm} > ${NTZ('(SELECT LOW_WM FROM LAST_RUN)')} AND ${wm} <= ${NTZ('(SELECT LAST_WM FROM LAST_RUN)')} LIMIT 1`);
    expect(w.sqlText).toContain(`FROM "ETL_PIPELINE_RUN_HISTORY_LOG" WHERE ${wm} > ${NTZ('?')}\n)`);
    // batch low, now, lookback low, now, future, LIMIT 0 (source), LIMIT 0 (replica)
    expect(w.binds.slice(3)).toEqual([A, B, '2025-12-31 23:58:00.000000000', B, B, B, B]);
    expect(placeholders(w.sqlText)).toBe(w.binds.length);
  });

  it('reads the previous run, the batch, the lookback and the future rows each once, and returns them in this order', () => {
    expect(w.sqlText).toContain(
      [
        'WITH LAST_RUN AS (',
        `  SELECT LAST_WM, TO_VARCHAR(DATEADD('second', ?, ${NTZ('LAST_WM')}), 'YYYY-MM-DD HH24:MI:SS.FF9') AS LOW_WM, PREV_STATUS FROM (`,
        "    SELECT COALESCE(MAX(IFF(SYNC_STATUS = 'SUCCESS', WM_TO, NULL)), ?) AS LAST_WM, MAX(SYNC_STATUS) AS PREV_STATUS FROM (",
        "      SELECT SYNC_STATUS, TO_VARCHAR(WATERMARK_TO, 'YYYY-MM-DD HH24:MI:SS.FF9') AS WM_TO FROM \"ETL_PIPELINE_SYNC_CONTROL\" WHERE SYNC_RUN_ID = ?",
        '    ) AS PREV',
        '  ) AS W',
        '), BATCH AS (',
      ].join('\n'),
    );
    expect(w.sqlText).toContain(`), BA AS (\n  SELECT TO_VARCHAR(MAX(WM), 'YYYY-MM-DD HH24:MI:SS.FF9') AS HIGH_WM, COUNT(*) AS BATCH_ROWS FROM BATCH\n), LB AS (\n  SELECT COUNT(*) AS LOOKBACK_ROWS FROM (`);
    expect(w.sqlText).toContain(`), FUT AS (\n  SELECT COUNT(*) AS FUTURE_ROWS, TO_VARCHAR(MAX(${wm}), 'YYYY-MM-DD HH24:MI:SS.FF9') AS FUTURE_MAX FROM "ETL_PIPELINE_RUN_HISTORY_LOG" WHERE ${wm} > ${NTZ('?')}\n)`);
    expect(w.sqlText).toContain(
      'SELECT LAST_RUN.LAST_WM, LAST_RUN.LOW_WM, LAST_RUN.PREV_STATUS, BA.HIGH_WM, BA.BATCH_ROWS, LB.LOOKBACK_ROWS, FUT.FUTURE_ROWS, FUT.FUTURE_MAX,\n  0 AS NULL_ROWS,',
    );
    expect(w.sqlText).toContain('FROM LAST_RUN CROSS JOIN BA CROSS JOIN LB CROSS JOIN FUT\n');
  });

  it('counts NULL stamps only for a nullable watermark column', () => {
    const nulls = windowStatement(PIPELINE_RUN_HISTORY, q, { prevRunId: null, stateWatermark: null, from: null, fromLow: null, now: B, watermarkType: 'TIMESTAMP_NTZ', countNulls: true });
    expect(nulls.sqlText).toContain(`(SELECT COUNT(*) FROM "ETL_PIPELINE_RUN_HISTORY_LOG" WHERE "LAST_UPDATE_DATE" IS NULL) AS NULL_ROWS,`);
    expect(w.sqlText).not.toContain('IS NULL');
  });

  it('returns the columns of source and replica without rows, between markers', () => {
    expect(w.sqlText).toContain(`'' AS "|SOURCE", S.*, '' AS "|TARGET", T.*`);
    expect(w.sqlText).toContain(`LEFT JOIN (SELECT * FROM "ETL_PIPELINE_RUN_HISTORY_LOG" WHERE ${wm} > ${NTZ('?')} LIMIT 0) AS S ON FALSE`);
    expect(w.sqlText).toContain(`LEFT JOIN (SELECT * FROM "ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION" WHERE ${wm} > ${NTZ('?')} LIMIT 0) AS T ON FALSE`);
  });

  it('before any run binds the floor and no previous run', () => {
    const first = windowStatement(PIPELINE_RUN_HISTORY, q, { prevRunId: null, stateWatermark: null, from: null, fromLow: null, now: B, watermarkType: 'TIMESTAMP_NTZ', countNulls: false });
    expect(first.binds.slice(0, 4)).toEqual([-300, null, -1, EPOCH_FLOOR]);
    expect(first.binds[5]).toBe(EPOCH_FLOOR);
  });
});

describe('the claim and the log', () => {
  it('the claim is a compare-and-set on the state row by primary key', () => {
    const c = claimStatement(PIPELINE_RUN_HISTORY, q, '42', '41', A, B, null);
    expect(c.sqlText).toBe(
      `UPDATE "ETL_PIPELINE_SYNC_STATE" SET RUN_ID = ?, RUN_STARTED = SYSDATE(), LEASE_UNTIL = DATEADD('second', ?, SYSDATE()), ` +
        `WATERMARK = ${NTZ('?')}, RUN_WATERMARK_TO = ${NTZ('?')}, UPDATED_AT = SYSDATE() WHERE SYNC_NAME = ? AND COALESCE(RUN_ID, -1) = ?`,
    );
    expect(c.binds).toEqual(['42', 900, A, B, 'ETL_PIPELINE_RUN_HISTORY_LOG', '41']);
    expect(claimStatement(PIPELINE_RUN_HISTORY, q, '42', null, null, null, null).binds.at(-1)).toBe(-1);
  });

  it('the log writes one complete row with a bind per value', () => {
    const l = logRunStatement(PIPELINE_RUN_HISTORY, q, {
      runId: '42', status: 'SUCCESS', started: A, watermarkFrom: A, watermarkTo: B, inserted: 2, updated: 3, batch: 1, error: null, nullRows: 0, futureRows: 1, futureMax: B,
    });
    expect(placeholders(l.sqlText)).toBe(l.binds.length);
    expect(l.binds).toEqual(['42', 'ETL_PIPELINE_RUN_HISTORY_LOG', A, A, B, 2, 3, 5, 'SUCCESS', null, 1, 0, 1, B]);
    expect(l.sqlText).toContain(`VALUES (?, ?, ${NTZ('?')}, SYSDATE(), ${NTZ('?')}, ${NTZ('?')}, ?, ?, ?, ?, ?, ?, ?, ?, ${NTZ('?')})`);
  });

  it('a late finish turns only its own FAILED row into SUCCESS, with the counts and their sum', () => {
    const r = { runId: '42', status: 'SUCCESS' as const, started: A, watermarkFrom: A, watermarkTo: B, inserted: 2, updated: 3, batch: 1, error: null, nullRows: 0, futureRows: 0, futureMax: null };
    const l = lateFinishStatement(q, 'S', r, 'note');
    expect(l.binds).toEqual([B, 2, 3, 5, 'note', '42', 'S']);
    expect(l.sqlText).toContain("WHERE SYNC_RUN_ID = ? AND TABLE_NAME = ? AND SYNC_STATUS = 'FAILED'");
    expect(placeholders(l.sqlText)).toBe(l.binds.length);
  });

  it('the next batch binds its bounds and takes a new run id', () => {
    const n = nextBatchStatement({ ...PIPELINE_RUN_HISTORY, batchSize: 10 }, q, 'TIMESTAMP_NTZ', A, B, A);
    expect(n.binds).toEqual([A, B, A]);
    expect(n.sqlText).toContain(`WHERE "LAST_UPDATE_DATE" > ${NTZ('?')} AND "LAST_UPDATE_DATE" <= ${NTZ('?')} ORDER BY "LAST_UPDATE_DATE" LIMIT 10`);
    expect(n.sqlText).toContain('"ETL_PIPELINE_SYNC_RUN_SEQ".NEXTVAL');
  });

  it('retention keeps the row each sync resumes from', () => {
    const p = purgeStatement('"C"', '"S"', 90);
    expect(p.sqlText).toBe(`DELETE FROM "C" WHERE SYNC_START_TIMESTAMP < DATEADD('day', ?, SYSDATE()) AND SYNC_RUN_ID NOT IN (SELECT RUN_ID FROM "S" WHERE RUN_ID IS NOT NULL)`);
    expect(p.binds).toEqual([-90]);
  });
});

describe('tables of one sync', () => {
  it('must share one database, since a transaction cannot span hybrid tables of several', () => {
    const cfg = { ...PIPELINE_RUN_HISTORY, sourceTable: 'A.S.SRC', targetTable: 'B.S.TGT', controlTable: 'A.S.CTL', stateTable: 'A.S.ST' };
    expect(() => quoteConfig(cfg)).toThrow(/same database .*name "A" and "B"/);
    expect(quoteConfig({ ...cfg, targetTable: 'a.S.TGT' }).target).toBe('"A"."S"."TGT"');
    // Unqualified tables are in the procedure's database: the README's example (qualified source
    // and replica, default control and state tables) is accepted.
    expect(quoteConfig({ ...PIPELINE_RUN_HISTORY, sourceTable: 'ANALYTICS.ETL.ORDERS', targetTable: 'ANALYTICS.ETL.ORDERS_REPLICA' }).control).toBe('"ETL_PIPELINE_SYNC_CONTROL"');
  });
});
