/**
 * The stored procedures hybrid-sync ships. `npm run build:proc` compiles each exported function
 * whose first parameter is `Snowflake` into a `CREATE PROCEDURE` (see build/): the remaining
 * parameters become SQL arguments, JSDoc tags override the derived signature.
 */
import { PIPELINE_RUN_HISTORY, type SyncConfig } from './config.js';
import { ConfigError } from './sql.js';
import type { Snowflake } from './snowflake-api.js';
import { DEFAULT_RECONCILE, reconcile, type ReconcileSummary } from './reconcile.js';
import { runSync, type SyncSummary } from './sync.js';
import { purgeHistory, type PurgeSummary } from './purge.js';
import { NOTIFY_TABLES, notifySyncs, type NotifySummary } from './alert.js';

/**
 * Syncs ETL_PIPELINE_RUN_HISTORY_LOG into ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION and logs the
 * run in ETL_PIPELINE_SYNC_CONTROL. Called every minute by SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION.
 *
 * @procedure SYNC_PIPELINE_RUN_HISTORY_PROC
 * @returnsSql VARIANT
 * @executeAs OWNER
 * @comment hybrid-sync: watermark sync of ETL_PIPELINE_RUN_HISTORY_LOG into its replica; logs to ETL_PIPELINE_SYNC_CONTROL
 * @output sync_pipeline_run_history.sql
 */
export function syncPipelineRunHistoryProc(snowflake: Snowflake): SyncSummary {
  return runSync(snowflake, PIPELINE_RUN_HISTORY, { resyncHint: DEFAULT_RESYNC_HINT });
}

const DEFAULT_RESYNC_HINT = "CALL RESYNC_PIPELINE_RUN_HISTORY_PROC() (everything) or CALL RESYNC_PIPELINE_RUN_HISTORY_PROC('YYYY-MM-DD HH24:MI:SS') (rows stamped after that UTC time)";

/**
 * Re-merges the replica from the source in place, in batches, after a schema fix or to repair
 * it: every source row stamped after FROM_WATERMARK (UTC, 'YYYY-MM-DD HH24:MI:SS[.FF9]'), or
 * every row when it is NULL. Logged in the control table like any run; the scheduled runs carry
 * on from where it stopped when the backlog takes more than one call.
 *
 * @procedure RESYNC_PIPELINE_RUN_HISTORY_PROC
 * @returnsSql VARIANT
 * @executeAs OWNER
 * @comment hybrid-sync: re-merge ETL_PIPELINE_RUN_HISTORY_LOG into its replica in place, from a watermark or from the start
 * @output sync_pipeline_run_history.sql
 */
export function resyncPipelineRunHistoryProc(snowflake: Snowflake, fromWatermark?: string): SyncSummary {
  return runSync(snowflake, PIPELINE_RUN_HISTORY, { resyncFrom: normalizeWatermark(fromWatermark), resyncHint: DEFAULT_RESYNC_HINT });
}

/** Accepts `YYYY-MM-DD[ HH24:MI:SS[.fraction]]` (or with `T`), returns TS_FORMAT; null for none. */
export function normalizeWatermark(from: string | null | undefined): string | null {
  if (from === undefined || from === null || from === '') return null;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?Z?$/.exec(String(from).trim());
  if (!m) {
    throw new ConfigError(`FROM_WATERMARK ${JSON.stringify(from)} is not a UTC timestamp: use 'YYYY-MM-DD HH24:MI:SS' (e.g. '2026-01-31 00:00:00'), or NULL for the whole table`);
  }
  const frac = ((m[5] ?? '') + '000000000').slice(0, 9);
  return `${m[1]} ${m[2] ?? '00'}:${m[3] ?? '00'}:${m[4] ?? '00'}.${frac}`;
}

/** The fields `HYBRID_SYNC_TABLE` accepts; everything but the tables and columns has a default. */
export interface SyncTableOptions {
  sourceTable: string;
  targetTable: string;
  keyColumns: string[];
  columns: string[];
  watermarkColumn?: string;
  controlTable?: string;
  syncName?: string;
  lookbackSeconds?: number;
  batchSize?: number;
  maxBatches?: number;
  leaseSeconds?: number;
  stateTable?: string;
  runIdSequence?: string;
  /** Columns of either table beyond `columns` are left alone (default: they stop the sync). */
  allowExtraColumns?: boolean;
  /** Accepted and ignored: every run now plans with index-eligible statements. */
  planMode?: 'combined' | 'indexed';
}

/** Fills the defaults of a `HYBRID_SYNC_TABLE` config; rejects unknown fields by name. */
export function resolveSyncConfig(options: SyncTableOptions): SyncConfig {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigError('CONFIG must be an OBJECT, e.g. {\'sourceTable\': \'SRC\', \'targetTable\': \'TGT\', \'keyColumns\': [\'ID\'], \'columns\': [...]}');
  }
  const known = [
    'sourceTable', 'targetTable', 'keyColumns', 'columns', 'watermarkColumn', 'controlTable', 'stateTable', 'runIdSequence',
    'syncName', 'lookbackSeconds', 'batchSize', 'maxBatches', 'leaseSeconds', 'planMode', 'allowExtraColumns',
  ];
  for (const k of Object.keys(options)) {
    if (known.indexOf(k) < 0) throw new ConfigError(`unknown CONFIG field '${k}'; known fields: ${known.join(', ')}`);
  }
  for (const k of ['sourceTable', 'targetTable'] as const) {
    if (typeof options[k] !== 'string') throw new ConfigError(`CONFIG.${k} is required (a table name)`);
  }
  const d = PIPELINE_RUN_HISTORY;
  return {
    sourceTable: options.sourceTable,
    targetTable: options.targetTable,
    keyColumns: options.keyColumns,
    columns: options.columns,
    watermarkColumn: options.watermarkColumn ?? d.watermarkColumn,
    controlTable: options.controlTable ?? d.controlTable,
    stateTable: options.stateTable ?? d.stateTable,
    runIdSequence: options.runIdSequence ?? d.runIdSequence,
    syncName: options.syncName ?? options.sourceTable,
    lookbackSeconds: options.lookbackSeconds ?? d.lookbackSeconds,
    batchSize: options.batchSize ?? d.batchSize,
    maxBatches: options.maxBatches ?? d.maxBatches,
    leaseSeconds: options.leaseSeconds ?? d.leaseSeconds,
    allowExtraColumns: options.allowExtraColumns === true,
  };
}

/**
 * Syncs any source/replica pair described by CONFIG, logging into the same control table.
 *
 * @procedure HYBRID_SYNC_TABLE
 * @returnsSql VARIANT
 * @executeAs OWNER
 * @comment hybrid-sync: watermark sync of any table pair; CONFIG names tables, key, columns, watermark
 * @output sync_pipeline_run_history.sql
 */
export function hybridSyncTable(snowflake: Snowflake, config: SyncTableOptions): SyncSummary {
  return runSync(snowflake, resolveSyncConfig(config), { resyncHint: GENERIC_RESYNC_HINT });
}

const GENERIC_RESYNC_HINT = "CALL HYBRID_SYNC_RESYNC(<the same CONFIG>) (everything) or CALL HYBRID_SYNC_RESYNC(<CONFIG>, 'YYYY-MM-DD HH24:MI:SS')";

/**
 * Re-merges any pair described by CONFIG in place, in batches: every source row stamped after
 * FROM_WATERMARK (UTC), or every row when it is NULL. Logged like any run of that sync.
 *
 * @procedure HYBRID_SYNC_RESYNC
 * @returnsSql VARIANT
 * @executeAs OWNER
 * @comment hybrid-sync: re-merge any table pair in place from a watermark or from the start
 * @output sync_pipeline_run_history.sql
 */
export function hybridSyncResync(snowflake: Snowflake, config: SyncTableOptions, fromWatermark?: string): SyncSummary {
  return runSync(snowflake, resolveSyncConfig(config), { resyncFrom: normalizeWatermark(fromWatermark), resyncHint: GENERIC_RESYNC_HINT });
}

/**
 * Deletes control-table rows (and reconciliation-log rows) older than RETAIN_DAYS (default 90),
 * keeping each sync's latest run. Called daily by PURGE_SYNC_HISTORY_DAILY, so a minute
 * schedule's 525,600 rows a year never pile up.
 *
 * @procedure PURGE_SYNC_HISTORY_PROC
 * @returnsSql VARIANT
 * @executeAs OWNER
 * @comment hybrid-sync: delete run history older than RETAIN_DAYS (default 90) from the control table and the reconciliation log
 * @output sync_pipeline_run_history.sql
 */
export function purgeSyncHistoryProc(snowflake: Snowflake, retainDays?: number): PurgeSummary {
  return purgeHistory(snowflake, PIPELINE_RUN_HISTORY, DEFAULT_RECONCILE.logTable, retainDays === undefined || retainDays === null ? 90 : retainDays);
}

/**
 * Compares ETL_PIPELINE_RUN_HISTORY_LOG with its replica bucket by bucket (COUNT and HASH_AGG),
 * logs the check in ETL_PIPELINE_RECONCILE_LOG and returns the mismatched buckets and keys.
 * With REPAIR, re-merges the mismatched buckets from the source; with DELETE_EXTRA as well,
 * deletes replica rows whose key is gone from the source.
 *
 * @procedure RECONCILE_PIPELINE_RUN_HISTORY_PROC
 * @returnsSql VARIANT
 * @executeAs OWNER
 * @comment hybrid-sync: reconcile ETL_PIPELINE_RUN_HISTORY_LOG with its replica; REPAIR and DELETE_EXTRA are opt-in
 * @output reconcile_pipeline_run_history.sql
 */
export function reconcilePipelineRunHistoryProc(snowflake: Snowflake, repair?: boolean, deleteExtra?: boolean): ReconcileSummary {
  return reconcile(snowflake, PIPELINE_RUN_HISTORY, {
    ...DEFAULT_RECONCILE,
    repair: isTrue(repair),
    deleteExtra: isTrue(repair) && isTrue(deleteExtra),
  });
}

/**
 * A BOOLEAN argument as the procedure receives it: JavaScript `true`, or 1 (the SQL-JavaScript
 * mapping table of https://docs.snowflake.com/en/developer-guide/udf-stored-procedure-data-type-mapping
 * lists a BOOLEAN as a number 1/0 in some contexts), so TRUE turns the option on either way.
 */
function isTrue(value: unknown): boolean {
  return value === true || value === 1;
}

/**
 * Reconciles any pair described by CONFIG (the fields of HYBRID_SYNC_TABLE), logs the check in
 * ETL_PIPELINE_RECONCILE_LOG under the sync's name, and repairs on request, as
 * RECONCILE_PIPELINE_RUN_HISTORY_PROC does for the shipped pair.
 *
 * @procedure HYBRID_SYNC_RECONCILE
 * @returnsSql VARIANT
 * @executeAs OWNER
 * @comment hybrid-sync: reconcile any table pair with its replica; REPAIR and DELETE_EXTRA are opt-in
 * @output reconcile_pipeline_run_history.sql
 */
export function hybridSyncReconcile(snowflake: Snowflake, config: SyncTableOptions, repair?: boolean, deleteExtra?: boolean): ReconcileSummary {
  return reconcile(snowflake, resolveSyncConfig(config), {
    ...DEFAULT_RECONCILE,
    repair: isTrue(repair),
    deleteExtra: isTrue(repair) && isTrue(deleteExtra),
  });
}

/**
 * The alert's action: emails RECIPIENTS through INTEGRATION about every sync whose last run
 * failed, or whose replica lags or last success is older than its limit (LAG_BY_SYNC's entry for
 * it, else LAG_SECONDS), once per incident (ETL_PIPELINE_SYNC_ALERT_STATE remembers what was
 * reported; a recovered sync is forgotten).
 *
 * @procedure HYBRID_SYNC_ALERT_NOTIFY
 * @returnsSql VARIANT
 * @executeAs OWNER
 * @comment hybrid-sync: the alert's action: one email per incident naming the syncs that need attention
 * @output alerts.sql
 */
export function hybridSyncAlertNotify(snowflake: Snowflake, integration: string, recipients: string, lagSeconds: number, lagBySync?: { [sync: string]: number }): NotifySummary {
  return notifySyncs(snowflake, NOTIFY_TABLES, integration, recipients, lagSeconds, lagBySync);
}
