/**
 * One sync run: plan, then per batch open a control row, MERGE, close the row.
 *
 * Statements of a steady-state run with changes: plan, open, MERGE, finish = 4.
 * A run with nothing in its window: plan, one finished control row = 2.
 * Extra statements only when there is extra work: closing stale RUNNING rows (1), and each
 * further batch of a backlog (next-batch plan, open, MERGE, finish = 4).
 *
 * Failure: the batch's control row is closed FAILED with the error (or a FAILED row is inserted
 * when the run failed before opening one), then the error is rethrown so the task history shows
 * it too. The watermark only moves in a SUCCESS row written after its MERGE committed, so it
 * never passes data that was not merged.
 */
import type { SyncConfig } from './config.js';
import type { ResultSet, Snowflake, SnowflakeError } from './snowflake-api.js';
import {
  ERROR_MESSAGE_LIMIT,
  type QuotedNames,
  type SqlStatement,
  closeStaleStatement,
  columnsStatement,
  failRunStatement,
  failedRunInsertStatement,
  finishRunStatement,
  idleRunStatement,
  mergeStatement,
  nextBatchStatement,
  openRunStatement,
  planStatement,
  quoteConfig,
  controlPlanStatement,
  EPOCH_FLOOR,
} from './sql.js';

/** What a run returns (the procedure's VARIANT result). */
export interface SyncSummary {
  status: 'SUCCESS';
  syncName: string;
  /** Control rows written, one per batch. */
  runIds: number[];
  batches: number;
  rowsInserted: number;
  rowsUpdated: number;
  /** The low end of the first window (after the lookback), exclusive; null on a first run. */
  watermarkFrom: string | null;
  /** The watermark after the run; null while the source has never had a row. */
  watermarkTo: string | null;
  /** RUNNING rows of killed runs closed as FAILED by this run. */
  staleRunsClosed: number;
  /** True when the run stopped at `maxBatches` with more backlog left for the next run. */
  moreToSync: boolean;
  /** SQL statements this run issued. */
  statements: number;
}

/** Reads a column that may be NULL as a string (exact for numbers past 2^53). */
function stringOrNull(rs: ResultSet, col: string): string | null {
  return rs.getColumnValue(col) === null ? null : rs.getColumnValueAsString(col);
}

function toNumber(rs: ResultSet, col: string): number {
  return Number(rs.getColumnValueAsString(col));
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

/**
 * Runs one sync of `cfg` through `snowflake`. Returns the summary, or throws after logging.
 *
 * @example
 * const summary = runSync(snowflake, PIPELINE_RUN_HISTORY);
 * summary.rowsInserted; // rows new to the replica
 */
export function runSync(snowflake: Snowflake, cfg: SyncConfig): SyncSummary {
  const q: QuotedNames = quoteConfig(cfg);
  let statements = 0;
  const exec = (s: SqlStatement): ResultSet => {
    statements++;
    return snowflake.execute({ sqlText: s.sqlText, binds: s.binds });
  };

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
    statements: 0,
  };

  let step = 'plan';
  let openRunId: number | null = null;
  let pendingRunId: number | null = null;
  try {
    const plan = readPlan(cfg, q, exec, (name) => {
      step = name;
    });
    const lastWm = plan.lastWm;
    let low = plan.low;
    let high = plan.high;
    let batchRows = plan.batchRows;
    const running = plan.running;
    let runId = plan.runId;
    summary.watermarkFrom = low;
    summary.watermarkTo = lastWm;

    if (running > 0) {
      step = 'close stale runs';
      const closed = snowflake.createStatement(closeStaleStatement(cfg, q, runId));
      statements++;
      closed.execute();
      summary.staleRunsClosed = closed.getNumRowsUpdated();
    }

    // The first batch spans the lookback (late commits) plus up to batchSize rows past the
    // last watermark; a run with neither has nothing to merge.
    if (batchRows === 0) high = lastWm;
    if ((batchRows === 0 && plan.lookbackRows === 0) || high === null) {
      step = 'log idle run';
      exec(idleRunStatement(cfg, q, runId, low, lastWm));
      summary.runIds.push(runId);
      summary.statements = statements;
      return summary;
    }

    for (let batch = 1; ; batch++) {
      step = `open batch ${batch}`;
      pendingRunId = runId;
      exec(openRunStatement(cfg, q, runId, batch, low));
      openRunId = runId;
      summary.runIds.push(runId);

      step = `merge batch ${batch}`;
      const merged = exec(mergeStatement(q, low, high));
      merged.next();
      const inserted = Number(merged.getColumnValue('number of rows inserted'));
      const updated = Number(merged.getColumnValue('number of rows updated'));

      step = `finish batch ${batch}`;
      const to = later(summary.watermarkTo, high) as string;
      exec(finishRunStatement(q, runId, to, inserted, updated));
      openRunId = null;
      summary.batches = batch;
      summary.rowsInserted += inserted;
      summary.rowsUpdated += updated;
      summary.watermarkTo = to;

      if (batchRows < cfg.batchSize) break;
      if (batch >= cfg.maxBatches) {
        summary.moreToSync = true;
        break;
      }
      step = `plan batch ${batch + 1}`;
      const next = exec(nextBatchStatement(cfg, q, high));
      next.next();
      batchRows = toNumber(next, 'BATCH_ROWS');
      if (batchRows === 0) break;
      low = high;
      high = stringOrNull(next, 'HIGH_WM') as string;
      runId++;
    }
    summary.statements = statements;
    return summary;
  } catch (e) {
    const message = describeError(step, e);
    let logged = '';
    try {
      exec(openRunId !== null ? failRunStatement(q, openRunId, message) : failedRunInsertStatement(cfg, q, message));
    } catch (logError) {
      logged = ` (and logging the failure also failed: ${describeError('log failure', logError)})`;
    }
    if (isDuplicateKey(e) && step.indexOf('open batch') === 0) {
      throw new SyncRunError(
        `${cfg.syncName}: another run took run id ${String(pendingRunId)} at the same moment (two runs of this sync overlapped); ` +
          `this run stopped before merging anything. ${message}${logged}`,
        e,
      );
    }
    throw new SyncRunError(`${cfg.syncName} sync failed ${message}${logged}`, e);
  }
}

function isDuplicateKey(e: unknown): boolean {
  const msg = e && typeof e === 'object' ? String((e as SnowflakeError).message) : String(e);
  return /duplicate key|unique constraint|primary key/i.test(msg);
}

/**
 * Names how source and replica differ from the configured columns, and what to do about it.
 */
function schemaMismatch(q: QuotedNames, rs: ResultSet): string {
  const found: { [side: string]: string[] } = { SOURCE: [], TARGET: [] };
  while (rs.next()) (found[String(rs.getColumnValue('SIDE'))] as string[]).push(String(rs.getColumnValue('COLUMN_NAME')));
  const wanted = q.columns.map((c) => c.slice(1, -1).replace(/""/g, '"'));
  const problems: string[] = [];
  for (const side of ['SOURCE', 'TARGET']) {
    const have = found[side] as string[];
    const table = side === 'SOURCE' ? q.source : q.target;
    if (have.length === 0) {
      problems.push(`${side.toLowerCase()} table ${table} does not exist or is not visible to the procedure owner`);
      continue;
    }
    const extra = have.filter((c) => wanted.indexOf(c) < 0);
    const missing = wanted.filter((c) => have.indexOf(c) < 0);
    if (extra.length) problems.push(`${side.toLowerCase()} table ${table} has column(s) ${extra.join(', ')} that the sync does not replicate`);
    if (missing.length) problems.push(`${side.toLowerCase()} table ${table} lacks column(s) ${missing.join(', ')}`);
  }
  return (
    `schema mismatch: ${problems.join('; ')}. Nothing was written. Make source and replica have the same columns, ` +
    'list them in the sync config (columns), rebuild (npm run build:proc) and redeploy the procedure.'
  );
}

/** What the plan found, from one statement (`combined`) or two (`indexed`). */
interface Plan {
  lastWm: string | null;
  low: string | null;
  high: string | null;
  batchRows: number;
  lookbackRows: number;
  running: number;
  runId: number;
}

/**
 * Plans a run. The schema is checked before the source is read: a mismatch throws with every
 * differing column named, before anything is written. `setStep` names the step for the log.
 */
function readPlan(cfg: SyncConfig, q: QuotedNames, exec: (s: SqlStatement) => ResultSet, setStep: (name: string) => void): Plan {
  const first = exec(cfg.planMode === 'indexed' ? controlPlanStatement(cfg, q) : planStatement(cfg, q));
  first.next();
  const expected = q.columns.length;
  if (toNumber(first, 'SOURCE_COLUMNS') !== expected || toNumber(first, 'TARGET_COLUMNS') !== expected) {
    setStep('check schema');
    throw new Error(schemaMismatch(q, exec(columnsStatement(q))));
  }
  const plan: Plan = {
    lastWm: stringOrNull(first, 'LAST_WM'),
    low: stringOrNull(first, 'LOW_WM'),
    high: null,
    batchRows: 0,
    lookbackRows: 0,
    running: toNumber(first, 'RUNNING_ROWS'),
    runId: toNumber(first, 'NEXT_RUN_ID'),
  };
  const source = cfg.planMode === 'indexed' ? exec(nextBatchStatement(cfg, q, plan.lastWm ?? EPOCH_FLOOR, { low: plan.low, last: plan.lastWm })) : first;
  if (source !== first) source.next();
  plan.high = stringOrNull(source, 'HIGH_WM');
  plan.batchRows = toNumber(source, 'BATCH_ROWS');
  plan.lookbackRows = toNumber(source, 'LOOKBACK_ROWS');
  return plan;
}
