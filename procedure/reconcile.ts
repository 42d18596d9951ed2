/**
 * Reconciliation: proves the replica equals the source, bucket by bucket, and repairs it on
 * request.
 *
 * Rows are spread over buckets by a hash of their key; each side's bucket is summarised by
 * COUNT(*) and HASH_AGG over every replicated column, so a check reads each table once and
 * returns one row per bucket. Only the mismatched buckets are then compared row by row to name
 * the keys involved.
 *
 * Rows the sync may legitimately not have merged yet are left out of both sides: every source
 * row stamped after the cutoff (the current watermark minus the lookback), and the replica rows
 * with those keys. So a check that runs while writers write reports only real divergence.
 */
import type { SyncConfig } from './config.js';
import { quoteTable } from './identifiers.js';
import type { ResultSet, Snowflake } from './snowflake-api.js';
import { EPOCH_FLOOR, ERROR_MESSAGE_LIMIT, TS_FORMAT, quoteConfig, watermarkValue, type QuotedNames, type SqlStatement, type WatermarkType } from './sql.js';
import { describeError, SyncRunError } from './sync.js';

/** Reconciliation settings; defaults suit tables up to tens of millions of rows. */
export interface ReconcileOptions {
  /** The reconciliation log table. */
  logTable: string;
  /** How many hash buckets to compare. */
  buckets: number;
  /** The most mismatched keys listed in the result and the log. */
  maxKeys: number;
  /** Re-merge mismatched buckets from the source. */
  repair: boolean;
  /** With `repair`, also delete replica rows whose key is missing from the source. */
  deleteExtra: boolean;
}

export const DEFAULT_RECONCILE: ReconcileOptions = {
  logTable: 'ETL_PIPELINE_RECONCILE_LOG',
  buckets: 64,
  maxKeys: 100,
  repair: false,
  deleteExtra: false,
};

/** One mismatched key and what is wrong with it. */
export interface KeyMismatch {
  key: { [column: string]: string | number | null };
  issue: 'MISSING_IN_REPLICA' | 'EXTRA_IN_REPLICA' | 'DIFFERENT';
}

/** A bucket whose count or hash differs between source and replica. */
export interface BucketMismatch {
  bucket: number;
  sourceRows: number;
  targetRows: number;
}

/** What a reconciliation returns (the procedure's VARIANT result). */
export interface ReconcileSummary {
  status: 'MATCH' | 'MISMATCH' | 'REPAIRED';
  syncName: string;
  /** Rows stamped after this were not compared (still in flight); null before the first sync. */
  cutoff: string | null;
  buckets: number;
  sourceRows: number;
  targetRows: number;
  mismatchedBuckets: BucketMismatch[];
  keys: KeyMismatch[];
  /** True when more keys mismatch than `maxKeys` lists. */
  keysTruncated: boolean;
  repairedRows: number;
  deletedRows: number;
  /** The CHECK_ID of this check's row in the reconciliation log (from the run-id sequence). */
  checkId: string | null;
}

function bucketExpr(q: QuotedNames, alias: string, buckets: number): string {
  return `MOD(ABS(HASH(${q.keys.map((k) => `${alias}.${k}`).join(', ')})), ${buckets})`;
}

/** Rows in flight: source rows past the cutoff (all of them before the first sync). */
function pendingFilter(q: QuotedNames, type: WatermarkType, alias: string): string {
  return `${alias}.${q.watermark} > ${watermarkValue(type, '?')}`;
}

/** Before the first sync every row is in flight: the floor puts them all past the cutoff. */
const cutoffBind = (cutoff: string | null): string => (cutoff === null ? EPOCH_FLOOR : cutoff);

function notPending(q: QuotedNames, type: WatermarkType, alias: string): string {
  const on = q.keys.map((k) => `P.${k} = ${alias}.${k}`).join(' AND ');
  return `NOT EXISTS (SELECT 1 FROM ${q.source} AS P WHERE ${on} AND ${pendingFilter(q, type, 'P')})`;
}

/**
 * The cutoff: the sync's watermark minus its lookback, in UTC (NULL before any sync), read from
 * its state row and its last run's control row by primary key; the watermark's type; and the id
 * this check's log row will take (from the run-id sequence, shared with the sync).
 */
export function cutoffStatement(cfg: SyncConfig, q: QuotedNames): SqlStatement {
  return {
    sqlText: [
      'SELECT',
      `  TO_VARCHAR(DATEADD('second', ?, COALESCE(IFF(C.SYNC_STATUS = 'SUCCESS', C.WATERMARK_TO, NULL), S.WATERMARK)), '${TS_FORMAT}') AS CUTOFF,`,
      "  COALESCE(S.WATERMARK_TYPE, 'TIMESTAMP_NTZ') AS WATERMARK_TYPE,",
      `  TO_VARCHAR(${q.sequence}.NEXTVAL) AS NEXT_CHECK_ID`,
      `FROM (SELECT 1 AS ONE) AS X LEFT JOIN ${q.state} AS S ON S.SYNC_NAME = ?`,
      `LEFT JOIN ${q.control} AS C ON C.SYNC_RUN_ID = S.RUN_ID`,
    ].join('\n'),
    binds: [-cfg.lookbackSeconds, cfg.syncName],
  };
}

/** Per bucket: rows and HASH_AGG on each side; one row per bucket present on either side. */
export function bucketsStatement(q: QuotedNames, type: WatermarkType, cutoff: string | null, buckets: number): SqlStatement {
  const cols = (alias: string) => q.columns.map((c) => `${alias}.${c}`).join(', ');
  const sqlText = [
    `WITH S AS (SELECT ${bucketExpr(q, 'S0', buckets)} AS BUCKET, COUNT(*) AS ROWS_N, HASH_AGG(${cols('S0')}) AS H`,
    `  FROM ${q.source} AS S0 WHERE NOT ${pendingFilter(q, type, 'S0')} GROUP BY 1),`,
    `T AS (SELECT ${bucketExpr(q, 'T0', buckets)} AS BUCKET, COUNT(*) AS ROWS_N, HASH_AGG(${cols('T0')}) AS H`,
    `  FROM ${q.target} AS T0 WHERE ${notPending(q, type, 'T0')} GROUP BY 1)`,
    'SELECT COALESCE(S.BUCKET, T.BUCKET) AS BUCKET, COALESCE(S.ROWS_N, 0) AS SOURCE_ROWS, COALESCE(T.ROWS_N, 0) AS TARGET_ROWS,',
    '  IFF(S.H IS NOT DISTINCT FROM T.H AND S.ROWS_N IS NOT DISTINCT FROM T.ROWS_N, 1, 0) AS SAME',
    'FROM S FULL OUTER JOIN T ON S.BUCKET = T.BUCKET',
    'ORDER BY 1',
  ].join('\n');
  return { sqlText, binds: [cutoffBind(cutoff), cutoffBind(cutoff)] };
}

/** The keys that differ inside the given buckets, with what is wrong with each. */
export function keysStatement(q: QuotedNames, type: WatermarkType, cutoff: string | null, buckets: number, which: number[], limit: number): SqlStatement {
  const inList = which.map(() => '?').join(', ');
  const on = q.keys.map((k) => `S.${k} = T.${k}`).join(' AND ');
  const differs = q.valueColumns.map((c) => `S.${c} IS DISTINCT FROM T.${c}`).join(' OR ');
  const firstKey = q.keys[0] as string;
  const sqlText = [
    `WITH S AS (SELECT * FROM ${q.source} AS S0 WHERE ${bucketExpr(q, 'S0', buckets)} IN (${inList}) AND NOT ${pendingFilter(q, type, 'S0')}),`,
    `T AS (SELECT * FROM ${q.target} AS T0 WHERE ${bucketExpr(q, 'T0', buckets)} IN (${inList}) AND ${notPending(q, type, 'T0')})`,
    `SELECT ${q.keys.map((k) => `COALESCE(S.${k}, T.${k}) AS ${k}`).join(', ')},`,
    `  CASE WHEN T.${firstKey} IS NULL THEN 'MISSING_IN_REPLICA' WHEN S.${firstKey} IS NULL THEN 'EXTRA_IN_REPLICA' ELSE 'DIFFERENT' END AS ISSUE`,
    `FROM S FULL OUTER JOIN T ON ${on}`,
    `WHERE S.${firstKey} IS NULL OR T.${firstKey} IS NULL OR ${differs}`,
    `ORDER BY ${q.keys.map((_, i) => String(i + 1)).join(', ')}`,
    `LIMIT ${limit + 1}`,
  ].join('\n');
  return { sqlText, binds: [...which, cutoffBind(cutoff), ...which, cutoffBind(cutoff)] };
}

/** Forces the source version of every row in the given buckets into the replica. */
export function repairStatement(q: QuotedNames, buckets: number, which: number[]): SqlStatement {
  const on = q.keys.map((k) => `T.${k} = S.${k}`).join(' AND ');
  const differs = q.valueColumns.map((c) => `T.${c} IS DISTINCT FROM S.${c}`).join(' OR ');
  const sqlText = [
    `MERGE INTO ${q.target} AS T`,
    `USING (SELECT ${q.columns.join(', ')} FROM ${q.source} AS S0 WHERE ${bucketExpr(q, 'S0', buckets)} IN (${which.map(() => '?').join(', ')})) AS S`,
    `ON ${on}`,
    `WHEN MATCHED AND (${differs}) THEN UPDATE SET ${q.valueColumns.map((c) => `${c} = S.${c}`).join(', ')}`,
    `WHEN NOT MATCHED THEN INSERT (${q.columns.join(', ')}) VALUES (${q.columns.map((c) => 'S.' + c).join(', ')})`,
  ].join('\n');
  return { sqlText, binds: [...which] };
}

/** Deletes replica rows in the given buckets whose key no longer exists in the source. */
export function deleteExtraStatement(q: QuotedNames, buckets: number, which: number[]): SqlStatement {
  // DELETE's documented syntax has no alias: qualify with the table name itself.
  const on = q.keys.map((k) => `S.${k} = ${q.target}.${k}`).join(' AND ');
  return {
    sqlText:
      `DELETE FROM ${q.target} WHERE ${bucketExpr(q, q.target, buckets)} IN (${which.map(() => '?').join(', ')}) ` +
      `AND NOT EXISTS (SELECT 1 FROM ${q.source} AS S WHERE ${on})`,
    binds: [...which],
  };
}

/** One row in the reconciliation log. */
export function logStatement(log: string, sequence: string, s: ReconcileSummary, error: string | null): SqlStatement {
  const keys = JSON.stringify(s.keys);
  return {
    sqlText:
      `INSERT INTO ${log} (CHECK_ID, TABLE_NAME, CHECK_TIMESTAMP, CUTOFF_WATERMARK, BUCKETS, SOURCE_ROWS, TARGET_ROWS, ` +
      'MISMATCHED_BUCKETS, MISMATCHED_KEYS, SAMPLE_KEYS, REPAIRED_ROWS, DELETED_ROWS, STATUS, ERROR_MESSAGE) ' +
      // The id comes from the first statement when it ran; a check that failed before it takes one here.
      `SELECT COALESCE(?, ${sequence}.NEXTVAL), ?, SYSDATE(), TO_TIMESTAMP_NTZ(?, '${TS_FORMAT}'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?`,
    binds: [
      s.checkId,
      s.syncName,
      s.cutoff,
      s.buckets,
      s.sourceRows,
      s.targetRows,
      s.mismatchedBuckets.length,
      s.keys.length,
      keys.length > ERROR_MESSAGE_LIMIT * 4 ? keys.slice(0, ERROR_MESSAGE_LIMIT * 4) : keys,
      s.repairedRows,
      s.deletedRows,
      error === null ? s.status : 'FAILED',
      error,
    ],
  };
}

function keyValue(rs: ResultSet, col: string): string | number | null {
  const v = rs.getColumnValue(col);
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isSafeInteger(v) || !Number.isInteger(v) ? v : rs.getColumnValueAsString(col);
  return rs.getColumnValueAsString(col);
}

const unquote = (quoted: string): string => quoted.slice(1, -1).replace(/""/g, '"');

/**
 * Compares source and replica of `cfg`, logs the check, and repairs when asked.
 *
 * @example
 * reconcile(snowflake, PIPELINE_RUN_HISTORY, { ...DEFAULT_RECONCILE, repair: true }).status; // 'REPAIRED'
 */
export function reconcile(snowflake: Snowflake, cfg: SyncConfig, options: ReconcileOptions): ReconcileSummary {
  const q = quoteConfig(cfg);
  const log = quoteTable(options.logTable, 'reconcile log table');
  const buckets = Math.floor(options.buckets);
  if (!(buckets >= 1 && buckets <= 65536)) throw new Error(`buckets must be between 1 and 65536, got ${String(options.buckets)}`);
  const exec = (s: SqlStatement): ResultSet => snowflake.execute({ sqlText: s.sqlText, binds: s.binds });

  const summary: ReconcileSummary = {
    status: 'MATCH',
    syncName: cfg.syncName,
    cutoff: null,
    buckets,
    sourceRows: 0,
    targetRows: 0,
    mismatchedBuckets: [],
    keys: [],
    keysTruncated: false,
    repairedRows: 0,
    deletedRows: 0,
    checkId: null,
  };
  let step = 'read cutoff';
  try {
    const c = exec(cutoffStatement(cfg, q));
    c.next();
    summary.cutoff = c.getColumnValue('CUTOFF') === null ? null : c.getColumnValueAsString('CUTOFF');
    const type = c.getColumnValueAsString('WATERMARK_TYPE') as WatermarkType;
    summary.checkId = c.getColumnValueAsString('NEXT_CHECK_ID');

    const compare = (): BucketMismatch[] => {
      const rs = exec(bucketsStatement(q, type, summary.cutoff, buckets));
      const bad: BucketMismatch[] = [];
      summary.sourceRows = 0;
      summary.targetRows = 0;
      while (rs.next()) {
        const b = { bucket: Number(rs.getColumnValue('BUCKET')), sourceRows: Number(rs.getColumnValue('SOURCE_ROWS')), targetRows: Number(rs.getColumnValue('TARGET_ROWS')) };
        summary.sourceRows += b.sourceRows;
        summary.targetRows += b.targetRows;
        if (Number(rs.getColumnValue('SAME')) !== 1) bad.push(b);
      }
      return bad;
    };

    step = 'compare buckets';
    summary.mismatchedBuckets = compare();
    if (summary.mismatchedBuckets.length > 0) {
      summary.status = 'MISMATCH';
      const which = summary.mismatchedBuckets.map((b) => b.bucket);
      step = 'list keys';
      const rs = exec(keysStatement(q, type, summary.cutoff, buckets, which, options.maxKeys));
      while (rs.next()) {
        if (summary.keys.length >= options.maxKeys) {
          summary.keysTruncated = true;
          break;
        }
        const key: { [column: string]: string | number | null } = {};
        for (const k of q.keys) key[unquote(k)] = keyValue(rs, unquote(k));
        summary.keys.push({ key, issue: rs.getColumnValue('ISSUE') as KeyMismatch['issue'] });
      }
      if (options.repair) {
        step = 'repair';
        const stmt = snowflake.createStatement(repairStatement(q, buckets, which));
        stmt.execute();
        summary.repairedRows = stmt.getNumRowsInserted() + stmt.getNumRowsUpdated();
        if (options.deleteExtra) {
          step = 'delete extra rows';
          const del = snowflake.createStatement(deleteExtraStatement(q, buckets, which));
          del.execute();
          summary.deletedRows = del.getNumRowsDeleted();
        }
        step = 'recheck';
        const still = compare();
        if (still.length === 0) summary.status = 'REPAIRED';
      }
    }
    step = 'log check';
    exec(logStatement(log, q.sequence, summary, null));
    return summary;
  } catch (e) {
    const message = describeError(step, e);
    let logged = '';
    try {
      exec(logStatement(log, q.sequence, summary, message));
    } catch (logError) {
      logged = ` (and logging the failure also failed: ${describeError('log failure', logError)})`;
    }
    throw new SyncRunError(`${cfg.syncName} reconciliation failed ${message}${logged}`, e);
  }
}
