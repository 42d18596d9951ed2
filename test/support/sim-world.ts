/**
 * Shared set-up for the simulation, fault and reconciliation suites: a local Snowflake with the
 * `dist/` SQL installed as test/global-setup.ts compiled it from the current procedure/ source,
 * a driven clock, and the checks every suite makes (replica = source, the control log, the
 * watermark).
 */
import { distSql } from './dist.js';
import { LocalSnowflake, ManualClock, type LocalSession } from '../../local/index.js';
import { PIPELINE_RUN_HISTORY } from '../../procedure/config.js';
import type { SyncSummary as ProcedureSyncSummary } from '../../procedure/sync.js';

export const SOURCE = 'ETL_PIPELINE_RUN_HISTORY_LOG';
export const REPLICA = 'ETL_PIPELINE_RUN_HISTORY_LOG_REPLICATION';
export const CONTROL = 'ETL_PIPELINE_SYNC_CONTROL';
export const STATE = PIPELINE_RUN_HISTORY.stateTable;
export const RECONCILE_LOG = 'ETL_PIPELINE_RECONCILE_LOG';
/** The syncName the shipped procedure (and HYBRID_SYNC_TABLE by default) logs under. */
export const SYNC_NAME = 'ETL_PIPELINE_RUN_HISTORY_LOG';

/** Every replicated column, in DDL order. */
export const COLUMNS: readonly string[] = PIPELINE_RUN_HISTORY.columns;

/** The wire format of every timestamp the tests bind or read (full precision, as the procedure uses). */
export const TS_FMT = 'YYYY-MM-DD HH24:MI:SS.FF9';
/** `TO_TIMESTAMP_NTZ(?, fmt)`: a bound string stamp, never a JS Date (millisecond precision). */
export const BIND_TS = `TO_TIMESTAMP_NTZ(?, '${TS_FMT}')`;

/** The text of a dist/ file, as this test run built it from procedure/ (test/global-setup.ts). */
export { distSql };

/** A local Snowflake with tables, procedures, tasks and views from dist/, on a manual clock. */
export interface World {
  sf: LocalSnowflake;
  clock: ManualClock;
  /** A session for set-up and checks (UTC). */
  admin: LocalSession;
}

/** Simulated epoch start: every suite's clock starts here unless told otherwise. */
export const SIM_START = '2026-03-01T00:00:00Z';

/**
 * Opens a local Snowflake and installs dist/ (tables, sync and reconcile procedures, tasks,
 * views). The tasks dist/ creates are left as the script leaves them; tests drive them by hand.
 */
export function openWorld(start: string = SIM_START): World {
  const clock = new ManualClock(start);
  const sf = LocalSnowflake.open({ clock, timezone: 'UTC' });
  const admin = sf.session({ name: 'admin', timezone: 'UTC' });
  for (const f of ['run_history_log', 'sync_pipeline_run_history', 'reconcile_pipeline_run_history'] as const) {
    sf.executeScript(distSql(f), admin);
  }
  // The tasks dist/ resumes would run on the driven clock; tests call the procedures themselves.
  for (const t of ['SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION', 'RECONCILE_PIPELINE_RUN_HISTORY_DAILY', 'PURGE_SYNC_HISTORY_DAILY']) admin.execute(`ALTER TASK ${t} SUSPEND`);
  return { sf, clock, admin };
}

/** Empties source, replica, control and reconcile log (faster than a new database per seed). */
export function resetTables(w: World): void {
  for (const t of [SOURCE, REPLICA, CONTROL, STATE, RECONCILE_LOG]) w.admin.execute(`DELETE FROM ${t}`);
}

/** `micros` since the epoch as `YYYY-MM-DD HH:MI:SS.ffffff` (UTC, microsecond digits). */
export function stamp(micros: bigint): string {
  const ms = Number(micros / 1000n);
  const iso = new Date(ms).toISOString(); // 2026-03-01T00:00:00.123Z
  const frac = (micros % 1_000_000n).toString().padStart(6, '0');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${frac}`;
}

/** Microseconds since the epoch of an ISO instant. */
export function micros(iso: string): bigint {
  return BigInt(new Date(iso).getTime()) * 1000n;
}

/** The first cell of the first row. */
export function scalar(s: LocalSession, sql: string, binds: unknown[] = []): unknown {
  return s.execute(sql, binds).rows[0]?.[0] ?? null;
}

/** The procedure's VARIANT result, parsed. */
export function callResult<T>(s: LocalSession, sql: string, binds: unknown[] = []): T {
  const cell = s.execute(sql, binds).rows[0]?.[0];
  return (typeof cell === 'string' ? JSON.parse(cell) : cell) as T;
}

/**
 * A run's summary as the tests read it: the procedure's own type (procedure/sync.ts), with the
 * status widened so a run failed on purpose can be recorded next to successful ones.
 */
export type SyncSummary = Omit<ProcedureSyncSummary, 'status' | 'syncName'> & { status: string };

/** Options of HYBRID_SYNC_TABLE beyond the table pair (procedure/procedures.ts SyncTableOptions). */
export interface SyncOptions {
  lookbackSeconds?: number;
  batchSize?: number;
  maxBatches?: number;
  leaseSeconds?: number;
  syncName?: string;
}

/** The CONFIG of HYBRID_SYNC_TABLE for the seed's pair. */
export function syncConfig(opts: SyncOptions = {}): Record<string, unknown> {
  return { sourceTable: SOURCE, targetTable: REPLICA, keyColumns: ['PIPELINE_RUN_ID'], columns: [...COLUMNS], ...opts };
}

/**
 * Calls the generic HYBRID_SYNC_TABLE with a CONFIG object, bound as a JSON string through
 * PARSE_JSON (Snowflake accepts it as well) so no value is spliced into SQL text. The OBJECT
 * constant form `CALL HYBRID_SYNC_TABLE({'sourceTable': …})` is covered in scenarios.test.ts.
 */
export function syncTable(s: LocalSession, opts: SyncOptions = {}): SyncSummary {
  return callResult<SyncSummary>(s, 'CALL HYBRID_SYNC_TABLE(PARSE_JSON(?))', [JSON.stringify(syncConfig(opts))]);
}

/** How the replica differs from the source, column for column. */
export interface Divergence {
  sourceRows: number;
  replicaRows: number;
  /** Source rows (all columns) absent from the replica: lost or stale. */
  missing: number;
  /** Replica rows (all columns) absent from the source. */
  extra: number;
}

/** Compares source and replica with EXCEPT both ways over every column, plus row counts. */
export function divergence(s: LocalSession): Divergence {
  const cols = COLUMNS.join(', ');
  const n = (sql: string): number => Number(scalar(s, sql));
  return {
    sourceRows: n(`SELECT COUNT(*) FROM ${SOURCE}`),
    replicaRows: n(`SELECT COUNT(*) FROM ${REPLICA}`),
    missing: n(`SELECT COUNT(*) FROM (SELECT ${cols} FROM ${SOURCE} EXCEPT SELECT ${cols} FROM ${REPLICA})`),
    extra: n(`SELECT COUNT(*) FROM (SELECT ${cols} FROM ${REPLICA} EXCEPT SELECT ${cols} FROM ${SOURCE})`),
  };
}

/** The last successful watermark of a sync (what the next run starts from), full precision. */
export function watermark(s: LocalSession, syncName: string = SYNC_NAME): string | null {
  // Where the next run starts: the last claimed run's WATERMARK_TO if it succeeded, else the
  // state's watermark (as the procedure reads it).
  const v = scalar(
    s,
    `SELECT TO_VARCHAR(COALESCE((SELECT COALESCE(IFF(C.SYNC_STATUS = 'SUCCESS', C.WATERMARK_TO, NULL), S.WATERMARK) ` +
      `FROM ${STATE} AS S LEFT JOIN ${CONTROL} AS C ON C.SYNC_RUN_ID = S.RUN_ID WHERE S.SYNC_NAME = ?), ` +
      // A sync without a state row (the seed's flow, or before the first run): the seed's rule.
      `(SELECT MAX(WATERMARK_TO) FROM ${CONTROL} WHERE TABLE_NAME = ? AND SYNC_STATUS = 'SUCCESS')), '${TS_FMT}')`,
    [syncName, syncName],
  );
  return v === null ? null : String(v);
}

/** One control row, as the tests read it. */
export interface ControlRow {
  id: number;
  status: string;
  from: string | null;
  to: string | null;
  inserted: number | null;
  updated: number | null;
  error: string | null;
  batch: number | null;
}

/** The control rows of a sync, oldest first. */
export function controlRows(s: LocalSession, syncName: string = SYNC_NAME): ControlRow[] {
  const r = s.execute(
    `SELECT SYNC_RUN_ID, SYNC_STATUS, TO_VARCHAR(WATERMARK_FROM, '${TS_FMT}'), TO_VARCHAR(WATERMARK_TO, '${TS_FMT}'), ` +
      `ROWS_INSERTED, ROWS_UPDATED, ERROR_MESSAGE, BATCH_NUMBER FROM ${CONTROL} WHERE TABLE_NAME = ? ORDER BY SYNC_RUN_ID`,
    [syncName],
  );
  const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  return r.rows.map((row) => ({
    id: Number(row[0]),
    status: String(row[1]),
    from: str(row[2]),
    to: str(row[3]),
    inserted: num(row[4]),
    updated: num(row[5]),
    error: str(row[6]),
    batch: num(row[7]),
  }));
}

/**
 * The newest source stamp that is not in the replica with the same version: the watermark must
 * never pass it ("the watermark advances only with data that has been merged").
 */
export function oldestUnmerged(s: LocalSession): string | null {
  const cols = COLUMNS.join(', ');
  const v = scalar(
    s,
    `SELECT TO_VARCHAR(MIN(LAST_UPDATE_DATE), '${TS_FMT}') FROM (SELECT ${cols} FROM ${SOURCE} EXCEPT SELECT ${cols} FROM ${REPLICA})`,
  );
  return v === null ? null : String(v);
}

/**
 * Inserts `n` source rows with ids from `firstId`, stamped `at` (a `stamp()` string) plus
 * `stepMicros` × their index. Stamps are bound as plain strings (Snowflake casts them to the
 * column type): the local runtime rewrites every TO_TIMESTAMP_NTZ call in a statement's text,
 * which gets slow on multi-thousand-row VALUES lists.
 */
export function insertRows(s: LocalSession, firstId: number, n: number, at: string, tag = 'seed', stepMicros = 0): void {
  const base = stepMicros === 0 ? 0n : parseMicros(at);
  const chunk = 1000;
  for (let start = 0; start < n; start += chunk) {
    const size = Math.min(chunk, n - start);
    const binds: unknown[] = [];
    for (let i = 0; i < size; i++) {
      const k = start + i;
      const ts = stepMicros === 0 ? at : stamp(base + BigInt(k) * BigInt(stepMicros));
      binds.push(firstId + k, `pipeline_${tag}`, tag, ts, k, ts, ts);
    }
    const tuple = "(?, ?, 'RUNNING', ?, ?, NULL, ?, NULL, NULL, ?, ?)";
    s.execute(`INSERT INTO ${SOURCE} (${COLUMNS.join(', ')}) VALUES ${Array.from({ length: size }, () => tuple).join(', ')}`, binds);
  }
}

/** `YYYY-MM-DD HH:MI:SS.ffffff[fff]` (UTC) to µs since the epoch. */
export function parseMicros(text: string): bigint {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})\.(\d{6})\d*$/.exec(text);
  if (!m) throw new Error(`unexpected timestamp text ${text}`);
  return BigInt(Date.parse(`${m[1]}T${m[2]}Z`)) * 1000n + BigInt(m[3] as string);
}

/**
 * Loads a backlog of `n` source rows fast: 1,000 rows through VALUES, then doubling with
 * INSERT … SELECT from the source itself (ids and stamps shifted), so a million rows take a
 * handful of statements. Row k (from 0) gets id `firstId + k` and stamp `at` + k × `stepMicros`.
 */
export function insertBacklog(s: LocalSession, firstId: number, n: number, at: string, stepMicros: number, tag = 'backlog'): void {
  const seedRows = Math.min(n, 1000);
  insertRows(s, firstId, seedRows, at, tag, stepMicros);
  let have = seedRows;
  while (have < n) {
    const add = Math.min(have, n - have);
    const shift = BigInt(have) * BigInt(stepMicros);
    s.execute(
      `INSERT INTO ${SOURCE} (${COLUMNS.join(', ')}) ` +
        `SELECT PIPELINE_RUN_ID + ?, PIPELINE_NAME, RUN_STATUS, TRIGGERED_BY, DATEADD('microsecond', ?, START_TIME), END_TIME, ` +
        `ROWS_READ + ?, ROWS_WRITTEN, ERROR_MESSAGE, DATEADD('microsecond', ?, CREATED_AT), DATEADD('microsecond', ?, LAST_UPDATE_DATE) ` +
        `FROM ${SOURCE} WHERE PIPELINE_RUN_ID >= ? AND PIPELINE_RUN_ID < ?`,
      [have, shift.toString(), have, shift.toString(), shift.toString(), firstId, firstId + add],
    );
    have += add;
  }
}
