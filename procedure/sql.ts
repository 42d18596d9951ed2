/**
 * The SQL a sync run issues, built from a validated `SyncConfig`. Pure text builders: no
 * execution here. Identifiers are quoted by `identifiers.ts`; every value is a `?` bind.
 *
 * Watermarks travel as strings in `TS_FORMAT`, always in UTC, and are parsed back inside SQL,
 * so no value ever passes through a JavaScript `Date` (millisecond precision) and the session
 * time zone of a run never changes what it reads. Strings in this fixed-width format compare
 * correctly as text.
 *
 * Every statement a steady-state run sends filters each hybrid table by a predicate Snowflake
 * documents as index-eligible: the state table and the control table by primary key (`= ?`),
 * the source and the replica by the watermark column compared with binds (`> ?`, `<= ?`)
 * (https://docs.snowflake.com/en/user-guide/tables-hybrid-indexes).
 */
import type { SyncConfig } from './config.js';
import { quoteName, quoteTable } from './identifiers.js';

/** The one timestamp format used on the wire between SQL and the procedure. */
export const TS_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9';

/** The same, with the UTC offset: how a watermark is bound to a TIMESTAMP_LTZ/TZ column. */
export const TS_TZ_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM';

/**
 * Before any real data: the low bound of a first run. The first year of the Gregorian calendar
 * that Snowflake recommends for timestamps (https://docs.snowflake.com/en/sql-reference/data-types-datetime).
 */
export const EPOCH_FLOOR = '1582-10-15 00:00:00.000000000';

/** Longest ERROR_MESSAGE stored (the column is VARCHAR(4000)). */
export const ERROR_MESSAGE_LIMIT = 4000;

/** The watermark column's type, as the schema check found it. */
export type WatermarkType = 'TIMESTAMP_NTZ' | 'TIMESTAMP_LTZ' | 'TIMESTAMP_TZ';

/** A statement with its binds, ready for `snowflake.execute`. */
export interface SqlStatement {
  sqlText: string;
  binds: Array<string | number | null>;
}

/** Quoted names derived once from a config. */
export interface QuotedNames {
  source: string;
  target: string;
  control: string;
  state: string;
  sequence: string;
  keys: string[];
  watermark: string;
  columns: string[];
  /** Non-key columns: the ones a MERGE compares and updates. */
  valueColumns: string[];
}

/** A config problem found before any statement is sent. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function isPositiveInteger(n: unknown): n is number {
  return typeof n === 'number' && n === Math.floor(n) && n > 0 && n <= 2147483647;
}

/** The quoted parts of a quoted table name. */
function parts(quoted: string): string[] {
  return quoted.match(/"(?:[^"]|"")+"/g) as string[];
}

/**
 * Validates a config and quotes every name in it. Throws `ConfigError` or `IdentifierError`
 * naming the field and the fix.
 */
export function quoteConfig(cfg: SyncConfig): QuotedNames {
  if (!cfg || typeof cfg !== 'object') throw new ConfigError('sync config must be an object');
  if (!Array.isArray(cfg.keyColumns) || cfg.keyColumns.length === 0) {
    throw new ConfigError('keyColumns must list at least one primary-key column');
  }
  if (!Array.isArray(cfg.columns) || cfg.columns.length === 0) {
    throw new ConfigError('columns must list every replicated column');
  }
  if (typeof cfg.syncName !== 'string' || cfg.syncName.length === 0 || cfg.syncName.length > 255) {
    throw new ConfigError('syncName must be a non-empty string of at most 255 characters');
  }
  if (typeof cfg.lookbackSeconds !== 'number' || !(cfg.lookbackSeconds >= 0) || cfg.lookbackSeconds !== Math.floor(cfg.lookbackSeconds)) {
    throw new ConfigError(`lookbackSeconds must be a whole number of seconds >= 0, got ${String(cfg.lookbackSeconds)}`);
  }
  if (!isPositiveInteger(cfg.batchSize)) {
    throw new ConfigError(`batchSize must be a positive whole number, got ${String(cfg.batchSize)}`);
  }
  if (!isPositiveInteger(cfg.maxBatches)) {
    throw new ConfigError(`maxBatches must be a positive whole number, got ${String(cfg.maxBatches)}`);
  }
  if (!isPositiveInteger(cfg.leaseSeconds) || cfg.leaseSeconds < 60) {
    throw new ConfigError(`leaseSeconds must be a whole number of seconds >= 60 (longer than the task's timeout), got ${String(cfg.leaseSeconds)}`);
  }
  const columns = cfg.columns.map((c) => quoteName(c));
  const keys = cfg.keyColumns.map((c) => quoteName(c, 'key column'));
  const watermark = quoteName(cfg.watermarkColumn, 'watermark column');
  const seen: { [q: string]: boolean } = {};
  for (const c of columns) {
    if (seen[c]) throw new ConfigError(`column ${c} is listed twice in columns`);
    seen[c] = true;
  }
  for (const k of keys) {
    if (!seen[k]) throw new ConfigError(`key column ${k} is not in columns`);
  }
  if (!seen[watermark]) throw new ConfigError(`watermark column ${watermark} is not in columns`);
  if (keys.indexOf(watermark) >= 0) throw new ConfigError('the watermark column cannot be a key column');
  const source = quoteTable(cfg.sourceTable, 'source table');
  const target = quoteTable(cfg.targetTable, 'target table');
  const control = quoteTable(cfg.controlTable, 'control table');
  const state = quoteTable(cfg.stateTable, 'state table');
  const sequence = quoteTable(cfg.runIdSequence, 'run id sequence');
  if (source === target) throw new ConfigError('source and target table must differ');
  // One statement reads or writes several of these hybrid tables, and "all the hybrid tables
  // referenced in a transaction must reside in the same database"
  // (https://docs.snowflake.com/en/user-guide/tables-hybrid-limitations). Tables named with a
  // database must name the same one; an unqualified table is in the procedure's own database,
  // which only Snowflake can compare (it refuses the statement if they differ).
  const named: string[] = [];
  for (const t of [source, target, control, state]) {
    const p = parts(t);
    if (p.length === 3) named.push(p[0] as string);
  }
  if (named.some((d) => d !== named[0])) {
    throw new ConfigError(
      `source, target, control and state table must be in the same database (a Snowflake transaction cannot span hybrid tables ` +
        `of several databases), but they name ${Array.from(new Set(named)).join(' and ')}: move them into one database`,
    );
  }
  return {
    source,
    target,
    control,
    state,
    sequence,
    keys,
    watermark,
    columns,
    valueColumns: columns.filter((c) => keys.indexOf(c) < 0),
  };
}

/** `TO_VARCHAR(expr)` in UTC: an LTZ/TZ value is first moved to UTC, an NTZ value is UTC already. */
export function utcText(type: WatermarkType, expr: string): string {
  return type === 'TIMESTAMP_NTZ' ? `TO_VARCHAR(${expr}, '${TS_FORMAT}')` : `TO_VARCHAR(CONVERT_TIMEZONE('UTC', ${expr}), '${TS_FORMAT}')`;
}

/**
 * A UTC watermark string (`valueSql`, a `?` or an expression) as a value of the watermark's
 * type: an NTZ literal, or an instant with an explicit +00:00 offset for LTZ and TZ, so that no
 * session time zone takes part in the comparison.
 */
export function watermarkValue(type: WatermarkType, valueSql: string): string {
  if (type === 'TIMESTAMP_NTZ') return `TO_TIMESTAMP_NTZ(${valueSql}, '${TS_FORMAT}')`;
  const fn = type === 'TIMESTAMP_LTZ' ? 'TO_TIMESTAMP_LTZ' : 'TO_TIMESTAMP_TZ';
  return `${fn}(${valueSql} || ' +00:00', '${TS_TZ_FORMAT}')`;
}

const ntz = (valueSql: string): string => `TO_TIMESTAMP_NTZ(${valueSql}, '${TS_FORMAT}')`;

/**
 * Statement 1 of every run: this sync's state row, by primary key, plus a new run id from the
 * sequence and the run's clock (UTC). One row even before the first run.
 *
 * Columns: FOUND, WATERMARK, STATE_LOW (WATERMARK − lookback), RUN_ID (the last run that
 * claimed the sync), RUN_STARTED, LEASE_UNTIL, LEASE_EXPIRED, SCHEMA_FINGERPRINT, SCHEMA_AGE
 * (seconds since the full schema check), WATERMARK_TYPE, WATERMARK_NULLABLE, NEW_RUN_ID, NOW.
 */
export function stateStatement(cfg: SyncConfig, q: QuotedNames): SqlStatement {
  const t = (expr: string): string => `TO_VARCHAR(${expr}, '${TS_FORMAT}')`;
  const sqlText = [
    'SELECT',
    '  IFF(S.SYNC_NAME IS NULL, 0, 1) AS FOUND,',
    `  ${t('S.WATERMARK')} AS WATERMARK,`,
    `  ${t("DATEADD('second', ?, S.WATERMARK)")} AS STATE_LOW,`,
    `  ${t('COALESCE(S.RUN_WATERMARK_TO, S.WATERMARK)')} AS PLANNED,`,
    `  ${t("DATEADD('second', ?, COALESCE(S.RUN_WATERMARK_TO, S.WATERMARK))")} AS PLANNED_LOW,`,
    '  TO_VARCHAR(S.RUN_ID) AS RUN_ID,',
    `  ${t('S.RUN_STARTED')} AS RUN_STARTED,`,
    `  ${t('S.LEASE_UNTIL')} AS LEASE_UNTIL,`,
    '  IFF(S.LEASE_UNTIL < SYSDATE(), 1, 0) AS LEASE_EXPIRED,',
    '  S.SCHEMA_FINGERPRINT AS SCHEMA_FINGERPRINT,',
    "  TIMESTAMPDIFF('second', S.SCHEMA_CHECKED_AT, SYSDATE()) AS SCHEMA_AGE,",
    '  S.WATERMARK_TYPE AS WATERMARK_TYPE,',
    '  IFF(S.WATERMARK_NULLABLE, 1, 0) AS WATERMARK_NULLABLE,',
    `  TO_VARCHAR(${q.sequence}.NEXTVAL) AS NEW_RUN_ID,`,
    `  ${t('SYSDATE()')} AS NOW`,
    `FROM (SELECT 1 AS ONE) AS X LEFT JOIN ${q.state} AS S ON S.SYNC_NAME = ?`,
  ].join('\n');
  return { sqlText, binds: [-cfg.lookbackSeconds, -cfg.lookbackSeconds, cfg.syncName] };
}

/** What statement 2 needs from statement 1. */
export interface WindowInputs {
  /** The last run that claimed the sync (its control row says whether it succeeded), or null. */
  prevRunId: string | null;
  /** The state's watermark (as of that claim), or null before the first sync. */
  stateWatermark: string | null;
  /**
   * The lower bounds the source is read from (bound, index-eligible): where the previous run
   * ends if it succeeded, and that minus the lookback. A run that finds the previous run did not
   * succeed plans again from the state's watermark (`stateWatermark` and its lookback).
   */
  from: string | null;
  fromLow: string | null;
  /** The run's clock: no row stamped after it is merged by this run. */
  now: string;
  watermarkType: WatermarkType;
  /** Count rows whose watermark is NULL (only for a nullable watermark column). */
  countNulls: boolean;
}

/** Markers in statement 2's result: the source's columns follow the first, the replica's the second. */
export const SOURCE_MARKER = '|SOURCE';
export const TARGET_MARKER = '|TARGET';

/**
 * Statement 2 of every run: the window, decided in one round trip.
 *
 * The last watermark is the previous run's WATERMARK_TO when that run succeeded (its control
 * row, read by primary key), else the state's. Bounds on the source are binds (index-eligible):
 * where the previous run ends if it succeeded. Narrowing to the last watermark is a filter on
 * what the index returned; when the previous run did not succeed the run plans again from the
 * state's watermark.
 *
 * Returns LAST_WM, LOW_WM (LAST_WM − lookback), PREV_STATUS (NULL when the previous run has no
 * control row: it is alive, or died), HIGH_WM (newest stamp among the first `batchSize` rows
 * after LAST_WM and not after NOW), BATCH_ROWS, LOOKBACK_ROWS (1 when a row sits in
 * (LOW_WM, LAST_WM]), FUTURE_ROWS and FUTURE_MAX (rows stamped after NOW), NULL_ROWS, then the
 * source's and the replica's columns (no rows: `LIMIT 0`) whose metadata the schema check reads.
 */
export function windowStatement(cfg: SyncConfig, q: QuotedNames, w: WindowInputs): SqlStatement {
  const wm = q.watermark;
  const type = w.watermarkType;
  const v = (sql: string): string => watermarkValue(type, sql);
  const sqlText = [
    // The previous run's row by key (0 or 1 row); aggregated, always one row.
    'WITH LAST_RUN AS (',
    `  SELECT LAST_WM, TO_VARCHAR(DATEADD('second', ?, ${ntz('LAST_WM')}), '${TS_FORMAT}') AS LOW_WM, PREV_STATUS FROM (`,
    "    SELECT COALESCE(MAX(IFF(SYNC_STATUS = 'SUCCESS', WM_TO, NULL)), ?) AS LAST_WM, MAX(SYNC_STATUS) AS PREV_STATUS FROM (",
    `      SELECT SYNC_STATUS, TO_VARCHAR(WATERMARK_TO, '${TS_FORMAT}') AS WM_TO FROM ${q.control} WHERE SYNC_RUN_ID = ?`,
    '    ) AS PREV',
    '  ) AS W',
    '), BATCH AS (',
    `  SELECT ${wm} AS WM FROM ${q.source} WHERE ${wm} > ${v('?')} AND ${wm} <= ${v('?')}`,
    `    AND ${wm} > ${v(`COALESCE((SELECT LAST_WM FROM LAST_RUN), '${EPOCH_FLOOR}')`)}`,
    `  ORDER BY ${wm} LIMIT ${cfg.batchSize}`,
    '), BA AS (',
    `  SELECT ${utcText(type, 'MAX(WM)')} AS HIGH_WM, COUNT(*) AS BATCH_ROWS FROM BATCH`,
    '), LB AS (',
    '  SELECT COUNT(*) AS LOOKBACK_ROWS FROM (',
    `    SELECT 1 AS X FROM ${q.source} WHERE ${wm} > ${v('?')} AND ${wm} <= ${v('?')}`,
    `      AND ${wm} > ${v('(SELECT LOW_WM FROM LAST_RUN)')} AND ${wm} <= ${v('(SELECT LAST_WM FROM LAST_RUN)')} LIMIT 1`,
    '  ) AS L',
    '), FUT AS (',
    `  SELECT COUNT(*) AS FUTURE_ROWS, ${utcText(type, `MAX(${wm})`)} AS FUTURE_MAX FROM ${q.source} WHERE ${wm} > ${v('?')}`,
    ')',
    'SELECT LAST_RUN.LAST_WM, LAST_RUN.LOW_WM, LAST_RUN.PREV_STATUS, BA.HIGH_WM, BA.BATCH_ROWS, LB.LOOKBACK_ROWS, FUT.FUTURE_ROWS, FUT.FUTURE_MAX,',
    `  ${w.countNulls ? `(SELECT COUNT(*) FROM ${q.source} WHERE ${wm} IS NULL)` : '0'} AS NULL_ROWS,`,
    `  '' AS "${SOURCE_MARKER}", S.*, '' AS "${TARGET_MARKER}", T.*`,
    'FROM LAST_RUN CROSS JOIN BA CROSS JOIN LB CROSS JOIN FUT',
    `LEFT JOIN (SELECT * FROM ${q.source} WHERE ${wm} > ${v('?')} LIMIT 0) AS S ON FALSE`,
    `LEFT JOIN (SELECT * FROM ${q.target} WHERE ${wm} > ${v('?')} LIMIT 0) AS T ON FALSE`,
  ].join('\n');
  const floorOr = (s: string | null): string => (s === null ? EPOCH_FLOOR : s);
  return {
    sqlText,
    binds: [
      -cfg.lookbackSeconds,
      w.stateWatermark,
      w.prevRunId === null ? -1 : w.prevRunId,
      floorOr(w.from),
      w.now,
      floorOr(w.fromLow),
      w.now,
      w.now,
      w.now,
      w.now,
    ],
  };
}

/**
 * The next batch of a backlog, every bound a bind: up to `batchSize` rows after `after` and not
 * after `now`, as HIGH_WM and BATCH_ROWS; a new run id for the batch, the clock (NOW), and the
 * seconds since `runStart` (a run stops starting batches long before its lease ends).
 */
export function nextBatchStatement(cfg: SyncConfig, q: QuotedNames, type: WatermarkType, after: string, now: string, runStart: string): SqlStatement {
  const wm = q.watermark;
  return {
    sqlText: [
      `WITH BATCH AS (SELECT ${wm} AS WM FROM ${q.source} WHERE ${wm} > ${watermarkValue(type, '?')} AND ${wm} <= ${watermarkValue(type, '?')} ORDER BY ${wm} LIMIT ${cfg.batchSize})`,
      `SELECT ${utcText(type, 'MAX(WM)')} AS HIGH_WM, COUNT(*) AS BATCH_ROWS,`,
      `  TO_VARCHAR(${q.sequence}.NEXTVAL) AS NEW_RUN_ID, TO_VARCHAR(SYSDATE(), '${TS_FORMAT}') AS NOW,`,
      `  TIMESTAMPDIFF('second', ${ntz('?')}, SYSDATE()) AS ELAPSED`,
      'FROM BATCH',
    ].join('\n'),
    binds: [after, now, runStart],
  };
}

/** Schema information kept in the state row, written when the full check ran. */
export interface SchemaRecord {
  fingerprint: string;
  watermarkType: WatermarkType;
  watermarkNullable: boolean;
}

/**
 * Claims the sync for a run: only if the state still names the run this one read (`prevRunId`),
 * so of two runs that read the same state, one claims and the other updates nothing. The lease
 * says how long the claim holds without a control row; the watermark is the run's starting point,
 * `plannedTo` where it ends if it succeeds.
 */
export function claimStatement(
  cfg: SyncConfig,
  q: QuotedNames,
  runId: string,
  prevRunId: string | null,
  watermark: string | null,
  plannedTo: string | null,
  schema: SchemaRecord | null,
): SqlStatement {
  const sets = [
    'RUN_ID = ?',
    'RUN_STARTED = SYSDATE()',
    `LEASE_UNTIL = DATEADD('second', ?, SYSDATE())`,
    `WATERMARK = ${ntz('?')}`,
    `RUN_WATERMARK_TO = ${ntz('?')}`,
    'UPDATED_AT = SYSDATE()',
  ];
  const binds: Array<string | number | null> = [runId, cfg.leaseSeconds, watermark, plannedTo];
  if (schema) {
    sets.push('SCHEMA_FINGERPRINT = ?', 'SCHEMA_CHECKED_AT = SYSDATE()', 'WATERMARK_TYPE = ?', 'WATERMARK_NULLABLE = (? = 1)');
    binds.push(schema.fingerprint, schema.watermarkType, schema.watermarkNullable ? 1 : 0);
  }
  binds.push(cfg.syncName, prevRunId === null ? -1 : prevRunId);
  return {
    sqlText: `UPDATE ${q.state} SET ${sets.join(', ')} WHERE SYNC_NAME = ? AND COALESCE(RUN_ID, -1) = ?`,
    binds,
  };
}

/**
 * The first state row of a sync. With `runId`, the run claims the sync as it creates the row;
 * of two first runs, the second fails on the primary key and stands aside.
 */
export function insertStateStatement(
  cfg: SyncConfig,
  q: QuotedNames,
  runId: string | null,
  watermark: string | null,
  plannedTo: string | null,
  schema: SchemaRecord,
): SqlStatement {
  return {
    sqlText:
      `INSERT INTO ${q.state} (SYNC_NAME, WATERMARK, RUN_WATERMARK_TO, RUN_ID, RUN_STARTED, LEASE_UNTIL, SCHEMA_FINGERPRINT, SCHEMA_CHECKED_AT, WATERMARK_TYPE, WATERMARK_NULLABLE, UPDATED_AT) ` +
      `SELECT ?, ${ntz('?')}, ${ntz('?')}, ?, IFF(? IS NULL, NULL, SYSDATE()), IFF(? IS NULL, NULL, DATEADD('second', ?, SYSDATE())), ?, SYSDATE(), ?, (? = 1), SYSDATE()`,
    binds: [cfg.syncName, watermark, plannedTo, runId, runId, runId, cfg.leaseSeconds, schema.fingerprint, schema.watermarkType, schema.watermarkNullable ? 1 : 0],
  };
}

/** Records a passed schema check without claiming (a run with nothing to merge). */
export function recordSchemaStatement(cfg: SyncConfig, q: QuotedNames, schema: SchemaRecord): SqlStatement {
  return {
    sqlText:
      `UPDATE ${q.state} SET SCHEMA_FINGERPRINT = ?, SCHEMA_CHECKED_AT = SYSDATE(), WATERMARK_TYPE = ?, WATERMARK_NULLABLE = (? = 1), UPDATED_AT = SYSDATE() ` +
      'WHERE SYNC_NAME = ?',
    binds: [schema.fingerprint, schema.watermarkType, schema.watermarkNullable ? 1 : 0, cfg.syncName],
  };
}

/** Who holds the sync now (named in a SKIPPED row after a lost claim). */
export function holderStatement(cfg: SyncConfig, q: QuotedNames): SqlStatement {
  return {
    sqlText: `SELECT TO_VARCHAR(RUN_ID) AS RUN_ID, TO_VARCHAR(RUN_STARTED, '${TS_FORMAT}') AS RUN_STARTED FROM ${q.state} WHERE SYNC_NAME = ?`,
    binds: [cfg.syncName],
  };
}

/** `DESCRIBE TABLE`: declared names, types (with length, precision, scale) and nullability. */
export function describeStatement(quotedTable: string): SqlStatement {
  return { sqlText: `DESCRIBE TABLE ${quotedTable}`, binds: [] };
}

/**
 * Read once, by the first run of a sync: the watermark before this version kept state (the
 * newest SUCCESS row of the sync), and the highest run id in the control table (the run-id
 * sequence must start above the ids an earlier version wrote).
 */
export function legacyWatermarkStatement(cfg: SyncConfig, q: QuotedNames): SqlStatement {
  return {
    sqlText:
      `SELECT TO_VARCHAR(WM, '${TS_FORMAT}') AS WM, TO_VARCHAR(DATEADD('second', ?, WM), '${TS_FORMAT}') AS LOW, MAX_ID FROM (` +
      `SELECT MAX(IFF(TABLE_NAME = ? AND SYNC_STATUS = 'SUCCESS', WATERMARK_TO, NULL)) AS WM, TO_VARCHAR(MAX(SYNC_RUN_ID)) AS MAX_ID FROM ${q.control})`,
    binds: [-cfg.lookbackSeconds, cfg.syncName],
  };
}

/** Closes RUNNING rows that runs of an earlier version left behind (read once, at migration). */
export function closeLegacyRunningStatement(cfg: SyncConfig, q: QuotedNames, runId: string): SqlStatement {
  return {
    sqlText:
      `UPDATE ${q.control} SET SYNC_STATUS = 'FAILED', SYNC_END_TIMESTAMP = SYSDATE(), ERROR_MESSAGE = ? ` +
      "WHERE TABLE_NAME = ? AND SYNC_STATUS = 'RUNNING'",
    binds: [
      `Left RUNNING by a run of an earlier hybrid-sync version (killed, timed out or replaced by the upgrade); closed by run ${runId}. Rows of its window may have been merged; they are merged again.`,
      cfg.syncName,
    ],
  };
}

/** One control row: every run (or batch) writes exactly one, once it has ended. */
export interface RunRow {
  runId: string;
  status: 'SUCCESS' | 'FAILED' | 'SKIPPED';
  /** When the run (batch) started, UTC, in TS_FORMAT; null for the statement's own clock. */
  started: string | null;
  /** When it ended; null for the statement's own clock. */
  ended?: string | null;
  watermarkFrom: string | null;
  watermarkTo: string | null;
  inserted: number;
  updated: number;
  batch: number;
  error: string | null;
  nullRows: number | null;
  futureRows: number | null;
  futureMax: string | null;
}

/** Writes a run's control row with its outcome. */
export function logRunStatement(cfg: SyncConfig, q: QuotedNames, r: RunRow): SqlStatement {
  const clock = (bindIt: boolean): string => (bindIt ? ntz('?') : 'SYSDATE()');
  const binds: Array<string | number | null> = [r.runId, cfg.syncName];
  if (r.started !== null) binds.push(r.started);
  if (r.ended) binds.push(r.ended);
  binds.push(r.watermarkFrom, r.watermarkTo, r.inserted, r.updated, r.inserted + r.updated, r.status, r.error, r.batch, r.nullRows, r.futureRows, r.futureMax);
  return {
    sqlText:
      `INSERT INTO ${q.control} (SYNC_RUN_ID, TABLE_NAME, SYNC_START_TIMESTAMP, SYNC_END_TIMESTAMP, WATERMARK_FROM, WATERMARK_TO, ` +
      'ROWS_INSERTED, ROWS_UPDATED, ROWS_PROCESSED, SYNC_STATUS, ERROR_MESSAGE, BATCH_NUMBER, NULL_WATERMARK_ROWS, FUTURE_ROWS, FUTURE_MAX_WATERMARK) ' +
      `VALUES (?, ?, ${clock(r.started !== null)}, ${clock(Boolean(r.ended))}, ${ntz('?')}, ${ntz('?')}, ?, ?, ?, ?, ?, ?, ?, ?, ${ntz('?')})`,
    binds,
  };
}

/** A FAILED row for a run that failed before it had a run id (statement 1 failed). */
export function failedWithoutIdStatement(cfg: SyncConfig, q: QuotedNames, message: string): SqlStatement {
  return {
    sqlText:
      `INSERT INTO ${q.control} (SYNC_RUN_ID, TABLE_NAME, SYNC_START_TIMESTAMP, SYNC_END_TIMESTAMP, ROWS_INSERTED, ROWS_UPDATED, ROWS_PROCESSED, SYNC_STATUS, ERROR_MESSAGE, BATCH_NUMBER) ` +
      `VALUES (${q.sequence}.NEXTVAL, ?, SYSDATE(), SYSDATE(), 0, 0, 0, 'FAILED', ?, 1)`,
    binds: [cfg.syncName, message],
  };
}

/**
 * A run that was declared dead finished after all: its FAILED row (written by the run that took
 * over) becomes the SUCCESS it was, saying what happened.
 */
export function lateFinishStatement(q: QuotedNames, syncName: string, r: RunRow, note: string): SqlStatement {
  return {
    sqlText:
      `UPDATE ${q.control} SET SYNC_STATUS = 'SUCCESS', SYNC_END_TIMESTAMP = SYSDATE(), WATERMARK_TO = ${ntz('?')}, ` +
      "ROWS_INSERTED = ?, ROWS_UPDATED = ?, ROWS_PROCESSED = ?, ERROR_MESSAGE = ? WHERE SYNC_RUN_ID = ? AND TABLE_NAME = ? AND SYNC_STATUS = 'FAILED'",
    binds: [r.watermarkTo, r.inserted, r.updated, r.inserted + r.updated, note, r.runId, syncName],
  };
}

/**
 * Merges the source rows with `low < watermark <= high` (no low bound when `low` is null).
 *
 * A matched row is updated only when the source version is at least as new as the replica's
 * and differs in some column, so re-running a window writes nothing and the replica never goes
 * back to an older version. Counts come from the MERGE itself (`getNumRowsInserted/Updated`).
 */
export function mergeStatement(q: QuotedNames, type: WatermarkType, low: string | null, high: string): SqlStatement {
  const wm = q.watermark;
  const v = watermarkValue(type, '?');
  const where = low === null ? `${wm} <= ${v}` : `${wm} > ${v} AND ${wm} <= ${v}`;
  const on = q.keys.map((k) => `T.${k} = S.${k}`).join(' AND ');
  const differs = q.valueColumns.map((c) => `T.${c} IS DISTINCT FROM S.${c}`).join(' OR ');
  const sets = q.valueColumns.map((c) => `${c} = S.${c}`).join(', ');
  const sqlText = [
    `MERGE INTO ${q.target} AS T`,
    `USING (SELECT ${q.columns.join(', ')} FROM ${q.source} WHERE ${where}) AS S`,
    `ON ${on}`,
    `WHEN MATCHED AND S.${wm} >= T.${wm} AND (${differs}) THEN UPDATE SET ${sets}`,
    `WHEN NOT MATCHED THEN INSERT (${q.columns.join(', ')}) VALUES (${q.columns.map((c) => 'S.' + c).join(', ')})`,
  ].join('\n');
  return { sqlText, binds: low === null ? [high] : [low, high] };
}

/**
 * Deletes history older than `retainDays` from the control table, keeping each sync's latest
 * claimed run (its row carries the watermark). Rows are found by the SYNC_START_TIMESTAMP index.
 */
export function purgeStatement(control: string, state: string, retainDays: number): SqlStatement {
  return {
    sqlText:
      `DELETE FROM ${control} WHERE SYNC_START_TIMESTAMP < DATEADD('day', ?, SYSDATE()) ` +
      `AND SYNC_RUN_ID NOT IN (SELECT RUN_ID FROM ${state} WHERE RUN_ID IS NOT NULL)`,
    binds: [-retainDays],
  };
}
