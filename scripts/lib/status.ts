/**
 * `npm run status`: collects the sync's health through any SqlClient, judges it by fixed rules,
 * and formats it for people (a compact table) or machines (`--json`).
 *
 * Rules (exit code = level):
 *
 *  2 BROKEN    - the account or local database cannot be reached, or a query fails;
 *              - the task, the source table or the control table does not exist;
 *              - runs were attempted in the last 24 h and none succeeded.
 *  1 DEGRADED  - the task is not `started` (suspended by a user or after failures);
 *              - a run failed in the last 24 h (control table FAILED row, or a FAILED task run
 *                in TASK_HISTORY);
 *              - lag (source MAX(watermark column) − current watermark) > --max-lag (default 900 s);
 *              - seconds since the last successful run > --max-staleness (default: the larger of
 *                900 s and 3 task intervals; not checked for CRON schedules unless given);
 *              - no successful run yet, and the task was created longer ago than that staleness
 *                limit (before that it is "first run pending", healthy);
 *              - the latest reconciliation check found a MISMATCH or FAILED.
 *  0 HEALTHY   otherwise.
 *
 * The current watermark is where the next run starts: the WATERMARK_TO of the run named by the
 * sync's state row when it succeeded, else the state's watermark. Every query reads the state by
 * key and only the last 7 days of the control table (through its SYNC_START_TIMESTAMP index), so
 * status costs the same after a year of minute runs. Control-table times are UTC (SYSDATE()).
 *
 *  DEGRADED also when source rows have a NULL watermark (never synced until stamped) or are
 *  stamped in the future (they wait for their time: a writer stamps local time, not UTC).
 */
import { NAMES } from '../../manifest/objects.js';
import { PIPELINE_RUN_HISTORY, type SyncConfig } from '../../procedure/config.js';
import { canonicalName, quoteName, quoteTable } from '../../procedure/identifiers.js';
import type { WatermarkType } from '../../procedure/sql.js';
import { DeployError } from './errors.js';
import { col, type SqlClient } from './sql-client.js';

export type Level = 'HEALTHY' | 'DEGRADED' | 'BROKEN';

export interface StatusThresholds {
  /** Seconds the replica may trail the source. */
  maxLagSeconds: number;
  /** Seconds since the last success before it counts as stale; null = derived from the schedule. */
  maxStalenessSeconds: number | null;
}

export const DEFAULT_THRESHOLDS: StatusThresholds = { maxLagSeconds: 900, maxStalenessSeconds: null };

export interface RunRow {
  runId: string;
  status: string;
  startedUtc: string | null;
  durationMs: number | null;
  rowsInserted: number | null;
  rowsUpdated: number | null;
  batch: number | null;
  error: string | null;
}

/** Everything status found; `--json` prints this. */
export interface StatusReport {
  target: string;
  level: Level;
  exitCode: 0 | 1 | 2;
  reasons: string[];
  notes: string[];
  task: { name: string; exists: boolean; state: string | null; schedule: string | null; warehouse: string | null; createdSecondsAgo: number | null; lastSuspendedReason: string | null } | null;
  sync: {
    name: string;
    currentWatermark: string | null;
    sourceMaxWatermark: string | null;
    lagSeconds: number | null;
    lastSuccessEndUtc: string | null;
    secondsSinceSuccess: number | null;
    runs: number;
    successes24h: number;
    failures24h: number;
    skipped24h: number;
    running: number;
    /** The live run holding the sync, and until when its claim holds. */
    runningRunId: string | null;
    leaseUntilUtc: string | null;
    /** Source rows stamped after the current watermark and not after now: what the next run takes (null before the first run). */
    rowsInFlight: number | null;
    /** Source rows with a NULL watermark, as the latest run counted them. */
    nullWatermarkRows: number | null;
    /** Source rows stamped after now, and the newest such stamp. */
    futureRows: number;
    futureMaxWatermark: string | null;
    futureAheadSeconds: number | null;
  } | null;
  taskHistory24h: { succeeded: number; failed: number; skipped: number; lastError: string | null; last: Array<{ state: string; secondsAgo: number | null; error: string | null }> } | null;
  lastRuns: RunRow[];
  reconcile: { status: string; checkedUtc: string | null; mismatchedKeys: number | null; error: string | null } | null;
  /** Every sync with a state row (the shipped one and any HYBRID_SYNC_TABLE pair), one line each. */
  syncs: SyncLine[];
  thresholds: { maxLagSeconds: number; maxStalenessSeconds: number | null };
}

/** One sync of the shared control table, as the status view sees it. */
export interface SyncLine {
  name: string;
  watermark: string | null;
  lastRunStatus: string | null;
  failures24h: number;
  skipped24h: number;
  running: boolean;
  secondsSinceSuccess: number | null;
  futureRows: number | null;
  nullWatermarkRows: number | null;
}

const sqlString = (s: string): string => "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";
const num = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const TS = "'YYYY-MM-DD HH24:MI:SS'";

/** Seconds of an interval schedule (`5 MINUTE` → 300); null for CRON. */
export function intervalSeconds(schedule: string | null): number | null {
  const m = /^\s*(\d+)\s*(SECONDS?|MINUTES?|HOURS?)\s*$/i.exec(schedule ?? '');
  if (!m) return null;
  const unit = (m[2] as string).toUpperCase()[0];
  return Number(m[1]) * (unit === 'S' ? 1 : unit === 'M' ? 60 : 3600);
}

/** Epoch ms of a timestamp cell: a Date (local runtime), a Date-like driver value, or text. */
const toMs = (v: unknown): number => {
  if (v === null || v === undefined) return NaN;
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'object' && typeof (v as { getTime?: unknown }).getTime === 'function') return Number((v as { getTime(): number }).getTime());
  if (typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') return Date.parse(String((v as { toJSON(): unknown }).toJSON()));
  return Date.parse(String(v));
};

const isMissing = (e: unknown): boolean => e instanceof DeployError && e.kind === 'missing-object';

/**
 * Reads the task, control table, source, task history and reconciliation log.
 * Missing objects become reasons (BROKEN); other failures throw.
 */
export async function collectStatus(client: SqlClient, thresholds: StatusThresholds = DEFAULT_THRESHOLDS, cfg: SyncConfig = PIPELINE_RUN_HISTORY, opts: StatusOptions = {}): Promise<StatusReport> {
  const reasons: Array<{ level: Level; text: string }> = [];
  const notes: string[] = [];
  const taskName = opts.taskName ?? NAMES.syncTask;
  const ctl = quoteTable(cfg.controlTable);
  const src = quoteTable(cfg.sourceTable);
  const wm = quoteName(cfg.watermarkColumn);
  // A TIMESTAMP_LTZ/TZ watermark is compared with instants and printed in UTC; the binds are UTC.
  const zoned = opts.watermarkType !== undefined && opts.watermarkType !== 'TIMESTAMP_NTZ';
  const bound = zoned ? "TO_TIMESTAMP_TZ(? || ' +00:00', 'YYYY-MM-DD HH24:MI:SS.FF6 TZH:TZM')" : "TO_TIMESTAMP_NTZ(?, 'YYYY-MM-DD HH24:MI:SS.FF6')";
  const nowSql = zoned ? 'CURRENT_TIMESTAMP()' : 'SYSDATE()';
  const utc = (e: string): string => (zoned ? `CONVERT_TIMEZONE('UTC', ${e})::TIMESTAMP_NTZ` : e);
  const report: StatusReport = {
    target: client.describe(),
    level: 'HEALTHY',
    exitCode: 0,
    reasons: [],
    notes,
    task: null,
    sync: null,
    taskHistory24h: null,
    lastRuns: [],
    reconcile: null,
    syncs: [],
    thresholds: { maxLagSeconds: thresholds.maxLagSeconds, maxStalenessSeconds: thresholds.maxStalenessSeconds },
  };

  // Task.
  const taskRows = (await client.query(`SHOW TASKS LIKE ${sqlString(taskName)} IN SCHEMA`)).rows;
  const t = taskRows.find((r) => String(col(r, 'name')).toUpperCase() === taskName);
  if (!t) {
    report.task = { name: taskName, exists: false, state: null, schedule: null, warehouse: null, createdSecondsAgo: null, lastSuspendedReason: null };
    reasons.push({ level: 'BROKEN', text: `task ${taskName} does not exist: run npm run deploy` });
  } else {
    const created = col(t, 'created_on');
    const createdMs = toMs(created);
    // The task's age by the server's clock, not this machine's.
    const nowRow = (await client.query('SELECT CURRENT_TIMESTAMP() AS NOW')).rows[0];
    const serverNow = toMs(col(nowRow, 'NOW'));
    report.task = {
      name: taskName,
      exists: true,
      state: str(col(t, 'state')),
      schedule: str(col(t, 'schedule')),
      warehouse: str(col(t, 'warehouse')),
      createdSecondsAgo: Number.isFinite(createdMs) && Number.isFinite(serverNow) ? Math.max(0, Math.round((serverNow - createdMs) / 1000)) : null,
      lastSuspendedReason: str(col(t, 'last_suspended_reason')),
    };
    if (report.task.state !== 'started') {
      reasons.push({
        level: 'DEGRADED',
        text: `task ${taskName} is ${report.task.state ?? 'in an unknown state'}${report.task.lastSuspendedReason ? ` (${report.task.lastSuspendedReason})` : ''}: fix the cause, then ALTER TASK ${taskName} RESUME (or re-run npm run deploy)`,
      });
    }
  }
  const staleness = thresholds.maxStalenessSeconds ?? (intervalSeconds(report.task?.schedule ?? null) === null ? null : Math.max(900, 3 * (intervalSeconds(report.task?.schedule ?? null) as number)));
  report.thresholds.maxStalenessSeconds = staleness;

  // Control table and source.
  let controlOk = true;
  try {
    const st = quoteTable(cfg.stateTable);
    const s = (
      await client.query(
        `SELECT TO_VARCHAR(COALESCE(IFF(P.SYNC_STATUS = 'SUCCESS', P.WATERMARK_TO, NULL), S.WATERMARK), 'YYYY-MM-DD HH24:MI:SS.FF6') AS CURRENT_WATERMARK,
  IFF(S.RUN_ID IS NOT NULL AND P.SYNC_RUN_ID IS NULL, TO_VARCHAR(S.RUN_ID), NULL) AS RUNNING_RUN_ID,
  IFF(S.RUN_ID IS NOT NULL AND P.SYNC_RUN_ID IS NULL, TO_VARCHAR(S.LEASE_UNTIL, ${TS}), NULL) AS LEASE_UNTIL,
  R.RUNS, TO_VARCHAR(R.LAST_SUCCESS_END, ${TS}) AS LAST_SUCCESS_END, TIMESTAMPDIFF('second', R.LAST_SUCCESS_END, SYSDATE()) AS SECONDS_SINCE_SUCCESS,
  R.SUCCESSES_24H, R.FAILURES_24H, R.SKIPPED_24H, R.NULL_WATERMARK_ROWS
FROM (SELECT 1 AS ONE) AS X
LEFT JOIN ${st} AS S ON S.SYNC_NAME = ?
LEFT JOIN ${ctl} AS P ON P.SYNC_RUN_ID = S.RUN_ID
CROSS JOIN (
  SELECT COUNT(*) AS RUNS,
    MAX(CASE WHEN SYNC_STATUS = 'SUCCESS' THEN SYNC_END_TIMESTAMP END) AS LAST_SUCCESS_END,
    SUM(CASE WHEN SYNC_STATUS = 'SUCCESS' AND SYNC_START_TIMESTAMP >= DATEADD('hour', -24, SYSDATE()) THEN 1 ELSE 0 END) AS SUCCESSES_24H,
    SUM(CASE WHEN SYNC_STATUS = 'FAILED' AND SYNC_START_TIMESTAMP >= DATEADD('hour', -24, SYSDATE()) THEN 1 ELSE 0 END) AS FAILURES_24H,
    SUM(CASE WHEN SYNC_STATUS = 'SKIPPED' AND SYNC_START_TIMESTAMP >= DATEADD('hour', -24, SYSDATE()) THEN 1 ELSE 0 END) AS SKIPPED_24H,
    MAX_BY(NULL_WATERMARK_ROWS, IFF(SYNC_STATUS <> 'FAILED', SYNC_RUN_ID, NULL)) AS NULL_WATERMARK_ROWS
  FROM ${ctl} WHERE TABLE_NAME = ? AND SYNC_START_TIMESTAMP >= DATEADD('day', -7, SYSDATE())
) AS R`,
        [cfg.syncName, cfg.syncName],
      )
    ).rows[0];
    report.sync = {
      name: cfg.syncName,
      currentWatermark: str(col(s, 'CURRENT_WATERMARK')),
      sourceMaxWatermark: null,
      lagSeconds: null,
      lastSuccessEndUtc: str(col(s, 'LAST_SUCCESS_END')),
      secondsSinceSuccess: num(col(s, 'SECONDS_SINCE_SUCCESS')),
      runs: num(col(s, 'RUNS')) ?? 0,
      successes24h: num(col(s, 'SUCCESSES_24H')) ?? 0,
      failures24h: num(col(s, 'FAILURES_24H')) ?? 0,
      skipped24h: num(col(s, 'SKIPPED_24H')) ?? 0,
      running: str(col(s, 'RUNNING_RUN_ID')) === null ? 0 : 1,
      runningRunId: str(col(s, 'RUNNING_RUN_ID')),
      leaseUntilUtc: str(col(s, 'LEASE_UNTIL')),
      nullWatermarkRows: num(col(s, 'NULL_WATERMARK_ROWS')),
      rowsInFlight: null,
      futureRows: 0,
      futureMaxWatermark: null,
      futureAheadSeconds: null,
    };
    const runs = await client.query(
      `SELECT SYNC_RUN_ID, SYNC_STATUS, TO_VARCHAR(SYNC_START_TIMESTAMP, ${TS}) AS STARTED,
  TIMESTAMPDIFF('millisecond', SYNC_START_TIMESTAMP, SYNC_END_TIMESTAMP) AS DURATION_MS,
  ROWS_INSERTED, ROWS_UPDATED, BATCH_NUMBER, ERROR_MESSAGE
FROM ${ctl} WHERE TABLE_NAME = ? AND SYNC_START_TIMESTAMP >= DATEADD('day', -7, SYSDATE()) ORDER BY SYNC_RUN_ID DESC LIMIT 5`,
      [cfg.syncName],
    );
    report.lastRuns = runs.rows.map((r) => ({
      runId: String(col(r, 'SYNC_RUN_ID')),
      status: String(col(r, 'SYNC_STATUS')),
      startedUtc: str(col(r, 'STARTED')),
      durationMs: num(col(r, 'DURATION_MS')),
      rowsInserted: num(col(r, 'ROWS_INSERTED')),
      rowsUpdated: num(col(r, 'ROWS_UPDATED')),
      batch: num(col(r, 'BATCH_NUMBER')),
      error: str(col(r, 'ERROR_MESSAGE')),
    }));
  } catch (e) {
    if (!isMissing(e)) throw e;
    controlOk = false;
    reasons.push({ level: 'BROKEN', text: `control table ${canonicalName(cfg.controlTable)} does not exist (or is not visible to this role): run npm run deploy` });
  }
  try {
    // The source read by watermark ranges only: rows past the current watermark (the backlog),
    // and rows stamped after now (which wait for their time).
    const l = (
      await client.query(
        `SELECT TO_VARCHAR(B.M, 'YYYY-MM-DD HH24:MI:SS.FF6') AS SOURCE_MAX, B.N AS IN_FLIGHT,
  TIMESTAMPDIFF('second', TO_TIMESTAMP_NTZ(?, 'YYYY-MM-DD HH24:MI:SS.FF6'), B.M) AS LAG_SECONDS,
  F.N AS FUTURE_ROWS, TO_VARCHAR(F.M, 'YYYY-MM-DD HH24:MI:SS.FF6') AS FUTURE_MAX, TIMESTAMPDIFF('second', SYSDATE(), F.M) AS FUTURE_AHEAD
FROM (SELECT ${utc(`MAX(${wm})`)} AS M, COUNT(*) AS N FROM ${src} WHERE ${wm} > ${bound} AND ${wm} <= ${nowSql}) AS B,
     (SELECT COUNT(*) AS N, ${utc(`MAX(${wm})`)} AS M FROM ${src} WHERE ${wm} > ${nowSql}) AS F`,
        [report.sync?.currentWatermark ?? '1582-10-15 00:00:00.000000', report.sync?.currentWatermark ?? '1582-10-15 00:00:00.000000'],
      )
    ).rows[0];
    if (report.sync) {
      const max = str(col(l, 'SOURCE_MAX'));
      report.sync.sourceMaxWatermark = max ?? report.sync.currentWatermark;
      const lag = num(col(l, 'LAG_SECONDS'));
      // Caught up (nothing past the watermark) is a lag of 0; before any watermark it is unknown.
      report.sync.lagSeconds = report.sync.currentWatermark === null ? null : max === null ? 0 : Math.max(0, lag ?? 0);
      report.sync.rowsInFlight = report.sync.currentWatermark === null ? null : num(col(l, 'IN_FLIGHT')) ?? 0;
      report.sync.futureRows = num(col(l, 'FUTURE_ROWS')) ?? 0;
      report.sync.futureMaxWatermark = str(col(l, 'FUTURE_MAX'));
      report.sync.futureAheadSeconds = num(col(l, 'FUTURE_AHEAD'));
    }
  } catch (e) {
    if (!isMissing(e)) throw e;
    if (controlOk) reasons.push({ level: 'BROKEN', text: `source table ${canonicalName(cfg.sourceTable)} does not exist (or is not visible to this role)` });
  }

  // Task history (https://docs.snowflake.com/en/sql-reference/functions/task_history): the last 24 h.
  // RESULT_LIMIT defaults to 100 and goes up to 10000: a one-minute task makes 1,440 runs a day.
  if (report.task?.exists) {
    const h = await client.query(
      `SELECT STATE, TIMESTAMPDIFF('second', SCHEDULED_TIME, CURRENT_TIMESTAMP()) AS SECONDS_AGO, ERROR_MESSAGE
FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY(TASK_NAME => ${sqlString(taskName)}, SCHEDULED_TIME_RANGE_START => DATEADD('hour', -24, CURRENT_TIMESTAMP()), RESULT_LIMIT => ${TASK_HISTORY_LIMIT}))
ORDER BY SCHEDULED_TIME DESC`,
    );
    const states = h.rows.map((r) => String(col(r, 'STATE')));
    report.taskHistory24h = {
      succeeded: states.filter((s) => s === 'SUCCEEDED').length,
      failed: states.filter((s) => s.startsWith('FAILED')).length,
      skipped: states.filter((s) => s === 'SKIPPED').length,
      lastError: str(col(h.rows.find((r) => col(r, 'ERROR_MESSAGE') != null), 'ERROR_MESSAGE')),
      last: h.rows.slice(0, 5).map((r) => ({ state: String(col(r, 'STATE')), secondsAgo: num(col(r, 'SECONDS_AGO')), error: str(col(r, 'ERROR_MESSAGE')) })),
    };
  }

  // Reconciliation: optional; a missing log means it was never installed.
  try {
    const r = (
      await client.query(
        `SELECT STATUS, TO_VARCHAR(CHECK_TIMESTAMP, ${TS}) AS CHECKED, MISMATCHED_KEYS, ERROR_MESSAGE FROM ${quoteTable(NAMES.reconcileLog)} WHERE TABLE_NAME = ? ORDER BY CHECK_ID DESC LIMIT 1`,
        [cfg.syncName],
      )
    ).rows[0];
    if (r) report.reconcile = { status: String(col(r, 'STATUS')), checkedUtc: str(col(r, 'CHECKED')), mismatchedKeys: num(col(r, 'MISMATCHED_KEYS')), error: str(col(r, 'ERROR_MESSAGE')) };
  } catch (e) {
    if (!isMissing(e)) throw e;
  }

  // Every sync sharing the control table: one line each, from the status view (state by key,
  // the last 7 days of runs). A failing sync that is not the shipped one still shows in the level.
  if (opts.listOthers !== false) try {
    const rows = (
      await client.query(
        `SELECT TABLE_NAME, TO_VARCHAR(CURRENT_WATERMARK, 'YYYY-MM-DD HH24:MI:SS.FF6') AS WM, LAST_RUN_STATUS, FAILURES_24H, SKIPPED_24H, RUNNING_NOW,
  SECONDS_SINCE_SUCCESS, FUTURE_ROWS, NULL_WATERMARK_ROWS FROM ${quoteName(NAMES.statusView)} ORDER BY TABLE_NAME`,
      )
    ).rows;
    report.syncs = rows.map((r) => ({
      name: String(col(r, 'TABLE_NAME')),
      watermark: str(col(r, 'WM')),
      lastRunStatus: str(col(r, 'LAST_RUN_STATUS')),
      failures24h: num(col(r, 'FAILURES_24H')) ?? 0,
      skipped24h: num(col(r, 'SKIPPED_24H')) ?? 0,
      running: num(col(r, 'RUNNING_NOW')) === 1,
      secondsSinceSuccess: num(col(r, 'SECONDS_SINCE_SUCCESS')),
      futureRows: num(col(r, 'FUTURE_ROWS')),
      nullWatermarkRows: num(col(r, 'NULL_WATERMARK_ROWS')),
    }));
    for (const x of report.syncs) {
      if (x.name === cfg.syncName) continue;
      if (x.failures24h > 0) reasons.push({ level: 'DEGRADED', text: `sync ${x.name}: ${x.failures24h} failed run(s) in the last 24 h (last run ${x.lastRunStatus ?? '?'}; see ${VIEW_FAILURES})` });
    }
  } catch (e) {
    if (!isMissing(e)) throw e;
  }

  judge(report, reasons, staleness, thresholds.maxLagSeconds, opts.repairHint ?? `CALL ${NAMES.reconcileProcedure}(TRUE) repairs`);
  return report;
}

/** Which sync status looks at, beyond its SyncConfig: the shipped pair's names by default. */
export interface StatusOptions {
  /** The task that runs the sync (default: the shipped task). */
  taskName?: string;
  /** The watermark column's type (default TIMESTAMP_NTZ, holding UTC). */
  watermarkType?: WatermarkType;
  /** List (and judge) every other sync of the control table too (default true). */
  listOthers?: boolean;
  /** What a reconciliation MISMATCH tells the user to run. */
  repairHint?: string;
}

/** Applies the rules of the module comment. */
function judge(report: StatusReport, reasons: Array<{ level: Level; text: string }>, staleness: number | null, maxLag: number, repairHint: string): void {
  const s = report.sync;
  if (s) {
    if (s.failures24h > 0 && s.successes24h === 0) {
      reasons.push({ level: 'BROKEN', text: `every run in the last 24 h failed (${s.failures24h}); last error: ${report.lastRuns.find((r) => r.error)?.error ?? 'see the control table'}` });
    } else if (s.failures24h > 0) {
      reasons.push({ level: 'DEGRADED', text: `${s.failures24h} failed run(s) in the last 24 h (see ${VIEW_FAILURES})` });
    }
    if (s.lagSeconds !== null && s.lagSeconds > maxLag) reasons.push({ level: 'DEGRADED', text: `replica lags the source by ${s.lagSeconds} s (limit ${maxLag} s)` });
    if (s.futureRows > 0) {
      reasons.push({
        level: 'DEGRADED',
        text:
          `${s.futureRows} source row(s) stamped in the future, up to ${s.futureMaxWatermark} UTC (${dur(s.futureAheadSeconds)} ahead): they wait for their time. ` +
          'A writer is stamping local time into a TIMESTAMP_NTZ column: stamp SYSDATE() (UTC) instead',
      });
    }
    if (s.nullWatermarkRows !== null && s.nullWatermarkRows > 0) {
      reasons.push({
        level: 'DEGRADED',
        text: `${s.nullWatermarkRows} source row(s) have a NULL watermark and are never synced until stamped: make the column NOT NULL DEFAULT SYSDATE() and stamp them`,
      });
    }
    if (s.currentWatermark === null && s.sourceMaxWatermark !== null && s.successes24h === 0 && s.runs > 0) {
      reasons.push({ level: 'DEGRADED', text: 'the source has rows but no run has succeeded yet' });
    }
    if (s.runs === 0 || s.lastSuccessEndUtc === null) {
      const age = report.task?.createdSecondsAgo ?? null;
      if (report.task?.state === 'started' && staleness !== null && age !== null && age <= staleness) {
        report.notes.push(`first run pending: the task was created ${age} s ago`);
      } else if (!reasons.some((r) => r.level === 'BROKEN')) {
        reasons.push({ level: 'DEGRADED', text: 'no successful run yet: wait for the schedule, or npm run deploy -- --run-now; check TASK_HISTORY for errors' });
      }
    } else if (staleness !== null && s.secondsSinceSuccess !== null && s.secondsSinceSuccess > staleness) {
      reasons.push({ level: 'DEGRADED', text: `last successful run ended ${s.secondsSinceSuccess} s ago (limit ${staleness} s)` });
    }
  }
  const h = report.taskHistory24h;
  if (h && h.failed > 0 && !(s && s.failures24h > 0)) {
    reasons.push({ level: 'DEGRADED', text: `${h.failed} failed task run(s) in the last 24 h; last error: ${h.lastError ?? 'see TASK_HISTORY'}` });
  }
  if (report.reconcile && ['MISMATCH', 'FAILED'].includes(report.reconcile.status)) {
    reasons.push({ level: 'DEGRADED', text: `latest reconciliation ${report.reconcile.status}${report.reconcile.mismatchedKeys ? ` (${report.reconcile.mismatchedKeys} keys)` : ''}: ${repairHint}` });
  }
  const level: Level = reasons.some((r) => r.level === 'BROKEN') ? 'BROKEN' : reasons.length ? 'DEGRADED' : 'HEALTHY';
  report.level = level;
  report.exitCode = level === 'BROKEN' ? 2 : level === 'DEGRADED' ? 1 : 0;
  report.reasons = reasons.map((r) => `${r.level === 'BROKEN' ? 'broken' : 'degraded'}: ${r.text}`);
}

const VIEW_FAILURES = NAMES.failuresView;
export const RECONCILE_TASK = NAMES.reconcileTask;

/** The most rows TASK_HISTORY returns (https://docs.snowflake.com/en/sql-reference/functions/task_history: RESULT_LIMIT 1 to 10000). */
export const TASK_HISTORY_LIMIT = 10000;

/** The report for a target that could not be reached at all. */
export function unreachableReport(target: string, err: DeployError, thresholds: StatusThresholds = DEFAULT_THRESHOLDS): StatusReport {
  return {
    target,
    level: 'BROKEN',
    exitCode: 2,
    reasons: [`broken: ${err.message.replace(/\n\s*/g, ' ')}`],
    notes: [],
    task: null,
    sync: null,
    taskHistory24h: null,
    lastRuns: [],
    reconcile: null,
    syncs: [],
    thresholds: { ...thresholds },
  };
}

/** A duration for people: `45 s`, `12 min`, `3.5 h`; `-` when unknown. */
export const dur = (s: number | null): string => (s === null ? '-' : s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`);

/** Rows of cells as aligned lines, two spaces apart, indented by two. */
export function alignRows(rows: string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  return rows.map((row) => '  ' + row.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd());
}

/** The compact table for people. */
export function formatStatus(r: StatusReport): string {
  const lines: string[] = [];
  lines.push(`hybrid-sync status -> ${r.target}`);
  lines.push(`${r.level} (exit ${r.exitCode})`);
  if (r.task) {
    lines.push(
      r.task.exists
        ? `task       ${r.task.name}  ${r.task.state}  schedule ${r.task.schedule ?? '-'}  ${r.task.warehouse ? `warehouse ${r.task.warehouse}` : 'serverless'}`
        : `task       ${r.task.name}  MISSING`,
    );
  }
  if (r.sync) {
    const s = r.sync;
    lines.push(`watermark  ${s.currentWatermark ?? '(none yet)'}  source max ${s.sourceMaxWatermark ?? '(empty)'}  lag ${dur(s.lagSeconds)}${s.rowsInFlight ? `  ${s.rowsInFlight} row(s) in flight` : ''}`);
    lines.push(`last ok    ${s.lastSuccessEndUtc ? `${s.lastSuccessEndUtc} UTC, ${dur(s.secondsSinceSuccess)} ago` : '(never)'}${s.runningRunId ? `  run ${s.runningRunId} RUNNING (claim until ${s.leaseUntilUtc ?? '?'} UTC)` : ''}`);
    lines.push(
      `24 h       ${s.successes24h} ok, ${s.failures24h} failed, ${s.skipped24h} skipped` +
        (r.taskHistory24h ? `; task history ${r.taskHistory24h.succeeded} succeeded, ${r.taskHistory24h.failed} failed, ${r.taskHistory24h.skipped} skipped` : ''),
    );
    if (s.futureRows > 0 || (s.nullWatermarkRows ?? 0) > 0) {
      lines.push(`stamps     ${s.futureRows} ahead of now${s.futureMaxWatermark ? ` (up to ${s.futureMaxWatermark}, ${dur(s.futureAheadSeconds)} ahead)` : ''}, ${s.nullWatermarkRows ?? 0} NULL`);
    }
  }
  if (r.sync || r.task?.exists) {
    lines.push(`reconcile  ${r.reconcile ? `${r.reconcile.status} at ${r.reconcile.checkedUtc ?? '?'} UTC${r.reconcile.mismatchedKeys ? `, ${r.reconcile.mismatchedKeys} keys` : ''}` : '(no check yet)'}`);
  }
  if (r.syncs.length > 1) {
    lines.push('syncs');
    const rows = [['SYNC', 'WATERMARK (UTC)', 'LAST RUN', 'FAILED 24 H', 'SKIPPED 24 H', 'NOW', 'AHEAD', 'NULL']];
    for (const x of r.syncs) {
      rows.push([x.name, x.watermark ?? '-', x.lastRunStatus ?? '-', String(x.failures24h), String(x.skipped24h), x.running ? 'RUNNING' : '-', String(x.futureRows ?? 0), String(x.nullWatermarkRows ?? 0)]);
    }
    lines.push(...alignRows(rows));
  }
  if (r.lastRuns.length) {
    lines.push('last runs');
    const rows = [['RUN', 'STATUS', 'STARTED (UTC)', 'MS', 'INSERTED', 'UPDATED', 'ERROR']];
    for (const x of r.lastRuns) {
      rows.push([x.runId, x.status, x.startedUtc ?? '-', x.durationMs === null ? '-' : String(x.durationMs), x.rowsInserted === null ? '-' : String(x.rowsInserted), x.rowsUpdated === null ? '-' : String(x.rowsUpdated), (x.error ?? '').slice(0, 80)]);
    }
    lines.push(...alignRows(rows));
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  for (const x of r.reasons) lines.push(x);
  return lines.join('\n');
}
