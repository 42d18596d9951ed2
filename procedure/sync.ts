/**
 * One sync run.
 *
 * State lives in one row per sync (`stateTable`): the watermark, the last run that claimed the
 * sync, and until when that claim holds (the lease). A steady-state run sends five statements,
 * each filtering every hybrid table by an index-eligible predicate:
 *
 *   1. state     the state row by primary key, a run id from the sequence, the run's clock
 *   2. window    the previous run's control row by primary key (did it succeed? its watermark),
 *                and the source's window by watermark binds: batch end, lookback, future rows;
 *                plus the columns of source and replica (no rows) for the schema fingerprint
 *   3. claim     UPDATE the state row only if it still names the run read in 1 (one winner)
 *   4. MERGE     the window into the replica; counts from the statement
 *   5. log       INSERT the run's one control row, SUCCESS with counts and WATERMARK_TO
 *
 * A run with nothing in its window logs one SUCCESS row after statement 2 (3 statements). Each
 * further batch of a backlog costs four (next window, claim, MERGE, log).
 *
 * A run that finds the previous run without a control row and its lease still valid knows that
 * run is alive: it merges nothing and logs SKIPPED naming it. Once the lease has passed, the
 * previous run is dead: its FAILED row is written (saying its rows may have been merged) and
 * this run continues from the watermark that run started from.
 *
 * Failure: the run's control row is written FAILED with the error, then the error is rethrown so
 * the task history shows it too. The watermark only moves through a SUCCESS row written after
 * its MERGE, so it never passes data that was not merged.
 */
import type { SyncConfig } from './config.js';
import type { ResultSet, Snowflake, SnowflakeError, Statement } from './snowflake-api.js';
import { checkSchema, FULL_CHECK_EVERY_SECONDS, metadataFingerprint, namesMatch, readDescribe, type DescribedColumn } from './schema.js';
import {
  ERROR_MESSAGE_LIMIT,
  EPOCH_FLOOR,
  type QuotedNames,
  type RunRow,
  type SchemaRecord,
  type SqlStatement,
  type WatermarkType,
  claimStatement,
  closeLegacyRunningStatement,
  describeStatement,
  failedWithoutIdStatement,
  holderStatement,
  insertStateStatement,
  lateFinishStatement,
  legacyWatermarkStatement,
  logRunStatement,
  mergeStatement,
  nextBatchStatement,
  quoteConfig,
  recordSchemaStatement,
  stateStatement,
  windowStatement,
  ConfigError,
} from './sql.js';

/** What a run returns (the procedure's VARIANT result). */
export interface SyncSummary {
  /** SKIPPED: another run of this sync was alive; nothing was merged. */
  status: 'SUCCESS' | 'SKIPPED';
  syncName: string;
  /** Control rows written, one per batch (or the SKIPPED row). */
  runIds: string[];
  batches: number;
  rowsInserted: number;
  rowsUpdated: number;
  /** The low end of the first window (after the lookback), exclusive; null on a first run. */
  watermarkFrom: string | null;
  /** The watermark after the run (UTC); null while the source has never had a row. */
  watermarkTo: string | null;
  /** Runs found dead (lease passed without a control row) and logged FAILED by this run. */
  staleRunsClosed: number;
  /** True when the run stopped with more backlog left for the next run. */
  moreToSync: boolean;
  /** Source rows whose watermark is NULL: never synced until they get a stamp. */
  nullWatermarkRows: number;
  /** Source rows stamped after the run's clock: they wait for their time. */
  futureRows: number;
  /** The newest of those stamps (UTC), or null. */
  futureMaxWatermark: string | null;
  /** Why the run was skipped, naming the live run. */
  reason?: string;
  /** Set when this run re-merged from a given watermark (a resync). */
  resyncFrom?: string;
  /** SQL statements this run issued. */
  statements: number;
}

/** How a run starts; a resync re-merges everything after `resyncFrom` (the floor when empty). */
export interface RunOptions {
  resyncFrom?: string | null;
  /** Shown in a schema-drift error: how to re-sync in place. */
  resyncHint?: string;
}

/** Reads a column that may be NULL as a string (exact for numbers past 2^53). */
function stringOrNull(rs: ResultSet, col: string | number): string | null {
  return rs.getColumnValue(col) === null ? null : rs.getColumnValueAsString(col);
}

function toNumber(rs: ResultSet, col: string | number): number {
  const v = rs.getColumnValue(col);
  return v === null ? 0 : Number(rs.getColumnValueAsString(col));
}

/** The later of two watermarks in TS_FORMAT: fixed width, so text order is time order. */
function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

/** Describes any thrown value as `code state: message`, cut to fit ERROR_MESSAGE. */
export function describeError(step: string, e: unknown): string {
  const err = (e !== null && typeof e === 'object' ? e : { message: String(e) }) as SnowflakeError;
  const parts: string[] = [];
  if (err.code !== undefined && err.code !== null && String(err.code) !== '') parts.push('code ' + String(err.code));
  if (err.state) parts.push('state ' + err.state);
  const head = `[${step}]` + (parts.length ? ' ' + parts.join(', ') : '');
  const text = `${head}: ${err.message === undefined ? String(e) : err.message}`;
  return text.length > ERROR_MESSAGE_LIMIT ? text.slice(0, ERROR_MESSAGE_LIMIT - 3) + '...' : text;
}

/** Thrown out of the procedure after the failure has been logged. */
export class SyncRunError extends Error {
  code?: number | string;
  state?: string;
  constructor(message: string, cause: unknown) {
    super(message);
    this.name = 'SyncRunError';
    const c = cause as SnowflakeError | null;
    if (c && typeof c === 'object') {
      this.code = c.code;
      this.state = c.state;
    }
  }
}

/** A primary-key violation: how a lost race for a claim or a run id shows. */
export function isDuplicateKey(e: unknown): boolean {
  const msg = e && typeof e === 'object' ? String((e as SnowflakeError).message) : String(e);
  return /duplicate key|unique constraint|primary key/i.test(msg);
}

/** What statement 1 says. */
interface StateRow {
  found: boolean;
  watermark: string | null;
  stateLow: string | null;
  /** Where the last claimed run ends if it succeeded (the window's optimistic start), and minus the lookback. */
  planned: string | null;
  plannedLow: string | null;
  runId: string | null;
  runStarted: string | null;
  leaseUntil: string | null;
  leaseExpired: boolean;
  fingerprint: string | null;
  schemaAge: number | null;
  watermarkType: WatermarkType | null;
  watermarkNullable: boolean;
  newRunId: string;
  now: string;
}

function readState(rs: ResultSet): StateRow {
  rs.next();
  const type = stringOrNull(rs, 'WATERMARK_TYPE');
  return {
    found: toNumber(rs, 'FOUND') === 1,
    watermark: stringOrNull(rs, 'WATERMARK'),
    stateLow: stringOrNull(rs, 'STATE_LOW'),
    planned: stringOrNull(rs, 'PLANNED'),
    plannedLow: stringOrNull(rs, 'PLANNED_LOW'),
    runId: stringOrNull(rs, 'RUN_ID'),
    runStarted: stringOrNull(rs, 'RUN_STARTED'),
    leaseUntil: stringOrNull(rs, 'LEASE_UNTIL'),
    leaseExpired: toNumber(rs, 'LEASE_EXPIRED') === 1,
    fingerprint: stringOrNull(rs, 'SCHEMA_FINGERPRINT'),
    schemaAge: rs.getColumnValue('SCHEMA_AGE') === null ? null : toNumber(rs, 'SCHEMA_AGE'),
    watermarkType: type === null ? null : (type as WatermarkType),
    watermarkNullable: toNumber(rs, 'WATERMARK_NULLABLE') === 1,
    newRunId: rs.getColumnValueAsString('NEW_RUN_ID'),
    now: rs.getColumnValueAsString('NOW'),
  };
}

/** What statement 2 says (its first nine columns, by position). */
interface WindowRow {
  lastWm: string | null;
  low: string | null;
  prevStatus: string | null;
  high: string | null;
  batchRows: number;
  lookbackRows: number;
  futureRows: number;
  futureMax: string | null;
  nullRows: number;
  fingerprint: string;
}

function readWindow(stmt: Statement, rs: ResultSet): WindowRow {
  rs.next();
  return {
    lastWm: stringOrNull(rs, 1),
    low: stringOrNull(rs, 2),
    prevStatus: stringOrNull(rs, 3),
    high: stringOrNull(rs, 4),
    batchRows: toNumber(rs, 5),
    lookbackRows: toNumber(rs, 6),
    futureRows: toNumber(rs, 7),
    futureMax: stringOrNull(rs, 8),
    nullRows: toNumber(rs, 9),
    fingerprint: metadataFingerprint(stmt),
  };
}

/**
 * Runs one sync of `cfg` through `snowflake`. Returns the summary, or throws after logging.
 *
 * @example
 * const summary = runSync(snowflake, PIPELINE_RUN_HISTORY);
 * summary.rowsInserted; // rows new to the replica
 */
export function runSync(snowflake: Snowflake, cfg: SyncConfig, options: RunOptions = {}): SyncSummary {
  const q: QuotedNames = quoteConfig(cfg);
  let statements = 0;
  const prepare = (s: SqlStatement): Statement => {
    statements++;
    return snowflake.createStatement({ sqlText: s.sqlText, binds: s.binds });
  };
  const exec = (s: SqlStatement): ResultSet => prepare(s).execute();

  const summary: SyncSummary = {
    status: 'SUCCESS',
    syncName: cfg.syncName,
    runIds: [],
    batches: 0,
    rowsInserted: 0,
    rowsUpdated: 0,
    watermarkFrom: null,
    watermarkTo: null,
    staleRunsClosed: 0,
    moreToSync: false,
    nullWatermarkRows: 0,
    futureRows: 0,
    futureMaxWatermark: null,
    statements: 0,
  };
  const resync = options.resyncFrom !== undefined;
  const resyncHint = options.resyncHint ?? 'CALL HYBRID_SYNC_RESYNC(<the same CONFIG>)';

  let step = 'read state';
  /** The run id of the batch in progress (its control row is still to be written). */
  let runId: string | null = null;
  let runStart: string | null = null;
  let low: string | null = null;
  let batch = 1;
  const done = (): SyncSummary => {
    summary.statements = statements;
    return summary;
  };
  const row = (r: Partial<RunRow> & Pick<RunRow, 'runId' | 'status'>): RunRow => ({
    started: runStart,
    watermarkFrom: null,
    watermarkTo: null,
    inserted: 0,
    updated: 0,
    batch,
    error: null,
    nullRows: summary.nullWatermarkRows,
    futureRows: summary.futureRows,
    futureMax: summary.futureMaxWatermark,
    ...r,
  });

  try {
    const state = readState(exec(stateStatement(cfg, q)));
    runId = state.newRunId;
    runStart = state.now;
    let stateWatermark = state.watermark;
    let stateLow = state.stateLow;
    let from = state.planned;
    let fromLow = state.plannedLow;

    // Before this version kept state, the watermark was the newest SUCCESS row: read it once.
    if (!state.found) {
      step = 'migrate state';
      const legacy = exec(legacyWatermarkStatement(cfg, q));
      legacy.next();
      stateWatermark = stringOrNull(legacy, 'WM');
      const maxId = stringOrNull(legacy, 'MAX_ID');
      if (maxId !== null && Number(runId) <= Number(maxId)) {
        runId = null;
        throw new ConfigError(
          `the run-id sequence ${q.sequence} gave ${state.newRunId}, but ${q.control} already holds run ids up to ${maxId} ` +
            `(written before the sequence existed). Nothing was written. Fix, once: CREATE OR REPLACE SEQUENCE ${q.sequence} START = ${String(Number(maxId) + 1)} ORDER`,
        );
      }
      stateLow = stringOrNull(legacy, 'LOW');
      from = stateWatermark;
      fromLow = stateLow;
      const closed = prepare(closeLegacyRunningStatement(cfg, q, runId));
      closed.execute();
      summary.staleRunsClosed += closed.getNumRowsUpdated();
    }

    // The schema: the stored watermark type shapes the window statement; a first run (or a
    // changed fingerprint) checks it in full first.
    let schema: SchemaRecord | null = null;
    const describe = (table: string): DescribedColumn[] => {
      try {
        return readDescribe(exec(describeStatement(table)));
      } catch (e) {
        // A table that is missing (or hidden from the owner) is reported by the check, by name.
        if (/does not exist|not authorized/i.test(String((e as SnowflakeError).message))) return [];
        throw e;
      }
    };
    const fullCheck = (fingerprint: string): SchemaRecord => {
      step = 'check schema';
      return checkSchema({ q, resyncHint, allowExtraColumns: cfg.allowExtraColumns === true }, describe(q.source), describe(q.target), fingerprint);
    };
    let type: WatermarkType | null = state.watermarkType;
    let nullable = state.watermarkNullable;
    if (type === null) {
      schema = fullCheck('');
      type = schema.watermarkType;
      nullable = schema.watermarkNullable;
    }

    step = 'plan window';
    const planWindow = (): WindowRow => {
      const stmt = prepare(
        windowStatement(cfg, q, { prevRunId: state.runId, stateWatermark, from, fromLow, now: state.now, watermarkType: type as WatermarkType, countNulls: nullable }),
      );
      return readWindow(stmt, stmt.execute());
    };
    let win: WindowRow;
    try {
      win = planWindow();
    } catch (e) {
      // A column the window reads is gone (the watermark, say): name the drift, with its fix,
      // rather than the engine's "invalid identifier". Any other failure stands as it is.
      if (schema === null) fullCheck('');
      step = 'plan window';
      throw e;
    }
    const prevFailedOrDead = win.prevStatus === 'FAILED' || (win.prevStatus === null && state.runId !== null && state.leaseExpired);
    if (prevFailedOrDead && from !== stateWatermark) {
      // The previous run did not succeed: its window is merged again, from where it started.
      from = stateWatermark;
      fromLow = stateLow;
      win = planWindow();
    }
    const stale = state.schemaAge === null || state.schemaAge >= FULL_CHECK_EVERY_SECONDS;
    if (schema !== null) {
      schema.fingerprint = win.fingerprint;
    } else if (win.fingerprint !== state.fingerprint || stale || !namesMatch(q, win.fingerprint, cfg.allowExtraColumns === true)) {
      schema = fullCheck(win.fingerprint);
      if (schema.watermarkType !== type || schema.watermarkNullable !== nullable) {
        type = schema.watermarkType;
        nullable = schema.watermarkNullable;
        step = 'plan window';
        win = planWindow();
      }
    }
    const wmType = type as WatermarkType;
    summary.nullWatermarkRows = win.nullRows;
    summary.futureRows = win.futureRows;
    summary.futureMaxWatermark = win.futureMax;

    // The previous run has no control row: alive while its lease holds, dead after.
    if (state.runId !== null && win.prevStatus === null) {
      if (!state.leaseExpired) {
        step = 'log skipped run';
        return skip(`run ${state.runId} of ${cfg.syncName} (started ${String(state.runStarted)} UTC) is still running; its claim holds until ${String(state.leaseUntil)} UTC`);
      }
      step = 'close dead run';
      try {
        exec(
          logRunStatement(cfg, q, {
            runId: state.runId,
            status: 'FAILED',
            started: state.runStarted,
            watermarkFrom: state.stateLow,
            watermarkTo: null,
            inserted: 0,
            updated: 0,
            batch: 1,
            error:
              `Run did not finish (killed, timed out or its session ended) before its claim ran out at ${String(state.leaseUntil)} UTC; ` +
              `rows of its window after ${String(state.watermark ?? EPOCH_FLOOR)} may have been merged. Closed by run ${runId}, which merges them again.`,
            nullRows: null,
            futureRows: null,
            futureMax: null,
          }),
        );
        summary.staleRunsClosed++;
      } catch (e) {
        // The run wrote its row in the meantime: it was alive after all. Leave the sync to it.
        if (!isDuplicateKey(e)) throw e;
        step = 'log skipped run';
        return skip(`run ${state.runId} of ${cfg.syncName} finished while this run checked on it`);
      }
    }

    let lastWm = win.lastWm;
    low = win.low;
    let high = win.high;
    let batchRows = win.batchRows;
    let lookbackRows = win.lookbackRows;
    if (resync) {
      // Re-merge everything after the given point, in batches, from this run on.
      step = 'plan resync';
      lastWm = options.resyncFrom ? options.resyncFrom : null;
      summary.resyncFrom = lastWm ?? EPOCH_FLOOR;
      const first = exec(nextBatchStatement(cfg, q, wmType, lastWm ?? EPOCH_FLOOR, state.now, state.now));
      first.next();
      batchRows = toNumber(first, 'BATCH_ROWS');
      high = stringOrNull(first, 'HIGH_WM');
      low = lastWm;
      lookbackRows = 0;
    }
    summary.watermarkFrom = low;
    summary.watermarkTo = lastWm;

    // The first batch spans the lookback (late commits) plus up to batchSize rows past the
    // last watermark; a run with neither has nothing to merge and claims nothing.
    if (batchRows === 0) high = lastWm;
    if ((batchRows === 0 && lookbackRows === 0) || high === null) {
      if (schema !== null) {
        step = 'record schema';
        exec(state.found ? recordSchemaStatement(cfg, q, schema) : insertStateStatement(cfg, q, null, lastWm, lastWm, schema));
      }
      step = 'log idle run';
      exec(logRunStatement(cfg, q, row({ runId, status: 'SUCCESS', watermarkFrom: low, watermarkTo: lastWm })));
      summary.runIds.push(runId);
      return done();
    }

    let prevRunId = state.runId;
    let claimed = false;
    for (;;) {
      step = `claim batch ${batch}`;
      const claim = (): boolean => {
        if (!state.found && !claimed) {
          try {
            exec(insertStateStatement(cfg, q, runId as string, lastWm, later(lastWm, high), schema as SchemaRecord));
            return true;
          } catch (e) {
            if (isDuplicateKey(e)) return false;
            throw e;
          }
        }
        const c = prepare(claimStatement(cfg, q, runId as string, prevRunId, lastWm, later(lastWm, high), claimed ? null : schema));
        c.execute();
        return c.getNumRowsUpdated() === 1;
      };
      if (!claim()) {
        if (claimed) {
          // Another run declared this one dead and took over: leave the rest to it.
          summary.moreToSync = true;
          return done();
        }
        step = 'log skipped run';
        const holder = exec(holderStatement(cfg, q));
        const who = holder.next() ? `run ${String(stringOrNull(holder, 'RUN_ID'))} (started ${String(stringOrNull(holder, 'RUN_STARTED'))} UTC)` : 'another run';
        return skip(`${who} of ${cfg.syncName} claimed it at the same moment`);
      }
      claimed = true;

      step = `merge batch ${batch}`;
      const merge = prepare(mergeStatement(q, wmType, low, high as string));
      try {
        merge.execute();
      } catch (e) {
        // A value the replica cannot hold: a source column widened since the last full check
        // (a length or precision change leaves the fingerprint as it was). Name the drift and its
        // fix when that is it; any other failure stands as it is.
        if (/too long|out of range/i.test(String((e as SnowflakeError).message))) fullCheck(win.fingerprint);
        step = `merge batch ${batch}`;
        throw e;
      }
      const inserted = merge.getNumRowsInserted();
      const updated = merge.getNumRowsUpdated();

      step = `log batch ${batch}`;
      const to = later(lastWm, high) as string;
      const finished = row({ runId: runId as string, status: 'SUCCESS', watermarkFrom: low, watermarkTo: to, inserted, updated });
      try {
        exec(logRunStatement(cfg, q, finished));
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
        // Declared dead while merging (the lease ran out): the row says FAILED; correct it.
        const late = prepare(lateFinishStatement(q, cfg.syncName, finished, 'Finished after its claim ran out and another run had declared it dead; its rows were merged.'));
        late.execute();
        if (late.getNumRowsUpdated() !== 1) {
          throw new Error(`run id ${String(runId)} is already taken in ${q.control} by another row: the run-id sequence ${q.sequence} must start above every existing SYNC_RUN_ID`);
        }
        summary.runIds.push(runId as string);
        summary.batches = batch;
        summary.rowsInserted += inserted;
        summary.rowsUpdated += updated;
        summary.watermarkTo = to;
        summary.moreToSync = true;
        return done();
      }
      summary.runIds.push(runId as string);
      summary.batches = batch;
      summary.rowsInserted += inserted;
      summary.rowsUpdated += updated;
      summary.watermarkTo = to;
      prevRunId = runId;
      lastWm = to;
      runId = null;

      if (batchRows < cfg.batchSize) break;
      if (batch >= cfg.maxBatches) {
        summary.moreToSync = true;
        break;
      }
      step = `plan batch ${batch + 1}`;
      const next = exec(nextBatchStatement(cfg, q, wmType, high as string, state.now, state.now));
      next.next();
      batchRows = toNumber(next, 'BATCH_ROWS');
      if (batchRows === 0) break;
      if (toNumber(next, 'ELAPSED') * 2 > cfg.leaseSeconds) {
        summary.moreToSync = true;
        break;
      }
      batch++;
      runId = next.getColumnValueAsString('NEW_RUN_ID');
      runStart = next.getColumnValueAsString('NOW');
      low = high;
      high = stringOrNull(next, 'HIGH_WM');
    }
    return done();
  } catch (e) {
    const message = describeError(step, e);
    let logged = '';
    try {
      exec(
        runId !== null
          ? logRunStatement(cfg, q, row({ runId, status: 'FAILED', watermarkFrom: low, error: message }))
          : failedWithoutIdStatement(cfg, q, message),
      );
    } catch (logError) {
      logged = ` (and logging the failure also failed: ${describeError('log failure', logError)})`;
    }
    throw new SyncRunError(`${cfg.syncName} sync failed ${message}${logged}`, e);
  }

  function skip(reason: string): SyncSummary {
    const id = runId as string;
    exec(logRunStatement(cfg, q, row({ runId: id, status: 'SKIPPED', error: `Skipped: ${reason}. This run merged nothing.` })));
    summary.status = 'SKIPPED';
    summary.reason = reason;
    summary.runIds.push(id);
    return done();
  }
}
