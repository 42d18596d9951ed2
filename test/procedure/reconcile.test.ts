/**
 * procedure/reconcile.ts against the scripted fake: which statements a check issues and in what
 * order, what it binds, what each statement's SQL must say for the comparison to mean what the
 * README ("Reconciliation") promises, how the summary and the log row are filled, and how every
 * step's failure is logged and rethrown. The end-to-end behaviour on real data is in
 * test/reconcile/ (the compiled procedure on the local runtime).
 */
import { describe, expect, it } from 'vitest';
import { PIPELINE_RUN_COLUMNS, PIPELINE_RUN_HISTORY, type SyncConfig } from '../../procedure/config.js';
import {
  DEFAULT_RECONCILE,
  bucketsStatement,
  logStatement,
  reconcile,
  type ReconcileOptions,
  type ReconcileSummary,
} from '../../procedure/reconcile.js';
import type { SfDate } from '../../procedure/snowflake-api.js';
import { EPOCH_FLOOR, quoteConfig } from '../../procedure/sql.js';
import { SyncRunError } from '../../procedure/sync.js';
import { FakeSnowflake, type Row, type Rule } from '../support/fake-snowflake.js';

const SRC = '"ETL_PIPELINE_RUN_HISTORY_LOG"';
const TGT = '"ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION"';
const CONTROL = '"ETL_PIPELINE_SYNC_CONTROL"';
const STATE = '"ETL_PIPELINE_SYNC_STATE"';
const SEQUENCE = '"ETL_PIPELINE_SYNC_RUN_SEQ"';
const LOG_TABLE = '"ETL_PIPELINE_RECONCILE_LOG"';
const SYNC = 'ETL_PIPELINE_RUN_HISTORY_LOG';
const BIND_TS = "TO_TIMESTAMP_NTZ(?, 'YYYY-MM-DD HH24:MI:SS.FF9')";
const FLOOR = EPOCH_FLOOR;
const CUT = '2026-02-01 00:14:00.000000000';
/** Every replicated column, quoted, in DDL order; the key is the first. */
const COLS = PIPELINE_RUN_COLUMNS.map((c) => `"${c.name}"`);
const VALUE_COLS = COLS.slice(1);

const CUTOFF = /^SELECT\s+TO_VARCHAR\(DATEADD\('second', \?, /;
const BUCKETS = /^WITH S AS \(SELECT MOD\(ABS\(HASH\(/;
const KEYS = /^WITH S AS \(SELECT \* FROM /;
const REPAIR = /^MERGE INTO /;
const DELETE = /^DELETE FROM /;
const LOG = /^INSERT INTO "ETL_PIPELINE_RECONCILE_LOG" /;

/** The first statement's row: the cutoff, the watermark's type (from the state row) and the check id (from the sequence). */
const cutoff = (c: string | null, nextCheckId = '7', type = 'TIMESTAMP_NTZ'): Rule => ({
  match: CUTOFF,
  times: 1,
  rows: [{ CUTOFF: c, WATERMARK_TYPE: type, NEXT_CHECK_ID: nextCheckId }],
});
/** One row per bucket: [bucket, source rows, target rows, same]. */
const buckets = (rows: Array<[number, number, number, 0 | 1]>): Rule => ({
  match: BUCKETS,
  times: 1,
  rows: rows.map(([b, s, t, same]) => ({ BUCKET: b, SOURCE_ROWS: s, TARGET_ROWS: t, SAME: same })),
});
const keys = (rows: Row[]): Rule => ({ match: KEYS, times: 1, rows });
const logged: Rule = { match: LOG };
const options = (o: Partial<ReconcileOptions> = {}): ReconcileOptions => ({ ...DEFAULT_RECONCILE, ...o });
/** A TIMESTAMP value as a procedure receives it: a Date with Snowflake's extra getters. */
const sfDate = (iso: string): SfDate => {
  const d = new Date(iso);
  return Object.assign(d, { getEpochSeconds: () => Math.floor(d.getTime() / 1000), getNanoSeconds: () => 0, getScale: () => 9, getTimezone: () => 0 });
};

/** Runs a check that must fail; returns the error and the binds of the FAILED log row. */
function failedCheck(sf: FakeSnowflake, o: Partial<ReconcileOptions> = {}): { error: SyncRunError; log: unknown[] } {
  let thrown: unknown;
  try {
    reconcile(sf, PIPELINE_RUN_HISTORY, options(o));
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(SyncRunError);
  const logs = sf.executed.filter((e) => LOG.test(e.sqlText));
  return { error: thrown as SyncRunError, log: logs[logs.length - 1]?.binds ?? [] };
}

describe('a check that finds source and replica equal', () => {
  const sf = (): FakeSnowflake =>
    new FakeSnowflake([
      cutoff(CUT, '7'),
      buckets([
        [0, 3, 3, 1],
        [5, 2, 2, 1],
      ]),
      logged,
    ]);

  it('issues three statements: the cutoff, the bucket comparison, the log row', () => {
    const f = sf();
    reconcile(f, PIPELINE_RUN_HISTORY, options());
    expect(f.kinds()).toEqual(['SELECT', 'WITH', 'INSERT']);
  });

  it("reads the cutoff as this sync's watermark minus its lookback, by primary key, and the check id from the run-id sequence", () => {
    const f = sf();
    reconcile(f, PIPELINE_RUN_HISTORY, options());
    const c = f.executed[0];
    expect(c?.binds).toEqual([-300, SYNC]);
    // The watermark: the last run's WATERMARK_TO when that run succeeded, else the state row's.
    expect(c?.sqlText).toContain(
      "TO_VARCHAR(DATEADD('second', ?, COALESCE(IFF(C.SYNC_STATUS = 'SUCCESS', C.WATERMARK_TO, NULL), S.WATERMARK)), 'YYYY-MM-DD HH24:MI:SS.FF9') AS CUTOFF",
    );
    expect(c?.sqlText).toContain(`LEFT JOIN ${STATE} AS S ON S.SYNC_NAME = ?`);
    expect(c?.sqlText).toContain(`LEFT JOIN ${CONTROL} AS C ON C.SYNC_RUN_ID = S.RUN_ID`);
    expect(c?.sqlText).toContain(`TO_VARCHAR(${SEQUENCE}.NEXTVAL) AS NEXT_CHECK_ID`);
    // One row even before the first sync: the state and the last run are outer-joined to a constant.
    expect(c?.sqlText).toMatch(/ AS NEXT_CHECK_ID\s+FROM \(SELECT 1 AS ONE\) AS X LEFT JOIN "ETL_PIPELINE_SYNC_STATE" AS S ON S\.SYNC_NAME = \?\s+LEFT JOIN /);
    const other = new FakeSnowflake([cutoff(CUT), buckets([]), logged]);
    reconcile(other, { ...PIPELINE_RUN_HISTORY, lookbackSeconds: 42, syncName: 'OTHER' }, options());
    expect(other.executed[0]?.binds).toEqual([-42, 'OTHER']);
  });

  it('compares with the cutoff bound for both sides, and sums the rows of every bucket', () => {
    const f = sf();
    const s = reconcile(f, PIPELINE_RUN_HISTORY, options());
    expect(f.executed[1]?.binds).toEqual([CUT, CUT]);
    expect(s).toEqual({
      status: 'MATCH',
      syncName: SYNC,
      cutoff: CUT,
      buckets: 64,
      sourceRows: 5,
      targetRows: 5,
      mismatchedBuckets: [],
      keys: [],
      keysTruncated: false,
      repairedRows: 0,
      deletedRows: 0,
      checkId: '7',
    } satisfies ReconcileSummary);
  });

  it('logs one MATCH row with the check id, cutoff, counts and an empty key sample', () => {
    const f = sf();
    reconcile(f, PIPELINE_RUN_HISTORY, options());
    const log = f.executed[2];
    expect(log?.sqlText).toBe(
      `INSERT INTO ${LOG_TABLE} (CHECK_ID, TABLE_NAME, CHECK_TIMESTAMP, CUTOFF_WATERMARK, BUCKETS, SOURCE_ROWS, TARGET_ROWS, ` +
        'MISMATCHED_BUCKETS, MISMATCHED_KEYS, SAMPLE_KEYS, REPAIRED_ROWS, DELETED_ROWS, STATUS, ERROR_MESSAGE) ' +
        `SELECT COALESCE(?, ${SEQUENCE}.NEXTVAL), ?, SYSDATE(), ${BIND_TS}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?`,
    );
    expect(log?.binds).toEqual(['7', SYNC, CUT, 64, 5, 5, 0, 0, '[]', 0, 0, 'MATCH', null]);
  });

  it('before the first sync (no cutoff) every row is in flight: the floor is bound as the cutoff', () => {
    const f = new FakeSnowflake([cutoff(null, '1'), buckets([]), logged]);
    const s = reconcile(f, PIPELINE_RUN_HISTORY, options());
    expect(f.executed[1]?.binds).toEqual([FLOOR, FLOOR]);
    expect(s.cutoff).toBeNull();
    expect(s.status).toBe('MATCH');
    expect(f.executed[2]?.binds.slice(0, 3)).toEqual(['1', SYNC, null]);
  });

  it("compares with the watermark's own type: an LTZ watermark against UTC instants, never a session-zone wall time", () => {
    const f = new FakeSnowflake([cutoff(CUT, '2', 'TIMESTAMP_LTZ'), buckets([]), logged]);
    reconcile(f, PIPELINE_RUN_HISTORY, options());
    const text = f.executed[1]?.sqlText ?? '';
    expect(text).toContain(`S0."LAST_UPDATE_DATE" > TO_TIMESTAMP_LTZ(? || ' +00:00', `);
    expect(text).toContain(`P."LAST_UPDATE_DATE" > TO_TIMESTAMP_LTZ(? || ' +00:00', `);
    expect(text).not.toContain('TO_TIMESTAMP_NTZ');
  });

  it('writes to the configured log table, and checks the name like any identifier', () => {
    const f = new FakeSnowflake([cutoff(CUT), buckets([]), { match: /^INSERT INTO "ANALYTICS"."ETL"."CHECKS" / }]);
    reconcile(f, PIPELINE_RUN_HISTORY, options({ logTable: 'analytics.etl.checks' }));
    expect(f.kinds()).toEqual(['SELECT', 'WITH', 'INSERT']);
    const bad = new FakeSnowflake([]);
    expect(() => reconcile(bad, PIPELINE_RUN_HISTORY, options({ logTable: 'X"; DROP TABLE Y; --' }))).toThrow(/invalid reconcile log table/);
    expect(bad.executed).toEqual([]);
  });
});

describe('the bucket comparison SQL', () => {
  const q = quoteConfig(PIPELINE_RUN_HISTORY);
  const sql = (): string => bucketsStatement(q, 'TIMESTAMP_NTZ', CUT, 64).sqlText;

  it('buckets each side by a hash of the key, and summarises a bucket by COUNT and HASH_AGG over every column', () => {
    expect(sql()).toContain(`WITH S AS (SELECT MOD(ABS(HASH(S0."PIPELINE_RUN_ID")), 64) AS BUCKET, COUNT(*) AS ROWS_N, HASH_AGG(${COLS.map((c) => `S0.${c}`).join(', ')}) AS H`);
    expect(sql()).toContain(`T AS (SELECT MOD(ABS(HASH(T0."PIPELINE_RUN_ID")), 64) AS BUCKET, COUNT(*) AS ROWS_N, HASH_AGG(${COLS.map((c) => `T0.${c}`).join(', ')}) AS H`);
  });

  it('leaves out source rows past the cutoff, and the replica rows whose key has a source row past it', () => {
    expect(sql()).toContain(`FROM ${SRC} AS S0 WHERE NOT S0."LAST_UPDATE_DATE" > ${BIND_TS} GROUP BY 1),`);
    expect(sql()).toContain(
      `FROM ${TGT} AS T0 WHERE NOT EXISTS (SELECT 1 FROM ${SRC} AS P WHERE P."PIPELINE_RUN_ID" = T0."PIPELINE_RUN_ID" AND P."LAST_UPDATE_DATE" > ${BIND_TS}) GROUP BY 1)`,
    );
  });

  it('reports a bucket present on either side, the same only when hash and count match NULL-safely', () => {
    expect(sql()).toContain('SELECT COALESCE(S.BUCKET, T.BUCKET) AS BUCKET, COALESCE(S.ROWS_N, 0) AS SOURCE_ROWS, COALESCE(T.ROWS_N, 0) AS TARGET_ROWS,');
    expect(sql()).toContain('IFF(S.H IS NOT DISTINCT FROM T.H AND S.ROWS_N IS NOT DISTINCT FROM T.ROWS_N, 1, 0) AS SAME');
    expect(sql()).toContain('FROM S FULL OUTER JOIN T ON S.BUCKET = T.BUCKET');
  });

  it('returns the buckets in order', () => {
    expect(sql()).toMatch(/\nFROM S FULL OUTER JOIN T ON S\.BUCKET = T\.BUCKET\nORDER BY 1$/);
  });

  it('hashes, and matches in-flight rows on, every key column of a composite key', () => {
    const two = quoteConfig({ ...PIPELINE_RUN_HISTORY, keyColumns: ['PIPELINE_RUN_ID', 'PIPELINE_NAME'] });
    const text = bucketsStatement(two, 'TIMESTAMP_NTZ', CUT, 8).sqlText;
    expect(text).toContain('MOD(ABS(HASH(S0."PIPELINE_RUN_ID", S0."PIPELINE_NAME")), 8) AS BUCKET');
    expect(text).toContain('WHERE P."PIPELINE_RUN_ID" = T0."PIPELINE_RUN_ID" AND P."PIPELINE_NAME" = T0."PIPELINE_NAME" AND P."LAST_UPDATE_DATE" > ');
  });
});

describe('a check that finds mismatched buckets', () => {
  const mismatch = (extra: Rule[] = [], o: Partial<ReconcileOptions> = {}, keyRows: Row[] = [
    { PIPELINE_RUN_ID: 4, ISSUE: 'MISSING_IN_REPLICA' },
    { PIPELINE_RUN_ID: 12, ISSUE: 'EXTRA_IN_REPLICA' },
    { PIPELINE_RUN_ID: 13, ISSUE: 'DIFFERENT' },
  ]): { sf: FakeSnowflake; s: ReconcileSummary } => {
    const sf = new FakeSnowflake([
      cutoff(CUT, '3'),
      buckets([
        [3, 2, 1, 0],
        [7, 4, 4, 1],
        [9, 1, 2, 0],
        [11, 5, 5, 0],
      ]),
      keys(keyRows),
      ...extra,
      logged,
    ]);
    return { sf, s: reconcile(sf, PIPELINE_RUN_HISTORY, options(o)) };
  };

  it('names the buckets whose hash or count differs, with both sides’ rows', () => {
    const { s } = mismatch();
    expect(s.status).toBe('MISMATCH');
    expect(s.mismatchedBuckets).toEqual([
      { bucket: 3, sourceRows: 2, targetRows: 1 },
      { bucket: 9, sourceRows: 1, targetRows: 2 },
      { bucket: 11, sourceRows: 5, targetRows: 5 },
    ]);
    expect([s.sourceRows, s.targetRows]).toEqual([12, 12]);
  });

  it('lists the differing keys of those buckets only, with their issue', () => {
    const { sf, s } = mismatch();
    expect(sf.kinds()).toEqual(['SELECT', 'WITH', 'WITH', 'INSERT']);
    const k = sf.executed[2];
    expect(k?.binds).toEqual([3, 9, 11, CUT, 3, 9, 11, CUT]);
    expect(s.keys).toEqual([
      { key: { PIPELINE_RUN_ID: 4 }, issue: 'MISSING_IN_REPLICA' },
      { key: { PIPELINE_RUN_ID: 12 }, issue: 'EXTRA_IN_REPLICA' },
      { key: { PIPELINE_RUN_ID: 13 }, issue: 'DIFFERENT' },
    ]);
    expect(s.keysTruncated).toBe(false);
  });

  it('the key query: the same buckets and cutoff on both sides, a row missing on one side or differing in any non-key column', () => {
    const { sf } = mismatch();
    const text = sf.executed[2]?.sqlText ?? '';
    expect(text).toContain(`WITH S AS (SELECT * FROM ${SRC} AS S0 WHERE MOD(ABS(HASH(S0."PIPELINE_RUN_ID")), 64) IN (?, ?, ?) AND NOT S0."LAST_UPDATE_DATE" > ${BIND_TS}),`);
    expect(text).toContain(
      `T AS (SELECT * FROM ${TGT} AS T0 WHERE MOD(ABS(HASH(T0."PIPELINE_RUN_ID")), 64) IN (?, ?, ?) AND NOT EXISTS (SELECT 1 FROM ${SRC} AS P WHERE P."PIPELINE_RUN_ID" = T0."PIPELINE_RUN_ID" AND P."LAST_UPDATE_DATE" > ${BIND_TS}))`,
    );
    expect(text).toContain('SELECT COALESCE(S."PIPELINE_RUN_ID", T."PIPELINE_RUN_ID") AS "PIPELINE_RUN_ID",');
    expect(text).toContain(
      `CASE WHEN T."PIPELINE_RUN_ID" IS NULL THEN 'MISSING_IN_REPLICA' WHEN S."PIPELINE_RUN_ID" IS NULL THEN 'EXTRA_IN_REPLICA' ELSE 'DIFFERENT' END AS ISSUE`,
    );
    expect(text).toContain('FROM S FULL OUTER JOIN T ON S."PIPELINE_RUN_ID" = T."PIPELINE_RUN_ID"');
    expect(text).toContain(`WHERE S."PIPELINE_RUN_ID" IS NULL OR T."PIPELINE_RUN_ID" IS NULL OR ${VALUE_COLS.map((c) => `S.${c} IS DISTINCT FROM T.${c}`).join(' OR ')}\n`);
    expect(text).toMatch(/\nORDER BY 1\nLIMIT 101$/);
  });

  it('lists at most maxKeys keys and says when there were more', () => {
    const { sf, s } = mismatch([], { maxKeys: 2 });
    expect(sf.executed[2]?.sqlText).toMatch(/\nLIMIT 3$/);
    expect(s.keys.map((k) => k.key.PIPELINE_RUN_ID)).toEqual([4, 12]);
    expect(s.keysTruncated).toBe(true);
    const exact = mismatch([], { maxKeys: 3 }).s;
    expect(exact.keys).toHaveLength(3);
    expect(exact.keysTruncated).toBe(false);
  });

  it('keeps key values exact: safe integers and fractions as numbers, larger integers and text as strings, NULL as null', () => {
    const { s } = mismatch([], {}, [
      { PIPELINE_RUN_ID: 2 ** 60, ISSUE: 'DIFFERENT' },
      { PIPELINE_RUN_ID: Number.MAX_SAFE_INTEGER, ISSUE: 'DIFFERENT' },
      { PIPELINE_RUN_ID: 1.5, ISSUE: 'DIFFERENT' },
      { PIPELINE_RUN_ID: 'r-7', ISSUE: 'DIFFERENT' },
      { PIPELINE_RUN_ID: null, ISSUE: 'DIFFERENT' },
      { PIPELINE_RUN_ID: sfDate('2026-02-01T00:00:00Z'), ISSUE: 'DIFFERENT' },
    ]);
    // A timestamp (an SfDate object) is read as its string too, never kept as an object.
    expect(typeof s.keys[5]?.key.PIPELINE_RUN_ID).toBe('string');
    s.keys.pop();
    // An unsafe integer is read with getColumnValueAsString (exact digits in Snowflake; the fake
    // renders its scripted number with String()), so it comes back as a string.
    expect(s.keys.map((k) => k.key.PIPELINE_RUN_ID)).toEqual([String(2 ** 60), Number.MAX_SAFE_INTEGER, 1.5, 'r-7', null]);
  });

  it('names every column of a composite key', () => {
    const cfg: SyncConfig = { ...PIPELINE_RUN_HISTORY, keyColumns: ['PIPELINE_RUN_ID', 'PIPELINE_NAME'] };
    const sf = new FakeSnowflake([
      cutoff(CUT),
      buckets([[1, 1, 0, 0]]),
      keys([{ PIPELINE_RUN_ID: 4, PIPELINE_NAME: 'load', ISSUE: 'MISSING_IN_REPLICA' }]),
      logged,
    ]);
    const s = reconcile(sf, cfg, options());
    expect(s.keys).toEqual([{ key: { PIPELINE_RUN_ID: 4, PIPELINE_NAME: 'load' }, issue: 'MISSING_IN_REPLICA' }]);
    expect(sf.executed[2]?.sqlText).toContain('FROM S FULL OUTER JOIN T ON S."PIPELINE_RUN_ID" = T."PIPELINE_RUN_ID" AND S."PIPELINE_NAME" = T."PIPELINE_NAME"');
    expect(sf.executed[2]?.sqlText).toMatch(/\nORDER BY 1, 2\n/);
  });

  it('names a quoted key column as Snowflake stores it, inner quotes undoubled', () => {
    const cfg: SyncConfig = { ...PIPELINE_RUN_HISTORY, keyColumns: ['"Run ""id"""'], columns: ['"Run ""id"""', 'LAST_UPDATE_DATE', 'V'] };
    const sf = new FakeSnowflake([cutoff(CUT), buckets([[1, 1, 0, 0]]), keys([{ 'Run "id"': 4, ISSUE: 'MISSING_IN_REPLICA' }]), logged]);
    expect(reconcile(sf, cfg, options()).keys).toEqual([{ key: { 'Run "id"': 4 }, issue: 'MISSING_IN_REPLICA' }]);
  });

  it('without repair, changes nothing and logs MISMATCH with the counts and the key sample', () => {
    const { sf } = mismatch([], { deleteExtra: true });
    expect(sf.executed.some((e) => REPAIR.test(e.sqlText) || DELETE.test(e.sqlText))).toBe(false);
    const sample = JSON.stringify([
      { key: { PIPELINE_RUN_ID: 4 }, issue: 'MISSING_IN_REPLICA' },
      { key: { PIPELINE_RUN_ID: 12 }, issue: 'EXTRA_IN_REPLICA' },
      { key: { PIPELINE_RUN_ID: 13 }, issue: 'DIFFERENT' },
    ]);
    expect(sf.executed[3]?.binds).toEqual(['3', SYNC, CUT, 64, 12, 12, 3, 3, sample, 0, 0, 'MISMATCH', null]);
  });
});

describe('repair', () => {
  const merge = (inserted: number, updated: number): Rule => ({ match: REPAIR, counts: { inserted, updated } });
  const run = (recheck: Array<[number, number, number, 0 | 1]>, extra: Rule[], o: Partial<ReconcileOptions>): { sf: FakeSnowflake; s: ReconcileSummary } => {
    const sf = new FakeSnowflake([
      cutoff(CUT, '5'),
      buckets([
        [3, 2, 1, 0],
        [9, 1, 2, 0],
      ]),
      keys([{ PIPELINE_RUN_ID: 4, ISSUE: 'MISSING_IN_REPLICA' }]),
      ...extra,
      buckets(recheck),
      logged,
    ]);
    return { sf, s: reconcile(sf, PIPELINE_RUN_HISTORY, options(o)) };
  };

  it('re-merges the mismatched buckets from the source, rechecks, and reports REPAIRED with the rows written', () => {
    const { sf, s } = run(
      [
        [3, 2, 2, 1],
        [9, 1, 1, 1],
      ],
      [merge(1, 2)],
      { repair: true },
    );
    expect(sf.kinds()).toEqual(['SELECT', 'WITH', 'WITH', 'MERGE', 'WITH', 'INSERT']);
    expect(sf.executed[3]?.binds).toEqual([3, 9]);
    expect(sf.executed[4]?.binds).toEqual([CUT, CUT]);
    expect(s).toMatchObject({ status: 'REPAIRED', repairedRows: 3, deletedRows: 0, sourceRows: 3, targetRows: 3 });
    // The mismatch found before the repair is still reported.
    expect(s.mismatchedBuckets.map((b) => b.bucket)).toEqual([3, 9]);
    expect(sf.executed[5]?.binds).toEqual(['5', SYNC, CUT, 64, 3, 3, 2, 1, JSON.stringify(s.keys), 3, 0, 'REPAIRED', null]);
  });

  it('stays MISMATCH when the recheck still finds a difference', () => {
    const { s } = run([[3, 2, 1, 0]], [merge(0, 0)], { repair: true });
    expect(s.status).toBe('MISMATCH');
    expect(s.repairedRows).toBe(0);
    expect([s.sourceRows, s.targetRows]).toEqual([2, 1]);
  });

  it('forces the source version into the replica: no watermark guard, every differing non-key column updated, missing rows inserted', () => {
    const { sf } = run([], [merge(0, 0)], { repair: true });
    expect(sf.executed[3]?.sqlText).toBe(
      [
        `MERGE INTO ${TGT} AS T`,
        `USING (SELECT ${COLS.join(', ')} FROM ${SRC} AS S0 WHERE MOD(ABS(HASH(S0."PIPELINE_RUN_ID")), 64) IN (?, ?)) AS S`,
        'ON T."PIPELINE_RUN_ID" = S."PIPELINE_RUN_ID"',
        `WHEN MATCHED AND (${VALUE_COLS.map((c) => `T.${c} IS DISTINCT FROM S.${c}`).join(' OR ')}) THEN UPDATE SET ${VALUE_COLS.map((c) => `${c} = S.${c}`).join(', ')}`,
        `WHEN NOT MATCHED THEN INSERT (${COLS.join(', ')}) VALUES (${COLS.map((c) => `S.${c}`).join(', ')})`,
      ].join('\n'),
    );
  });

  it('deletes replica rows whose key left the source only with deleteExtra, in the mismatched buckets', () => {
    const { sf, s } = run([], [merge(0, 0), { match: DELETE, counts: { deleted: 2 } }], { repair: true, deleteExtra: true });
    expect(sf.kinds()).toEqual(['SELECT', 'WITH', 'WITH', 'MERGE', 'DELETE', 'WITH', 'INSERT']);
    const del = sf.executed[4];
    expect(del?.binds).toEqual([3, 9]);
    expect(del?.sqlText).toBe(
      `DELETE FROM ${TGT} WHERE MOD(ABS(HASH(${TGT}."PIPELINE_RUN_ID")), 64) IN (?, ?) ` +
        `AND NOT EXISTS (SELECT 1 FROM ${SRC} AS S WHERE S."PIPELINE_RUN_ID" = ${TGT}."PIPELINE_RUN_ID")`,
    );
    expect(s.deletedRows).toBe(2);
    expect(s.status).toBe('REPAIRED');
    const plain = run([], [merge(0, 0)], { repair: true }).sf;
    expect(plain.kinds()).not.toContain('DELETE');
  });

  it('matches rows on every key column of a composite key, in the MERGE and the DELETE', () => {
    const cfg: SyncConfig = { ...PIPELINE_RUN_HISTORY, keyColumns: ['PIPELINE_RUN_ID', 'PIPELINE_NAME'] };
    const sf = new FakeSnowflake([
      cutoff(CUT),
      buckets([[3, 2, 1, 0]]),
      keys([{ PIPELINE_RUN_ID: 4, PIPELINE_NAME: 'load', ISSUE: 'MISSING_IN_REPLICA' }]),
      merge(1, 0),
      { match: DELETE, counts: { deleted: 0 } },
      buckets([]),
      logged,
    ]);
    reconcile(sf, cfg, options({ repair: true, deleteExtra: true }));
    expect(sf.executed[3]?.sqlText).toContain('\nON T."PIPELINE_RUN_ID" = S."PIPELINE_RUN_ID" AND T."PIPELINE_NAME" = S."PIPELINE_NAME"\n');
    expect(sf.executed[4]?.sqlText).toContain(`WHERE S."PIPELINE_RUN_ID" = ${TGT}."PIPELINE_RUN_ID" AND S."PIPELINE_NAME" = ${TGT}."PIPELINE_NAME")`);
  });

  it('does nothing to a replica that matches', () => {
    const sf = new FakeSnowflake([cutoff(CUT), buckets([[1, 1, 1, 1]]), logged]);
    expect(reconcile(sf, PIPELINE_RUN_HISTORY, options({ repair: true, deleteExtra: true })).status).toBe('MATCH');
    expect(sf.kinds()).toEqual(['SELECT', 'WITH', 'INSERT']);
  });
});

describe('buckets', () => {
  it.each([0, -1, 65537, Number.NaN, 0.5])('rejects %d buckets before sending anything', (n) => {
    const sf = new FakeSnowflake([]);
    expect(() => reconcile(sf, PIPELINE_RUN_HISTORY, options({ buckets: n }))).toThrow(`buckets must be between 1 and 65536, got ${String(n)}`);
    expect(sf.executed).toEqual([]);
  });

  it.each([
    [1, 1],
    [65536, 65536],
    [7.9, 7],
  ])('uses %d buckets as %d', (n, used) => {
    const sf = new FakeSnowflake([cutoff(CUT), buckets([]), logged]);
    expect(reconcile(sf, PIPELINE_RUN_HISTORY, options({ buckets: n })).buckets).toBe(used);
    expect(sf.executed[1]?.sqlText).toContain(`MOD(ABS(HASH(S0."PIPELINE_RUN_ID")), ${used}) AS BUCKET`);
  });
});

describe('failures', () => {
  const fails = (message: string, code = 2003, state = '42S02') => ({ message, code, state });
  const mismatched = (): Rule => buckets([[3, 2, 1, 0]]);
  const someKeys = (): Rule => keys([{ PIPELINE_RUN_ID: 4, ISSUE: 'MISSING_IN_REPLICA' }]);

  it.each([
    ['read cutoff', [{ match: CUTOFF, error: fails('control table gone') }], {}],
    ['compare buckets', [cutoff(CUT), { match: BUCKETS, error: fails('control table gone') }], {}],
    ['list keys', [cutoff(CUT), mismatched(), { match: KEYS, error: fails('control table gone') }], {}],
    ['repair', [cutoff(CUT), mismatched(), someKeys(), { match: REPAIR, error: fails('control table gone') }], { repair: true }],
    [
      'delete extra rows',
      [cutoff(CUT), mismatched(), someKeys(), { match: REPAIR, counts: { inserted: 1, updated: 0 } }, { match: DELETE, error: fails('control table gone') }],
      { repair: true, deleteExtra: true },
    ],
    ['recheck', [cutoff(CUT), mismatched(), someKeys(), { match: REPAIR, counts: { inserted: 1, updated: 0 } }, { match: BUCKETS, error: fails('control table gone') }], { repair: true }],
    ['log check', [cutoff(CUT), buckets([]), { match: LOG, times: 1, error: fails('control table gone') }], {}],
  ] as Array<[string, Rule[], Partial<ReconcileOptions>]>)('a failure in "%s" is logged FAILED with the step, code, state and message, then rethrown', (step, rules, o) => {
    const sf = new FakeSnowflake([...rules, logged]);
    const { error, log } = failedCheck(sf, o);
    const message = `[${step}] code 2003, state 42S02: control table gone`;
    expect(error.message).toBe(`${SYNC} reconciliation failed ${message}`);
    expect(error.code).toBe(2003);
    expect(error.state).toBe('42S02');
    expect(log[11]).toBe('FAILED');
    expect(log[12]).toBe(message);
    expect(log[1]).toBe(SYNC);
  });

  it('an error without code or state is logged as the step and the message alone', () => {
    const sf = new FakeSnowflake([cutoff(CUT), { match: BUCKETS, error: { message: 'warehouse suspended' } }, logged]);
    const { error, log } = failedCheck(sf);
    expect(log[12]).toBe('[compare buckets]: warehouse suspended');
    expect(error.message).toBe(`${SYNC} reconciliation failed [compare buckets]: warehouse suspended`);
    expect(error.code).toBeUndefined();
    expect(error.name).toBe('SyncRunError');
  });

  it('a check that failed before reading its id logs with none (the sequence gives it one)', () => {
    const sf = new FakeSnowflake([{ match: CUTOFF, error: fails('gone') }, logged]);
    expect(failedCheck(sf).log).toEqual([null, SYNC, null, 64, 0, 0, 0, 0, '[]', 0, 0, 'FAILED', '[read cutoff] code 2003, state 42S02: gone']);
  });

  it('a check that failed later logs what it had found', () => {
    const sf = new FakeSnowflake([cutoff(CUT, '9'), mismatched(), { match: KEYS, error: fails('gone') }, logged]);
    expect(failedCheck(sf).log).toEqual(['9', SYNC, CUT, 64, 2, 1, 1, 0, '[]', 0, 0, 'FAILED', '[list keys] code 2003, state 42S02: gone']);
  });

  it('when logging the failure fails too, both errors are in the message', () => {
    const sf = new FakeSnowflake([{ match: CUTOFF, error: fails('source gone') }, { match: LOG, error: { message: 'log gone', code: 2003 } }]);
    expect(failedCheck(sf).error.message).toBe(
      `${SYNC} reconciliation failed [read cutoff] code 2003, state 42S02: source gone (and logging the failure also failed: [log failure] code 2003: log gone)`,
    );
  });
});

describe('the log row', () => {
  it('cuts a long key sample to 16,000 characters (4 × ERROR_MESSAGE_LIMIT)', () => {
    const many: ReconcileSummary = {
      status: 'MISMATCH',
      syncName: SYNC,
      cutoff: CUT,
      buckets: 64,
      sourceRows: 1,
      targetRows: 1,
      mismatchedBuckets: [],
      keys: Array.from({ length: 1000 }, (_, i) => ({ key: { PIPELINE_RUN_ID: i }, issue: 'DIFFERENT' as const })),
      keysTruncated: false,
      repairedRows: 0,
      deletedRows: 0,
      checkId: '1',
    };
    const full = JSON.stringify(many.keys);
    expect(full.length).toBeGreaterThan(16000);
    expect(logStatement(LOG_TABLE, SEQUENCE, many, null).binds[8]).toBe(full.slice(0, 16000));
    const few = { ...many, keys: many.keys.slice(0, 3) };
    expect(logStatement(LOG_TABLE, SEQUENCE, few, null).binds[8]).toBe(JSON.stringify(few.keys));
    const exactly = { ...many, keys: [{ key: { PIPELINE_RUN_ID: 'x'.repeat(16000 - '[{"key":{"PIPELINE_RUN_ID":""},"issue":"DIFFERENT"}]'.length) }, issue: 'DIFFERENT' as const }] };
    expect(JSON.stringify(exactly.keys)).toHaveLength(16000);
    expect(logStatement(LOG_TABLE, SEQUENCE, exactly, null).binds[8]).toBe(JSON.stringify(exactly.keys));
  });
});
