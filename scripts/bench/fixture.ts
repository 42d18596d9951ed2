/**
 * The benchmark's database: a fresh in-memory local Snowflake with dist/ installed, and the
 * bulk loads, change sets and resets every figure builds on.
 *
 * Rows are stamped on a synthetic clock (`BASE` plus an offset in microseconds), not by
 * SYSDATE(), so every run's window is known exactly: change sets are a day apart, far outside
 * the 5-minute lookback, and a window holds only the rows meant to be in it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalSnowflake, splitStatements, type LocalSession } from '../../local/index.js';
import { installDist } from '../demo.js';
import { PIPELINE_RUN_HISTORY } from '../../procedure/config.js';
import { NAMES } from '../../manifest/objects.js';

export const SRC = NAMES.source;
export const TGT = NAMES.replica;
export const CTL = NAMES.control;
export const TASK = NAMES.syncTask;
export const PROC = NAMES.syncProcedure;
/** The value our procedure (and the seed's flow) writes to TABLE_NAME. */
export const SYNC_NAME = 'ETL_PIPELINE_RUN_HISTORY_LOG';

/** Time zero of the synthetic clock. */
export const BASE_MS = Date.UTC(2026, 0, 1);
const BASE_SQL = "TIMESTAMP '2026-01-01 00:00:00'";
export const SECOND_US = 1_000_000;
export const DAY_US = 86_400 * SECOND_US;

/** Every column the procedure replicates, in DDL order. */
export const COLUMNS: readonly string[] = PIPELINE_RUN_HISTORY.columns;

/** `offsetUs` after BASE in the procedure's wire format `YYYY-MM-DD HH24:MI:SS.FF9`. */
export function stamp(offsetUs: number): string {
  const ms = Math.floor(offsetUs / 1000);
  const us = offsetUs - ms * 1000;
  const iso = new Date(BASE_MS + ms).toISOString(); // 2026-01-01T00:00:00.123Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}${String(us).padStart(3, '0')}000`;
}

/** SQL for BASE + `offsetUs` + `expr` microseconds (expr is SQL, e.g. a row number). */
function stampSql(offsetUs: number, expr = '0'): string {
  return `${BASE_SQL} + to_microseconds(CAST(${offsetUs} + (${expr}) AS BIGINT))`;
}

export interface BenchDb {
  sf: LocalSnowflake;
  /** The session the benchmark times its statements in (UTC, as the task's would be). */
  s: LocalSession;
  /** Drops and recreates the replica from dist/run_history_log.sql, empty. */
  recreateTarget(): void;
  close(): void;
}

/**
 * A fresh in-memory database with the dist/ SQL installed and the task suspended (the bench
 * calls the procedure itself). `extraSql` runs after, e.g. the seed flow's procedure.
 */
export function openBenchDb(distDir: string, extraSql?: string): BenchDb {
  // A 1M-row MERGE takes seconds on a busy 2-core box: lift the 60 s CALL limit.
  const sf = LocalSnowflake.open({ procedureTimeoutMs: 30 * 60_000, timezone: 'UTC' });
  try {
    installDist(sf, distDir);
    if (extraSql) sf.executeScript(extraSql);
    const s = sf.session({ name: 'bench', timezone: 'UTC' });
    s.execute(`ALTER TASK ${TASK} SUSPEND`);
    const ddl = splitStatements(readFileSync(join(distDir, 'run_history_log.sql'), 'utf8')).find((t) =>
      new RegExp(`CREATE HYBRID TABLE IF NOT EXISTS "${TGT}"`).test(t),
    );
    if (!ddl) throw new Error(`no CREATE HYBRID TABLE for ${TGT} in ${distDir}/run_history_log.sql: run \`npm run build:proc\``);
    return {
      sf,
      s,
      recreateTarget() {
        s.execute(`DROP TABLE ${TGT}`);
        s.execute(ddl);
      },
      close() {
        sf.close();
      },
    };
  } catch (e) {
    sf.close();
    throw e;
  }
}

/**
 * Inserts `count` source rows with ids `firstId…` stamped `firstStampUs`, then one microsecond
 * apart (distinct stamps, so batch boundaries fall between rows). One INSERT … SELECT over
 * DuckDB's range(): plain DuckDB SQL that passes the compatibility layer unchanged.
 */
export function loadSource(s: LocalSession, firstId: number, count: number, firstStampUs: number, table = SRC): void {
  s.execute(
    `INSERT INTO ${table} (${COLUMNS.join(', ')})
     SELECT ${firstId} + range, 'pipeline_' || ((${firstId} + range) % 50), 'SUCCEEDED', 'scheduler',
            ${stampSql(firstStampUs, 'range')}, ${stampSql(firstStampUs, 'range + 1000')}, range * 7, range * 3, NULL,
            ${stampSql(firstStampUs, 'range')}, ${stampSql(firstStampUs, 'range')}
     FROM range(${count})`,
  );
}

/** Copies the source into the replica as a finished sync would have (for "replica already holds"). */
export function copySourceToTarget(s: LocalSession): void {
  s.execute(`INSERT INTO ${TGT} (${COLUMNS.join(', ')}) SELECT ${COLUMNS.join(', ')} FROM ${SRC}`);
}

export const STATE = PIPELINE_RUN_HISTORY.stateTable;
const SEQ = PIPELINE_RUN_HISTORY.runIdSequence;

/**
 * The sync's state as a finished run that reached watermark `wm` would leave it: its SUCCESS
 * control row, and the state row naming it. The run id comes from the run-id sequence (the
 * procedure's next runs take the following ones); it must be `runId`, the caller's bookmark.
 */
export function seedWatermark(s: LocalSession, runId: number, wm: string): void {
  const id = Number(s.execute(`SELECT ${SEQ}.NEXTVAL`).rows[0]?.[0]);
  if (id !== runId) throw new Error(`bench fixture: the run-id sequence gave ${id}, expected ${runId} (seed the watermark first, on a fresh database)`);
  s.execute(
    `INSERT INTO ${CTL} (SYNC_RUN_ID, TABLE_NAME, SYNC_START_TIMESTAMP, SYNC_END_TIMESTAMP, WATERMARK_TO, ROWS_INSERTED, ROWS_UPDATED, ROWS_PROCESSED, SYNC_STATUS, BATCH_NUMBER)
     VALUES (?, ?, SYSDATE(), SYSDATE(), TO_TIMESTAMP_NTZ(?, 'YYYY-MM-DD HH24:MI:SS.FF9'), 0, 0, 0, 'SUCCESS', 1)`,
    [runId, SYNC_NAME, wm],
  );
  s.execute(`DELETE FROM ${STATE} WHERE SYNC_NAME = ?`, [SYNC_NAME]);
  s.execute(`INSERT INTO ${STATE} (SYNC_NAME, WATERMARK, RUN_ID, UPDATED_AT) VALUES (?, TO_TIMESTAMP_NTZ(?, 'YYYY-MM-DD HH24:MI:SS.FF9'), ?, SYSDATE())`, [
    SYNC_NAME,
    wm,
    runId,
  ]);
}

/**
 * Deletes the control rows after `keepThroughRunId` (what the timed runs wrote) and points the
 * state back at that run, keeping the schema check it recorded.
 */
export function trimControl(s: LocalSession, keepThroughRunId: number): void {
  s.execute(`DELETE FROM ${CTL} WHERE SYNC_RUN_ID > ?`, [keepThroughRunId]);
  s.execute(
    `UPDATE ${STATE} SET RUN_ID = ?, LEASE_UNTIL = NULL, RUN_WATERMARK_TO = NULL, WATERMARK = (SELECT WATERMARK_TO FROM ${CTL} WHERE SYNC_RUN_ID = ?) WHERE SYNC_NAME = ?`,
    [keepThroughRunId, keepThroughRunId, SYNC_NAME],
  );
}

/** Which existing rows a change set updates. */
export type UpdatePattern =
  /** Spread evenly over ids 1…tableRows (shifted by the set number): the worst case for key-range pruning. */
  | 'spread'
  /** The newest rows (highest ids), as run history is updated: a run is inserted RUNNING and finished soon after. */
  | 'recent';

/**
 * A change set of `updates` existing rows (chosen by `pattern`) and `inserts` new rows from id
 * `nextId`, all stamped from `stampUs`. Returns the next free id.
 */
export function applyChanges(
  s: LocalSession,
  opts: { tableRows: number; updates: number; inserts: number; nextId: number; stampUs: number; k: number; pattern?: UpdatePattern },
): number {
  if (opts.updates > 0) {
    const recent = opts.pattern === 'recent';
    const stride = recent ? 1 : Math.max(1, Math.floor(opts.tableRows / opts.updates));
    const first = recent ? opts.nextId - opts.updates : 1 + (opts.k % stride);
    const last = first + (opts.updates - 1) * stride;
    const r = s.execute(
      `UPDATE ${SRC} SET RUN_STATUS = 'FAILED', ROWS_WRITTEN = COALESCE(ROWS_WRITTEN, 0) + 1, ERROR_MESSAGE = ?,
         LAST_UPDATE_DATE = ${stampSql(opts.stampUs, `PIPELINE_RUN_ID - ${first}`)}
       WHERE PIPELINE_RUN_ID BETWEEN ? AND ? AND (PIPELINE_RUN_ID - ?) % ? = 0`,
      [`change set ${opts.k}`, first, last, first, stride],
    );
    if (r.rowsUpdated !== opts.updates) {
      throw new Error(`bench fixture: meant to update ${opts.updates} rows, updated ${r.rowsUpdated} (table of ${opts.tableRows} rows)`);
    }
  }
  if (opts.inserts > 0) loadSource(s, opts.nextId, opts.inserts, opts.stampUs + DAY_US / 2);
  return opts.nextId + opts.inserts;
}

/** One number from a one-row query. */
export function scalar(s: LocalSession, sql: string, binds: unknown[] = []): number {
  return Number(s.execute(sql, binds).rows[0]?.[0] ?? NaN);
}
