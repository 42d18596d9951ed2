/**
 * The SQL of every object besides the procedures: tables, task, monitoring views. One source
 * of SQL text for `dist/` (via scripts/build.ts) and for deploy (with its options filled in).
 */
import { PIPELINE_RUN_COLUMNS, type ColumnSpec, type SyncConfig } from '../procedure/config.js';
import { canonicalName, quoteName, quoteTable } from '../procedure/identifiers.js';
import { sourceMaxSelect, type StatusSource } from '../manifest/status-sources.js';
import { NAMES } from '../manifest/objects.js';
import { validateAlertSchedule, validateSchedule } from '../manifest/schedule.js';

/** Task settings; the defaults give the seed's task. */
export interface TaskOptions {
  /** Task name. */
  name: string;
  /** The procedure the task calls. */
  procedure: string;
  /** Warehouse name, or `null` for a serverless task. */
  warehouse: string | null;
  /** `N MINUTE` / `N SECOND(S)` / `N HOUR(S)` or `USING CRON <expr> <tz>`. */
  schedule: string;
  /** Suspends the task after this many failed runs in a row (0 = never). */
  suspendAfterFailures: number;
  /** Notification integration for task errors, optional. */
  errorIntegration?: string | null;
  /** Runs longer than this are cancelled, in ms. */
  timeoutMs: number;
  /** TASK_AUTO_RETRY_ATTEMPTS: retries of a failed run (0, Snowflake's default, is not written). */
  retryAttempts?: number;
}

/** The seed's task: every minute on a placeholder warehouse to be replaced by yours. */
export const DEFAULT_TASK: TaskOptions = {
  name: NAMES.syncTask,
  procedure: NAMES.syncProcedure,
  warehouse: 'COMPUTE_WH',
  schedule: '1 MINUTE',
  suspendAfterFailures: 10,
  errorIntegration: null,
  timeoutMs: 600000,
};

/**
 * The control table's columns: the seed's eleven, the batch number, and what a run saw of the
 * source's NULL and future stamps. Columns after the seed's are added in place to an existing
 * table (`ADD COLUMN IF NOT EXISTS`), so an upgrade keeps the history.
 */
export const CONTROL_COLUMNS: ColumnSpec[] = [
  { name: 'SYNC_RUN_ID', type: 'NUMBER(38,0)', notNull: true },
  { name: 'TABLE_NAME', type: 'VARCHAR(255)', notNull: true },
  { name: 'SYNC_START_TIMESTAMP', type: 'TIMESTAMP_NTZ(9)', notNull: true },
  { name: 'SYNC_END_TIMESTAMP', type: 'TIMESTAMP_NTZ(9)' },
  { name: 'WATERMARK_FROM', type: 'TIMESTAMP_NTZ(9)' },
  { name: 'WATERMARK_TO', type: 'TIMESTAMP_NTZ(9)' },
  { name: 'ROWS_INSERTED', type: 'NUMBER(38,0)' },
  { name: 'ROWS_UPDATED', type: 'NUMBER(38,0)' },
  { name: 'ROWS_PROCESSED', type: 'NUMBER(38,0)' },
  { name: 'SYNC_STATUS', type: 'VARCHAR(20)', notNull: true },
  { name: 'ERROR_MESSAGE', type: 'VARCHAR(4000)' },
  { name: 'BATCH_NUMBER', type: 'NUMBER(38,0)' },
  { name: 'NULL_WATERMARK_ROWS', type: 'NUMBER(38,0)' },
  { name: 'FUTURE_ROWS', type: 'NUMBER(38,0)' },
  { name: 'FUTURE_MAX_WATERMARK', type: 'TIMESTAMP_NTZ(9)' },
];

/** The seed's control columns: the ones every deployment has had since the first version. */
const SEED_CONTROL_COLUMNS = 12;

/** One row per sync: where it stands, who holds it, what its schema looked like. */
export const STATE_COLUMNS: ColumnSpec[] = [
  { name: 'SYNC_NAME', type: 'VARCHAR(255)', notNull: true },
  { name: 'WATERMARK', type: 'TIMESTAMP_NTZ(9)' },
  // Where the claiming run ends if it succeeds: the next run's window starts there.
  { name: 'RUN_WATERMARK_TO', type: 'TIMESTAMP_NTZ(9)' },
  { name: 'RUN_ID', type: 'NUMBER(38,0)' },
  { name: 'RUN_STARTED', type: 'TIMESTAMP_NTZ(9)' },
  { name: 'LEASE_UNTIL', type: 'TIMESTAMP_NTZ(9)' },
  { name: 'SCHEMA_FINGERPRINT', type: 'VARCHAR(16000)' },
  { name: 'SCHEMA_CHECKED_AT', type: 'TIMESTAMP_NTZ(9)' },
  { name: 'WATERMARK_TYPE', type: 'VARCHAR(30)' },
  { name: 'WATERMARK_NULLABLE', type: 'BOOLEAN' },
  { name: 'UPDATED_AT', type: 'TIMESTAMP_NTZ(9)' },
];

export { validateAlertSchedule, validateSchedule } from '../manifest/schedule.js';

const sqlString = (s: string): string => "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";

// The documented order is `type [DEFAULT …] [NOT NULL]` (https://docs.snowflake.com/en/sql-reference/sql/create-hybrid-table).
function columnDdl(c: ColumnSpec, withDefault: boolean): string {
  return (
    `  ${quoteName(c.name)} ${c.type}` +
    (withDefault && c.default ? ` DEFAULT ${c.default}` : '') +
    (c.notNull ? ' NOT NULL' : '')
  );
}

function indexName(table: string, column: string): string {
  const base = canonicalName(table.split('.').pop() as string);
  return quoteName(`IDX_${base}_${canonicalName(column)}`.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 255));
}

/**
 * `CREATE HYBRID TABLE IF NOT EXISTS` for source, replica and control table. Existing tables and
 * their history are kept. The source indexes the watermark column, so a run reads only the rows
 * past the watermark (its cost grows with the change, not with the table); the replica is
 * written by key and never read by the watermark, so it has no such index.
 */
export function tablesScript(cfg: SyncConfig, columns: ColumnSpec[] = PIPELINE_RUN_COLUMNS): string {
  const keys = cfg.keyColumns.map((k) => quoteName(k)).join(', ');
  const table = (name: string, comment: string, withDefaults: boolean, indexed = true): string =>
    [
      `CREATE HYBRID TABLE IF NOT EXISTS ${quoteTable(name)} (`,
      columns.map((c) => columnDdl(c, withDefaults)).join(',\n') + ',',
      `  PRIMARY KEY (${keys})` + (indexed ? ',' : ''),
      ...(indexed ? [`  INDEX ${indexName(name, cfg.watermarkColumn)} (${quoteName(cfg.watermarkColumn)})`] : []),
      `) COMMENT = ${sqlString(comment)};`,
    ].join('\n');
  const control = [
    `CREATE HYBRID TABLE IF NOT EXISTS ${quoteTable(cfg.controlTable)} (`,
    CONTROL_COLUMNS.map((c) => columnDdl(c, false)).join(',\n') + ',',
    `  PRIMARY KEY (${quoteName('SYNC_RUN_ID')}),`,
    `  INDEX ${indexName(cfg.controlTable, 'TABLE_NAME')} (${quoteName('TABLE_NAME')}, ${quoteName('SYNC_STATUS')})`,
    `) COMMENT = ${sqlString('hybrid-sync run log: one row per sync run (or batch), written when it ends: SUCCESS | FAILED | SKIPPED')};`,
    // A control table made by an earlier version: add the newer columns in place.
    ...CONTROL_COLUMNS.slice(SEED_CONTROL_COLUMNS).map(
      (c) => `ALTER TABLE ${quoteTable(cfg.controlTable)} ADD COLUMN IF NOT EXISTS ${columnDdl(c, false).trim()};`,
    ),
    // Retention and the monitoring views read recent rows by start time.
    `CREATE INDEX IF NOT EXISTS ${indexName(cfg.controlTable, 'SYNC_START_TIMESTAMP')} ON ${quoteTable(cfg.controlTable)} (${quoteName('SYNC_START_TIMESTAMP')});`,
  ].join('\n');
  const state = [
    `CREATE HYBRID TABLE IF NOT EXISTS ${quoteTable(cfg.stateTable)} (`,
    STATE_COLUMNS.map((c) => columnDdl(c, false)).join(',\n') + ',',
    `  PRIMARY KEY (${quoteName('SYNC_NAME')})`,
    `) COMMENT = ${sqlString('hybrid-sync state: one row per sync; its watermark, the run that holds it and until when (lease)')};`,
  ].join('\n');
  // ORDER keeps run ids increasing with time, so ORDER BY SYNC_RUN_ID reads newest first (one
  // NEXTVAL a run costs nothing measurable). https://docs.snowflake.com/en/sql-reference/sql/create-sequence
  const sequence = `CREATE SEQUENCE IF NOT EXISTS ${quoteTable(cfg.runIdSequence)} START = 1 INCREMENT = 1 ORDER COMMENT = ${sqlString('hybrid-sync run ids, unique across every sync sharing the control table')};`;
  return [
    '-- Source: writers insert and update rows here. LAST_UPDATE_DATE must move on every change;',
    '-- its default SYSDATE() is UTC whatever the writer session\'s TIMEZONE, so stamps from',
    '-- sessions in different time zones stay comparable.',
    table(cfg.sourceTable, 'hybrid-sync source: pipeline runs, LAST_UPDATE_DATE is the change watermark', true),
    '',
    '-- Replica: written only by the sync procedure. No index on the watermark: no query of the',
    '-- sync reads the replica by it, and every index costs on each write.',
    table(cfg.targetTable, `hybrid-sync replica of ${canonicalName(cfg.sourceTable.split('.').pop() as string)}`, false, false),
    '',
    '-- Control table: the audit log of every run (one row per run or batch, written when it ends).',
    control,
    '',
    '-- State: one row per sync (watermark, the run holding the sync, its lease, the schema it checked).',
    state,
    '',
    '-- Run ids for every sync. Upgrading a control table that already has rows? Make the sequence',
    '-- start above them once: CREATE OR REPLACE SEQUENCE … START = <MAX(SYNC_RUN_ID) + 1> ORDER.',
    sequence,
    '',
  ].join('\n');
}

/**
 * The task, changed suspend-safe: suspend if it exists, CREATE OR ALTER, resume. CREATE OR ALTER
 * keeps the task's grants and a serverless task's sizing history, which CREATE OR REPLACE drops;
 * it has ALTER TASK's restrictions, so the task is suspended first
 * (https://docs.snowflake.com/en/sql-reference/sql/create-task#create-or-alter-task).
 * OVERLAP_POLICY = NO_OVERLAP replaces the deprecated ALLOW_OVERLAPPING_EXECUTION = FALSE
 * (https://docs.snowflake.com/en/release-notes/2026/other/2026-03-13-tasks-overlap-policy).
 */
export function taskScript(options: TaskOptions = DEFAULT_TASK): string {
  const name = quoteTable(options.name, 'task name');
  const schedule = validateSchedule(options.schedule);
  const lines = [`CREATE OR ALTER TASK ${name}`];
  if (options.warehouse === null) {
    lines.push("  USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE = 'XSMALL'");
  } else {
    lines.push(`  WAREHOUSE = ${quoteName(options.warehouse, 'warehouse name')}`);
  }
  lines.push(`  SCHEDULE = ${sqlString(schedule)}`);
  lines.push('  OVERLAP_POLICY = NO_OVERLAP');
  if (!(options.suspendAfterFailures >= 0 && Number.isInteger(options.suspendAfterFailures))) {
    throw new Error('suspendAfterFailures must be a whole number >= 0');
  }
  lines.push(`  SUSPEND_TASK_AFTER_NUM_FAILURES = ${options.suspendAfterFailures}`);
  lines.push(`  USER_TASK_TIMEOUT_MS = ${Math.floor(options.timeoutMs)}`);
  if (options.retryAttempts !== undefined && options.retryAttempts !== 0) {
    if (!(options.retryAttempts > 0 && Number.isInteger(options.retryAttempts))) throw new Error('retryAttempts must be a whole number >= 0');
    lines.push(`  TASK_AUTO_RETRY_ATTEMPTS = ${options.retryAttempts}`);
  }
  if (options.errorIntegration) lines.push(`  ERROR_INTEGRATION = ${quoteName(options.errorIntegration, 'error integration')}`);
  lines.push(`  COMMENT = ${sqlString('hybrid-sync: calls ' + canonicalName(options.procedure) + ' on schedule')}`);
  lines.push('AS');
  lines.push(`  CALL ${quoteTable(options.procedure, 'procedure name')}();`);
  return [
    '-- A task must be suspended before it is changed; CREATE OR ALTER leaves it suspended.',
    `ALTER TASK IF EXISTS ${name} SUSPEND;`,
    lines.join('\n'),
    `ALTER TASK ${name} RESUME;`,
    '',
  ].join('\n');
}

/** Names of the monitoring views, for deploy and status. */
export const VIEWS = {
  recent: NAMES.recentRunsView,
  failures: NAMES.failuresView,
  daily: NAMES.dailyStatsView,
  status: NAMES.statusView,
} as const;

/**
 * The seed's monitoring queries as views, plus a one-row-per-sync status view. Every view reads
 * a bounded recent range of the control table through its SYNC_START_TIMESTAMP index, and the
 * state table by key, so reading them costs the same after a year of minute runs. All times UTC.
 */
export function viewsScript(cfg: SyncConfig, sources: StatusSource[] = [{ syncName: cfg.syncName, sourceTable: cfg.sourceTable, watermarkColumn: cfg.watermarkColumn, watermarkType: 'TIMESTAMP_NTZ' }]): string {
  const ctl = quoteTable(cfg.controlTable);
  const st = quoteTable(cfg.stateTable);
  const since = (amount: number, unit: string): string => `SYNC_START_TIMESTAMP >= DATEADD('${unit}', -${amount}, SYSDATE())`;
  return [
    `CREATE OR REPLACE VIEW ${quoteName(VIEWS.recent)} COMMENT = 'hybrid-sync: the last 20 runs of the past 7 days' AS`,
    `SELECT * FROM ${ctl} WHERE ${since(7, 'day')} ORDER BY SYNC_RUN_ID DESC LIMIT 20;`,
    '',
    `CREATE OR REPLACE VIEW ${quoteName(VIEWS.failures)} COMMENT = 'hybrid-sync: failed runs of the past 7 days with their error' AS`,
    `SELECT * FROM ${ctl} WHERE ${since(7, 'day')} AND SYNC_STATUS = 'FAILED';`,
    '',
    `CREATE OR REPLACE VIEW ${quoteName(VIEWS.daily)} COMMENT = 'hybrid-sync: runs, rows and duration per day, past 30 days' AS`,
    'SELECT',
    '    TABLE_NAME,',
    '    DATE(SYNC_START_TIMESTAMP) AS SYNC_DATE,',
    '    COUNT(*) AS TOTAL_RUNS,',
    "    SUM(CASE WHEN SYNC_STATUS = 'SUCCESS' THEN 1 ELSE 0 END) AS SUCCESS_COUNT,",
    "    SUM(CASE WHEN SYNC_STATUS = 'FAILED' THEN 1 ELSE 0 END) AS FAILED_COUNT,",
    "    SUM(CASE WHEN SYNC_STATUS = 'SKIPPED' THEN 1 ELSE 0 END) AS SKIPPED_COUNT,",
    '    SUM(ROWS_INSERTED) AS TOTAL_INSERTED,',
    '    SUM(ROWS_UPDATED) AS TOTAL_UPDATED,',
    "    AVG(TIMESTAMPDIFF('second', SYNC_START_TIMESTAMP, SYNC_END_TIMESTAMP)) AS AVG_DURATION_SEC",
    `FROM ${ctl}`,
    `WHERE ${since(30, 'day')} AND SYNC_STATUS IN ('SUCCESS', 'FAILED', 'SKIPPED')`,
    'GROUP BY TABLE_NAME, DATE(SYNC_START_TIMESTAMP);',
    '',
    `CREATE OR REPLACE VIEW ${quoteName(VIEWS.status)} COMMENT = 'hybrid-sync: per sync: watermark, lag, live run, last run, recent failures, NULL and future stamps' AS`,
    'WITH R AS (',
    '    SELECT TABLE_NAME,',
    '        MAX(SYNC_START_TIMESTAMP) AS LAST_RUN_START,',
    "        MAX(IFF(SYNC_STATUS = 'SUCCESS', SYNC_END_TIMESTAMP, NULL)) AS LAST_SUCCESS_END,",
    '        MAX_BY(SYNC_STATUS, SYNC_RUN_ID) AS LAST_RUN_STATUS,',
    '        MAX_BY(ERROR_MESSAGE, SYNC_RUN_ID) AS LAST_RUN_ERROR,',
    "        COUNT_IF(SYNC_STATUS = 'FAILED' AND SYNC_START_TIMESTAMP >= DATEADD('hour', -24, SYSDATE())) AS FAILURES_24H,",
    "        COUNT_IF(SYNC_STATUS = 'SKIPPED' AND SYNC_START_TIMESTAMP >= DATEADD('hour', -24, SYSDATE())) AS SKIPPED_24H,",
    "        MAX_BY(NULL_WATERMARK_ROWS, IFF(SYNC_STATUS <> 'FAILED', SYNC_RUN_ID, NULL)) AS NULL_WATERMARK_ROWS,",
    "        MAX_BY(FUTURE_ROWS, IFF(SYNC_STATUS <> 'FAILED', SYNC_RUN_ID, NULL)) AS FUTURE_ROWS,",
    "        MAX_BY(FUTURE_MAX_WATERMARK, IFF(SYNC_STATUS <> 'FAILED', SYNC_RUN_ID, NULL)) AS FUTURE_MAX_WATERMARK",
    `    FROM ${ctl} WHERE ${since(7, 'day')}`,
    '    GROUP BY TABLE_NAME',
    '), S AS (',
    '    SELECT S.SYNC_NAME, S.RUN_ID, S.RUN_STARTED, S.LEASE_UNTIL,',
    "        IFF(P.SYNC_STATUS = 'SUCCESS', P.SYNC_END_TIMESTAMP, NULL) AS STATE_RUN_SUCCESS_END,",
    "        COALESCE(IFF(P.SYNC_STATUS = 'SUCCESS', P.WATERMARK_TO, NULL), S.WATERMARK) AS CURRENT_WATERMARK,",
    '        IFF(S.RUN_ID IS NOT NULL AND P.SYNC_RUN_ID IS NULL, 1, 0) AS RUNNING_NOW',
    `    FROM ${st} AS S LEFT JOIN ${ctl} AS P ON P.SYNC_RUN_ID = S.RUN_ID`,
    '), M AS (',
    // Each sync's newest source stamp not after now, in UTC, from the past 7 days (its watermark index).
    ...sources.map((x, i) => `    ${i === 0 ? '' : 'UNION ALL '}${sourceMaxSelect(x)}`),
    ')',
    'SELECT',
    '    COALESCE(S.SYNC_NAME, R.TABLE_NAME) AS TABLE_NAME,',
    '    S.CURRENT_WATERMARK,',
    '    R.LAST_RUN_START,',
    // The state's run row outlives the 7-day window (retention keeps it): an idle sync still has a last success.
    '    COALESCE(R.LAST_SUCCESS_END, S.STATE_RUN_SUCCESS_END) AS LAST_SUCCESS_END,',
    '    R.LAST_RUN_STATUS,',
    '    R.LAST_RUN_ERROR,',
    '    COALESCE(R.FAILURES_24H, 0) AS FAILURES_24H,',
    '    COALESCE(R.SKIPPED_24H, 0) AS SKIPPED_24H,',
    '    COALESCE(S.RUNNING_NOW, 0) AS RUNNING_NOW,',
    "    IFF(S.RUNNING_NOW = 1, S.RUN_ID, NULL) AS RUNNING_RUN_ID,",
    "    IFF(S.RUNNING_NOW = 1, S.LEASE_UNTIL, NULL) AS RUNNING_LEASE_UNTIL,",
    '    R.NULL_WATERMARK_ROWS,',
    '    R.FUTURE_ROWS,',
    '    R.FUTURE_MAX_WATERMARK,',
    '    M.SOURCE_MAX_WATERMARK,',
    '    M.ROWS_IN_FLIGHT,',
    "    GREATEST(0, TIMESTAMPDIFF('second', S.CURRENT_WATERMARK, M.SOURCE_MAX_WATERMARK)) AS LAG_SECONDS,",
    "    TIMESTAMPDIFF('second', COALESCE(R.LAST_SUCCESS_END, S.STATE_RUN_SUCCESS_END), SYSDATE()) AS SECONDS_SINCE_SUCCESS",
    'FROM S FULL OUTER JOIN R ON R.TABLE_NAME = S.SYNC_NAME',
    'LEFT JOIN M ON M.SYNC_NAME = COALESCE(S.SYNC_NAME, R.TABLE_NAME);',
    '',
  ].join('\n');
}

/** The reconciliation log: one row per check. */
export function reconcileLogScript(logTable: string = NAMES.reconcileLog): string {
  return [
    '-- Reconciliation log: one row per check by RECONCILE_PIPELINE_RUN_HISTORY_PROC.',
    `CREATE HYBRID TABLE IF NOT EXISTS ${quoteTable(logTable)} (`,
    '  CHECK_ID NUMBER(38,0) NOT NULL,',
    '  TABLE_NAME VARCHAR(255) NOT NULL,',
    '  CHECK_TIMESTAMP TIMESTAMP_NTZ(9) NOT NULL,',
    '  CUTOFF_WATERMARK TIMESTAMP_NTZ(9),',
    '  BUCKETS NUMBER(38,0),',
    '  SOURCE_ROWS NUMBER(38,0),',
    '  TARGET_ROWS NUMBER(38,0),',
    '  MISMATCHED_BUCKETS NUMBER(38,0),',
    '  MISMATCHED_KEYS NUMBER(38,0),',
    '  SAMPLE_KEYS VARCHAR(16000),',
    '  REPAIRED_ROWS NUMBER(38,0),',
    '  DELETED_ROWS NUMBER(38,0),',
    '  STATUS VARCHAR(20) NOT NULL,',
    '  ERROR_MESSAGE VARCHAR(4000),',
    '  PRIMARY KEY (CHECK_ID),',
    `  INDEX ${indexName(logTable, 'TABLE_NAME')} (TABLE_NAME)`,
    `) COMMENT = ${sqlString('hybrid-sync reconciliation log: MATCH | MISMATCH | REPAIRED | FAILED per check')};`,
    '',
  ].join('\n');
}

/** The daily retention task: deletes run history older than 90 days. */
export const DEFAULT_PURGE_TASK: TaskOptions = {
  name: NAMES.purgeTask,
  procedure: NAMES.purgeProcedure,
  warehouse: 'COMPUTE_WH',
  schedule: 'USING CRON 30 3 * * * UTC',
  suspendAfterFailures: 3,
  errorIntegration: null,
  timeoutMs: 3600000,
};

/** The daily reconciliation task: report only (no repair) unless deploy says otherwise. */
export const DEFAULT_RECONCILE_TASK: TaskOptions = {
  name: NAMES.reconcileTask,
  procedure: NAMES.reconcileProcedure,
  warehouse: 'COMPUTE_WH',
  schedule: 'USING CRON 0 3 * * * UTC',
  suspendAfterFailures: 3,
  errorIntegration: null,
  timeoutMs: 3600000,
};

/** Alert settings: emails through a notification integration when a sync fails or lags. */
export interface AlertOptions {
  name: string;
  warehouse: string | null;
  /** A NOTIFICATION INTEGRATION of TYPE = EMAIL. */
  integration: string;
  /** Recipients: users of the same Snowflake account with a verified email address. */
  recipients: string[];
  /** Alert when the replica's watermark trails the source by more than this. */
  lagSeconds: number;
  schedule: string;
}

export const DEFAULT_ALERT: AlertOptions = {
  name: NAMES.alert,
  warehouse: 'COMPUTE_WH',
  integration: 'HYBRID_SYNC_EMAIL',
  recipients: ['data-oncall@example.com'],
  lagSeconds: 900,
  schedule: '5 MINUTE',
};

/**
 * An ALERT that emails when a run failed in the last schedule window or the lag passes the
 * threshold (https://docs.snowflake.com/en/user-guide/alerts). Optional: deploy installs it only
 * with --alert-integration.
 */
export function alertScript(a: AlertOptions = DEFAULT_ALERT): string {
  const name = quoteTable(a.name, 'alert name');
  const schedule = validateAlertSchedule(a.schedule);
  if (!(a.lagSeconds > 0)) throw new Error('alert lagSeconds must be > 0');
  if (a.recipients.length === 0) throw new Error('an alert needs at least one recipient');
  for (const r of a.recipients) {
    if (!/^[^\s'@]+@[^\s'@]+\.[^\s'@]+$/.test(r)) throw new Error(`alert recipient ${JSON.stringify(r)} is not an email address`);
  }
  const status = quoteName(VIEWS.status);
  const lag = Math.floor(a.lagSeconds);
  return [
    `CREATE OR REPLACE ALERT ${name}`,
    a.warehouse === null ? '' : `  WAREHOUSE = ${quoteName(a.warehouse, 'warehouse name')}`,
    `  SCHEDULE = ${sqlString(schedule)}`,
    // True while any sync needs attention, or a reported one may have recovered: the action
    // decides what is new, so one incident is one email.
    '  IF (EXISTS (',
    `    SELECT 1 FROM ${status} WHERE LAST_RUN_STATUS = 'FAILED' OR LAG_SECONDS > ${lag} OR SECONDS_SINCE_SUCCESS > ${lag}`,
    `    UNION ALL SELECT 1 FROM ${quoteName(NAMES.alertState)}`,
    '  ))',
    '  THEN',
    `    CALL ${quoteName(NAMES.notifyProcedure)}(${sqlString(canonicalName(a.integration))}, ${sqlString(a.recipients.join(','))}, ${lag});`,
    `ALTER ALERT ${name} RESUME;`,
    '',
  ]
    .filter((l) => l !== '')
    .join('\n');
}

/** What the alert has reported: one row per sync in an open incident. */
export function alertStateScript(): string {
  return [
    `CREATE HYBRID TABLE IF NOT EXISTS ${quoteName(NAMES.alertState)} (`,
    '  SYNC_NAME VARCHAR(255) NOT NULL PRIMARY KEY,',
    '  NOTIFIED_AT TIMESTAMP_NTZ(9) NOT NULL,',
    '  REASON VARCHAR(4000)',
    `) COMMENT = ${sqlString('hybrid-sync: syncs the alert has emailed about and that have not recovered yet (one email per incident)')};`,
    '',
  ].join('\n');
}

/**
 * Every `CREATE OR REPLACE VIEW name` of `script` with `COPY GRANTS`, so re-deploying keeps the
 * privileges granted on the view (without it, CREATE OR REPLACE drops them:
 * https://docs.snowflake.com/en/sql-reference/sql/create-view, "COPY GRANTS"). Applied by the build to
 * every non-procedure section, so a view added later keeps its grants too. Returns the script
 * unchanged when no view is replaced, or when it already says COPY GRANTS.
 */
export function copyGrantsOnViews(script: string): string {
  return script.replace(/^(CREATE OR REPLACE (?:SECURE )?VIEW (?:"(?:[^"]|"")+"|[A-Za-z_][\w$.]*))(?! COPY GRANTS)/gm, '$1 COPY GRANTS');
}

/**
 * The source's index on the watermark as a statement of its own, for an existing source that
 * lacks it (deploy --create-index). Building it is online: the table stays readable and
 * writable (https://docs.snowflake.com/en/sql-reference/sql/create-index).
 */
export function watermarkIndexStatement(cfg: SyncConfig): { name: string; statement: string } {
  const name = indexName(cfg.sourceTable, cfg.watermarkColumn);
  return { name: name.slice(1, -1), statement: `CREATE INDEX IF NOT EXISTS ${name} ON ${quoteTable(cfg.sourceTable)} (${quoteName(cfg.watermarkColumn)})` };
}
