/**
 * Scripts for a sync run against the fake `snowflake`: the statements a run sends (matched by
 * their opening), rows for each in the shape the procedure reads, and readers of what was sent.
 * Shared by the unit tests of the sync flow and of the procedure entry points.
 */
import { PIPELINE_RUN_COLUMNS, PIPELINE_RUN_HISTORY } from '../../procedure/config.js';
import { runSync } from '../../procedure/sync.js';
import { FakeSnowflake, type ColumnDef, type Row, type Rule } from './fake-snowflake.js';

export const STATE = /^SELECT\s+IFF\(S\.SYNC_NAME IS NULL/;
export const WINDOW = /^WITH LAST_RUN AS/;
export const NEXT = /^WITH BATCH AS/;
export const CLAIM = /^UPDATE "ETL_PIPELINE_SYNC_STATE" SET RUN_ID = \?/;
export const INSERT_STATE = /^INSERT INTO "ETL_PIPELINE_SYNC_STATE"/;
export const RECORD_SCHEMA = /^UPDATE "ETL_PIPELINE_SYNC_STATE" SET SCHEMA_FINGERPRINT/;
export const MERGE = /^MERGE INTO/;
export const LOG = /^INSERT INTO "ETL_PIPELINE_SYNC_CONTROL" \(SYNC_RUN_ID, TABLE_NAME, SYNC_START_TIMESTAMP, SYNC_END_TIMESTAMP, WATERMARK_FROM/;
export const FAILED_NO_ID = /^INSERT INTO "ETL_PIPELINE_SYNC_CONTROL" .*NEXTVAL/s;
export const DESCRIBE_SRC = /^DESCRIBE TABLE "ETL_PIPELINE_RUN_HISTORY_LOG"$/;
export const DESCRIBE_TGT = /^DESCRIBE TABLE "ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION"$/;
export const HOLDER = /^SELECT TO_VARCHAR\(RUN_ID\) AS RUN_ID/;
export const LEGACY = /^SELECT TO_VARCHAR\(WM, 'YYYY-MM-DD HH24:MI:SS.FF9'\) AS WM, TO_VARCHAR\(DATEADD/;
export const CLOSE_LEGACY = /^UPDATE "ETL_PIPELINE_SYNC_CONTROL" SET SYNC_STATUS = 'FAILED'/;
export const LATE = /^UPDATE "ETL_PIPELINE_SYNC_CONTROL" SET SYNC_STATUS = 'SUCCESS'/;

export const NOW = '2026-11-25 10:01:00.000000000';
export const LAST = '2026-11-25 10:00:00.123456789';
export const STATE_WM = '2026-11-25 09:59:00.000000000';
export const LOW = '2026-11-25 09:55:00.123456789';
export const HIGH = '2026-11-25 10:00:30.000000001';

/** The metadata Snowflake reports for a declared type (the window statement's S.* and T.*). */
export function meta(type: string): { type: string; scale: number } {
  if (type.startsWith('NUMBER')) return { type: 'NUMBER', scale: Number(/,(\d+)\)/.exec(type)?.[1] ?? 0) };
  if (type.startsWith('VARCHAR')) return { type: 'TEXT', scale: 0 };
  return { type: type.replace(/\(\d\)$/, ''), scale: 9 };
}
export type Spec = { name: string; type: string; notNull?: boolean };
export const SPEC: Spec[] = PIPELINE_RUN_COLUMNS.map((c) => ({ name: c.name, type: c.type, notNull: c.notNull }));
export const cols = (spec: Spec[]): ColumnDef[] => spec.map((c) => ({ name: c.name, ...meta(c.type) }));
export const describeRows = (spec: Spec[]): Row[] => spec.map((c) => ({ name: c.name, type: c.type, 'null?': c.notNull ? 'N' : 'Y' }));
export const WINDOW_COLUMNS = ['LAST_WM', 'LOW_WM', 'PREV_STATUS', 'HIGH_WM', 'BATCH_ROWS', 'LOOKBACK_ROWS', 'FUTURE_ROWS', 'FUTURE_MAX', 'NULL_ROWS'];

export function stateRule(p: Partial<Row> = {}): Rule {
  return {
    match: STATE,
    times: 1,
    rows: [
      {
        FOUND: 1,
        WATERMARK: STATE_WM,
        STATE_LOW: '2026-11-25 09:54:00.000000000',
        // The previous run (41) was to end at LAST if it succeeded.
        PLANNED: LAST,
        PLANNED_LOW: LOW,
        RUN_ID: '41',
        RUN_STARTED: '2026-11-25 10:00:00.000000000',
        LEASE_UNTIL: '2026-11-25 11:00:00.000000000',
        LEASE_EXPIRED: 0,
        SCHEMA_FINGERPRINT: null,
        SCHEMA_AGE: 5,
        WATERMARK_TYPE: 'TIMESTAMP_NTZ',
        WATERMARK_NULLABLE: 0,
        NEW_RUN_ID: '42',
        NOW,
        ...p,
      },
    ],
  };
}

export function windowRule(p: Partial<Row> = {}, source: Spec[] = SPEC, target: Spec[] = SPEC): Rule {
  return {
    match: WINDOW,
    times: 1,
    columns: [...WINDOW_COLUMNS.map((name) => ({ name })), { name: '|SOURCE' }, ...cols(source), { name: '|TARGET' }, ...cols(target)],
    rows: [{ LAST_WM: LAST, LOW_WM: LOW, PREV_STATUS: 'SUCCESS', HIGH_WM: HIGH, BATCH_ROWS: 7, LOOKBACK_ROWS: 1, FUTURE_ROWS: 0, FUTURE_MAX: null, NULL_ROWS: 0, ...p }],
  };
}

export const describeRules = (source: Spec[] = SPEC, target: Spec[] = SPEC): Rule[] => [
  { match: DESCRIBE_SRC, rows: describeRows(source) },
  { match: DESCRIBE_TGT, rows: describeRows(target) },
];
export const claim = (updated = 1): Rule => ({ match: CLAIM, times: 1, rows: [{ 'number of rows updated': updated }], counts: { updated } });
export const merged = (inserted: number, updated: number): Rule => ({ match: MERGE, times: 1, rows: [{ 'number of rows inserted': inserted, 'number of rows updated': updated }], counts: { inserted, updated } });
export const ok = (match: RegExp): Rule => ({ match, rows: [{ 'number of rows inserted': 1 }], counts: { inserted: 1 } });

/** The fingerprint a run stores after a full check of the shipped schema (read from its claim). */
export function storedFingerprint(): string {
  const sf = new FakeSnowflake([stateRule(), windowRule(), ...describeRules(), claim(), merged(0, 0), ok(LOG)]);
  runSync(sf, PIPELINE_RUN_HISTORY);
  const c = sf.executed.find((e) => CLAIM.test(e.sqlText));
  const fp = c?.binds.find((b) => typeof b === 'string' && b.includes('PIPELINE_RUN_ID'));
  if (typeof fp !== 'string') throw new Error('the claim did not store a schema fingerprint');
  return fp;
}
export const FP = storedFingerprint();
export const known = (p: Partial<Row> = {}): Rule => stateRule({ SCHEMA_FINGERPRINT: FP, ...p });
export const kindsOf = (sf: FakeSnowflake): string[] =>
  sf.executed.map((e) => {
    const rules: Array<[RegExp, string]> = [
      [STATE, 'state'], [WINDOW, 'window'], [NEXT, 'next'], [CLAIM, 'claim'], [INSERT_STATE, 'insert-state'], [RECORD_SCHEMA, 'record-schema'],
      [MERGE, 'merge'], [FAILED_NO_ID, 'failed-no-id'], [LOG, 'log'], [DESCRIBE_SRC, 'describe'], [DESCRIBE_TGT, 'describe'],
      [HOLDER, 'holder'], [LEGACY, 'legacy'], [CLOSE_LEGACY, 'close-legacy'], [LATE, 'late'],
    ];
    return rules.find(([re]) => re.test(e.sqlText))?.[1] ?? `?${e.sqlText.slice(0, 30)}`;
  });
/** The binds of the n-th statement matching `re`. */
export const bindsOf = (sf: FakeSnowflake, re: RegExp, n = 0): unknown[] => sf.executed.filter((e) => re.test(e.sqlText))[n]?.binds ?? [];
/** A control row insert's binds by column (see logRunStatement). */
export function logged(sf: FakeSnowflake, n = 0): { runId: unknown; status: unknown; error: unknown; from: unknown; to: unknown; inserted: unknown; updated: unknown; batch: unknown } {
  const b = bindsOf(sf, LOG, n);
  // runId, syncName, [started], [ended], from, to, inserted, updated, processed, status, error, batch, nullRows, futureRows, futureMax
  const tail = b.slice(-11);
  return { runId: b[0], from: tail[0], to: tail[1], inserted: tail[2], updated: tail[3], status: tail[5], error: tail[6], batch: tail[7] };
}

