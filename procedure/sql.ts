/**
 * The SQL a sync run issues, built from a validated `SyncConfig`. Pure text builders: no
 * execution here. Identifiers are quoted by `identifiers.ts`; every value is a `?` bind.
 *
 * Watermarks travel as strings in `TS_FORMAT` and are parsed back by `TO_TIMESTAMP_NTZ(?, fmt)`
 * inside SQL, so no value ever passes through a JavaScript `Date` (millisecond precision).
 * Strings in this fixed-width format also compare correctly as text.
 */
import type { SyncConfig } from './config.js';
import { quoteName, quoteTable } from './identifiers.js';

/** The one timestamp format used on the wire between SQL and the procedure. */
export const TS_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9';

/** Before any real data: the low bound of a first run. */
export const EPOCH_FLOOR = '0001-01-01 00:00:00.000000000';

/** Longest ERROR_MESSAGE stored (the column is VARCHAR(4000)). */
export const ERROR_MESSAGE_LIMIT = 4000;

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
  if (cfg.planMode !== 'combined' && cfg.planMode !== 'indexed') {
    throw new ConfigError(`planMode must be 'combined' or 'indexed', got ${JSON.stringify(cfg.planMode)}`);
  }
  if (!isPositiveInteger(cfg.maxBatches)) {
    throw new ConfigError(`maxBatches must be a positive whole number, got ${String(cfg.maxBatches)}`);
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
  if (source === target) throw new ConfigError('source and target table must differ');
  // One statement reads or writes several of these hybrid tables, and "all the hybrid tables
  // referenced in a transaction must reside in the same database"
  // (https://docs.snowflake.com/en/user-guide/tables-hybrid-limitations).
  const databases: string[] = [];
  for (const t of [source, target, control]) {
    const parts = t.match(/"(?:[^"]|"")+"/g) as string[];
    if (parts.length === 3) databases.push(parts[0] as string);
  }
  if (databases.length > 0 && (databases.length !== 3 || databases.some((d) => d !== databases[0]))) {
    throw new ConfigError(
      'source, target and control table must be in the same database (a Snowflake transaction cannot span hybrid tables ' +
        'of several databases): qualify all three with the same DATABASE, or none of them',
    );
  }
  return {
    source,
    target,
    control,
    keys,
    watermark,
    columns,
    valueColumns: columns.filter((c) => keys.indexOf(c) < 0),
  };
}

/** `(database prefix, schema expression, table name)` for looking a table up in INFORMATION_SCHEMA. */
function tableLocation(quotedTable: string): { infoSchema: string; schema: string; table: string } {
  const parts = quotedTable.match(/"(?:[^"]|"")+"/g) as string[];
  const lit = (quoted: string): string => "'" + quoted.slice(1, -1).replace(/""/g, '"').replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";
  const table = lit(parts[parts.length - 1] as string);
  const schema = parts.length >= 2 ? lit(parts[parts.length - 2] as string) : 'CURRENT_SCHEMA()';
  const infoSchema = parts.length === 3 ? `${parts[0] as string}.INFORMATION_SCHEMA.COLUMNS` : 'INFORMATION_SCHEMA.COLUMNS';
  return { infoSchema, schema, table };
}

/** Counts a table's columns through INFORMATION_SCHEMA (0 when the table does not exist). */
function columnCount(quotedTable: string): string {
  const l = tableLocation(quotedTable);
  return `(SELECT COUNT(*) FROM ${l.infoSchema} WHERE TABLE_SCHEMA = ${l.schema} AND TABLE_NAME = ${l.table})`;
}

/** Lists the columns of source and replica, to name a schema mismatch. */
export function columnsStatement(q: QuotedNames): SqlStatement {
  const one = (side: string, quoted: string): string => {
    const l = tableLocation(quoted);
    return `SELECT '${side}' AS SIDE, COLUMN_NAME FROM ${l.infoSchema} WHERE TABLE_SCHEMA = ${l.schema} AND TABLE_NAME = ${l.table}`;
  };
  return { sqlText: `${one('SOURCE', q.source)}\nUNION ALL\n${one('TARGET', q.target)}`, binds: [] };
}

/**
 * The newest SUCCESS row's WATERMARK_TO (watermarks never go back), read through the control
 * table's index rather than by a MAX over its whole history. Binds the sync name; the caller
 * closes the parenthesis.
 */
const lastOkCte = (q: QuotedNames): string[] => [
  'WITH LAST_OK AS (',
  `  SELECT WATERMARK_TO AS WM FROM ${q.control}`,
  "  WHERE TABLE_NAME = ? AND SYNC_STATUS = 'SUCCESS' AND WATERMARK_TO IS NOT NULL",
  '  ORDER BY SYNC_RUN_ID DESC LIMIT 1',
];

const ts = (expr: string): string => `TO_VARCHAR(${expr}, '${TS_FORMAT}')`;
const bindTs = `TO_TIMESTAMP_NTZ(?, '${TS_FORMAT}')`;

/**
 * The first statement of a run: everything the run needs to decide, in one round trip.
 * Returns one row: LAST_WM (last successful watermark, or NULL), LOW_WM (LAST_WM minus the
 * lookback), HIGH_WM (the newest watermark among the first `batchSize` source rows past LAST_WM),
 * BATCH_ROWS, LOOKBACK_ROWS (1 when any row sits in the lookback (LOW_WM, LAST_WM], else 0),
 * RUNNING_ROWS (control rows of this sync still RUNNING), NEXT_RUN_ID, and the column
 * counts of source and replica (a schema change is caught before anything is written).
 *
 * The last watermark is the newest SUCCESS row's WATERMARK_TO (watermarks never go back), read
 * through the control table's index rather than by a MAX over its whole history.
 */
export function planStatement(cfg: SyncConfig, q: QuotedNames): SqlStatement {
  const wm = q.watermark;
  const sqlText = [
    ...lastOkCte(q),
    '), WIN AS (',
    "  SELECT MAX(WM) AS LAST_WM, DATEADD('second', ?, MAX(WM)) AS LOW_WM FROM LAST_OK",
    '), BATCH AS (',
    `  SELECT S.${wm} AS WM FROM ${q.source} AS S`,
    `  WHERE S.${wm} > COALESCE((SELECT LAST_WM FROM WIN), ${bindTs})`,
    `  ORDER BY S.${wm} LIMIT ${cfg.batchSize}`,
    ')',
    'SELECT',
    `  ${ts('(SELECT LAST_WM FROM WIN)')} AS LAST_WM,`,
    `  ${ts('(SELECT LOW_WM FROM WIN)')} AS LOW_WM,`,
    `  ${ts('(SELECT MAX(WM) FROM BATCH)')} AS HIGH_WM,`,
    '  (SELECT COUNT(*) FROM BATCH) AS BATCH_ROWS,',
    `  (SELECT COUNT(*) FROM (SELECT 1 AS X FROM ${q.source} AS L WHERE L.${wm} > (SELECT LOW_WM FROM WIN) AND L.${wm} <= (SELECT LAST_WM FROM WIN) LIMIT 1)) AS LOOKBACK_ROWS,`,
    `  (SELECT COUNT(*) FROM ${q.control} WHERE TABLE_NAME = ? AND SYNC_STATUS = 'RUNNING') AS RUNNING_ROWS,`,
    `  (SELECT COALESCE(MAX(SYNC_RUN_ID), 0) + 1 FROM ${q.control}) AS NEXT_RUN_ID,`,
    `  ${columnCount(q.source)} AS SOURCE_COLUMNS,`,
    `  ${columnCount(q.target)} AS TARGET_COLUMNS`,
  ].join('\n');
  return { sqlText, binds: [cfg.syncName, -cfg.lookbackSeconds, EPOCH_FLOOR, cfg.syncName] };
}

/**
 * The control-table half of the plan, for `planMode: 'indexed'`: LAST_WM, LOW_WM, RUNNING_ROWS,
 * NEXT_RUN_ID and the column counts, without touching the source.
 */
export function controlPlanStatement(cfg: SyncConfig, q: QuotedNames): SqlStatement {
  const sqlText = [
    ...lastOkCte(q),
    ')',
    'SELECT',
    `  ${ts('MAX(WM)')} AS LAST_WM,`,
    `  ${ts("DATEADD('second', ?, MAX(WM))")} AS LOW_WM,`,
    `  (SELECT COUNT(*) FROM ${q.control} WHERE TABLE_NAME = ? AND SYNC_STATUS = 'RUNNING') AS RUNNING_ROWS,`,
    `  (SELECT COALESCE(MAX(SYNC_RUN_ID), 0) + 1 FROM ${q.control}) AS NEXT_RUN_ID,`,
    `  ${columnCount(q.source)} AS SOURCE_COLUMNS,`,
    `  ${columnCount(q.target)} AS TARGET_COLUMNS`,
    'FROM LAST_OK',
  ].join('\n');
  return { sqlText, binds: [cfg.syncName, -cfg.lookbackSeconds, cfg.syncName] };
}

/**
 * The source half of a plan: the batch of up to `batchSize` rows strictly after `after`, as
 * HIGH_WM and BATCH_ROWS, every bound a constant bind (index-friendly). With `lookback`, also
 * LOOKBACK_ROWS: 1 when any row sits in (lookback.low, lookback.last].
 *
 * Used for each further batch of a run, and as the plan's second statement in `indexed` mode.
 * Only the first batch of a run re-reads the lookback window, and the batch size counts only
 * rows past the last watermark: were the lookback counted against the batches, a lookback
 * holding more rows than `batchSize × maxBatches` would fill every run with rows already merged
 * and the watermark would never move again.
 */
export function nextBatchStatement(
  cfg: SyncConfig,
  q: QuotedNames,
  after: string,
  lookback?: { low: string | null; last: string | null },
): SqlStatement {
  const wm = q.watermark;
  const lines = [
    `WITH BATCH AS (SELECT ${wm} AS WM FROM ${q.source} WHERE ${wm} > ${bindTs} ORDER BY ${wm} LIMIT ${cfg.batchSize})`,
    `SELECT ${ts('MAX(WM)')} AS HIGH_WM, COUNT(*) AS BATCH_ROWS` +
      (lookback
        ? `, (SELECT COUNT(*) FROM (SELECT 1 AS X FROM ${q.source} WHERE ${wm} > ${bindTs} AND ${wm} <= ${bindTs} LIMIT 1)) AS LOOKBACK_ROWS`
        : ''),
    'FROM BATCH',
  ];
  const binds: Array<string | number | null> = [after];
  // Before the first sync there is no lookback window: (floor, floor] holds nothing.
  if (lookback) binds.push(lookback.low ?? EPOCH_FLOOR, lookback.last ?? EPOCH_FLOOR);
  return { sqlText: lines.join('\n'), binds };
}

/** Closes control rows of this sync left RUNNING by a run that was killed or timed out. */
export function closeStaleStatement(cfg: SyncConfig, q: QuotedNames, runId: number): SqlStatement {
  return {
    sqlText:
      `UPDATE ${q.control} SET SYNC_STATUS = 'FAILED', SYNC_END_TIMESTAMP = SYSDATE(), ERROR_MESSAGE = ? ` +
      "WHERE TABLE_NAME = ? AND SYNC_STATUS = 'RUNNING' AND SYNC_RUN_ID < ?",
    binds: [
      `Run did not finish (killed, timed out or its session ended); closed by run ${runId}.`,
      cfg.syncName,
      runId,
    ],
  };
}

/** The control row of a batch, opened RUNNING before its MERGE. */
export function openRunStatement(
  cfg: SyncConfig,
  q: QuotedNames,
  runId: number,
  batch: number,
  from: string | null,
): SqlStatement {
  return {
    sqlText:
      `INSERT INTO ${q.control} (SYNC_RUN_ID, TABLE_NAME, SYNC_START_TIMESTAMP, WATERMARK_FROM, SYNC_STATUS, BATCH_NUMBER) ` +
      `VALUES (?, ?, SYSDATE(), ${bindTs}, 'RUNNING', ?)`,
    binds: [runId, cfg.syncName, from, batch],
  };
}

/**
 * A run that found nothing to merge: one finished SUCCESS row, watermark unchanged.
 * (A steady-state idle run is two statements: the plan and this.)
 */
export function idleRunStatement(cfg: SyncConfig, q: QuotedNames, runId: number, from: string | null, to: string | null): SqlStatement {
  return {
    sqlText:
      `INSERT INTO ${q.control} (SYNC_RUN_ID, TABLE_NAME, SYNC_START_TIMESTAMP, SYNC_END_TIMESTAMP, WATERMARK_FROM, WATERMARK_TO, ` +
      'ROWS_INSERTED, ROWS_UPDATED, ROWS_PROCESSED, SYNC_STATUS, BATCH_NUMBER) ' +
      `VALUES (?, ?, SYSDATE(), SYSDATE(), ${bindTs}, ${bindTs}, 0, 0, 0, 'SUCCESS', 1)`,
    binds: [runId, cfg.syncName, from, to],
  };
}

/**
 * Merges the source rows with `low < watermark <= high` (no low bound when `low` is null).
 *
 * A matched row is updated only when the source version is at least as new as the replica's
 * and differs in some column, so re-running a window writes nothing and the replica never goes
 * back to an older version. Counts come from the MERGE's own result columns.
 */
export function mergeStatement(q: QuotedNames, low: string | null, high: string): SqlStatement {
  const wm = q.watermark;
  const where = low === null ? `${wm} <= ${bindTs}` : `${wm} > ${bindTs} AND ${wm} <= ${bindTs}`;
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

/** Closes a batch's control row as SUCCESS with the MERGE's counts and the new watermark. */
export function finishRunStatement(
  q: QuotedNames,
  runId: number,
  to: string,
  inserted: number,
  updated: number,
): SqlStatement {
  return {
    sqlText:
      `UPDATE ${q.control} SET SYNC_STATUS = 'SUCCESS', SYNC_END_TIMESTAMP = SYSDATE(), WATERMARK_TO = ${bindTs}, ` +
      'ROWS_INSERTED = ?, ROWS_UPDATED = ?, ROWS_PROCESSED = ? WHERE SYNC_RUN_ID = ?',
    binds: [to, inserted, updated, inserted + updated, runId],
  };
}

/** Closes a batch's control row as FAILED with the error. */
export function failRunStatement(q: QuotedNames, runId: number, message: string): SqlStatement {
  return {
    sqlText:
      `UPDATE ${q.control} SET SYNC_STATUS = 'FAILED', SYNC_END_TIMESTAMP = SYSDATE(), ERROR_MESSAGE = ? ` +
      'WHERE SYNC_RUN_ID = ?',
    binds: [message, runId],
  };
}

/**
 * A FAILED row for a run that failed before it could open one (e.g. the plan query failed
 * because the source table is gone). Its id is computed in SQL since the plan gave none.
 */
export function failedRunInsertStatement(cfg: SyncConfig, q: QuotedNames, message: string): SqlStatement {
  return {
    sqlText:
      `INSERT INTO ${q.control} (SYNC_RUN_ID, TABLE_NAME, SYNC_START_TIMESTAMP, SYNC_END_TIMESTAMP, ` +
      'ROWS_INSERTED, ROWS_UPDATED, ROWS_PROCESSED, SYNC_STATUS, ERROR_MESSAGE, BATCH_NUMBER) ' +
      `SELECT COALESCE(MAX(SYNC_RUN_ID), 0) + 1, ?, SYSDATE(), SYSDATE(), 0, 0, 0, 'FAILED', ?, 1 FROM ${q.control}`,
    binds: [cfg.syncName, message],
  };
}
