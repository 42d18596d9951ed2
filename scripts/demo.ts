/**
 * The whole system on one machine: the dist/ SQL on the local runtime, writers changing the
 * source (some in transactions held open across sync runs, one in another time zone), the task
 * calling the procedure on an accelerated schedule, live progress, and at the end a check that
 * the replica equals the source.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LocalSnowflake, type LocalSession } from '../local/index.js';
import { DIST_FILES, NAMES } from '../manifest/objects.js';

export interface DemoOptions {
  /** Seconds the writers run. */
  durationSeconds: number;
  /** The task's schedule during the demo, in seconds (the shipped task runs every minute). */
  intervalSeconds: number;
  /** Concurrent writer sessions. */
  writers: number;
  /** Row changes per writer per second. */
  rate: number;
  /** DuckDB file; deleted first unless `keep`, and only when the demo created it (see {@link DEMO_MARKER}). */
  dbPath: string;
  keep: boolean;
  /** Where the dist/ SQL is. */
  distDir: string;
  /** Seeded randomness, for repeatable demos. */
  seed: number;
}

export const DEFAULT_DEMO: DemoOptions = {
  durationSeconds: 20,
  intervalSeconds: 1,
  writers: 3,
  rate: 40,
  dbPath: '.hybrid-sync/demo.duckdb',
  keep: false,
  distDir: 'dist',
  seed: 1,
};

export interface DemoResult {
  equal: boolean;
  sourceRows: number;
  targetRows: number;
  differingRows: number;
  runs: number;
  failedRuns: number;
  rowsInserted: number;
  rowsUpdated: number;
  lateCommits: number;
}

const SRC = NAMES.source;
const TGT = NAMES.replica;
const CTL = NAMES.control;
const TASK = NAMES.syncTask;
const PROC = NAMES.syncProcedure;

/**
 * Written next to a database file the demo created (`FILE` + this suffix). Without `--keep` the
 * demo starts afresh by deleting the file, but only when this marker says the demo made it: a
 * `--db` pointing at anything else is refused, never overwritten.
 */
export const DEMO_MARKER = '.created-by-npm-start';
const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
const PIPELINES = ['orders_daily', 'customers_cdc', 'billing_rollup', 'events_hourly', 'inventory_snapshot'];

/** A small seeded PRNG (mulberry32): the same seed gives the same writes. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Writer {
  session: LocalSession;
  /** When the open transaction commits (ms since epoch), or null when none is open. */
  commitAt: number | null;
}

/** Runs the dist/ scripts that install tables, procedures, task and views. */
export function installDist(sf: LocalSnowflake, distDir: string): string[] {
  const files: string[] = [DIST_FILES.tables, DIST_FILES.sync, DIST_FILES.reconcile];
  const ran: string[] = [];
  for (const f of files) {
    const path = join(distDir, f);
    if (!existsSync(path)) {
      if (f === DIST_FILES.reconcile) continue;
      throw new Error(`${path} is missing: run \`npm run build:proc\` first`);
    }
    sf.executeScript(readFileSync(path, 'utf8'));
    ran.push(path);
  }
  return ran;
}

/** Rows that differ between source and replica, counted both ways. */
export function compareTables(s: LocalSession): { sourceRows: number; targetRows: number; differingRows: number } {
  const one = (sql: string): number => Number(s.execute(sql).rows[0]?.[0] ?? 0);
  return {
    sourceRows: one(`SELECT COUNT(*) FROM ${SRC}`),
    targetRows: one(`SELECT COUNT(*) FROM ${TGT}`),
    differingRows:
      one(`SELECT COUNT(*) FROM (SELECT * FROM ${SRC} EXCEPT SELECT * FROM ${TGT})`) +
      one(`SELECT COUNT(*) FROM (SELECT * FROM ${TGT} EXCEPT SELECT * FROM ${SRC})`),
  };
}

function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * Runs the demo. `out` receives progress lines; `shouldStop` ends the writing phase early
 * (Ctrl-C). Resolves with the verification result.
 */
export async function runDemo(
  opts: DemoOptions,
  out: (line: string) => void,
  shouldStop: () => boolean = () => false,
): Promise<DemoResult> {
  const marker = opts.dbPath + DEMO_MARKER;
  if (!opts.keep && existsSync(opts.dbPath)) {
    // The default file lives in the demo's own folder (earlier versions wrote no marker).
    if (!existsSync(marker) && opts.dbPath !== DEFAULT_DEMO.dbPath) {
      throw new Error(
        `${opts.dbPath} exists and was not created by npm start, so it is left as it is. ` + 'Pass --keep to run the demo on it, or --db with a path that does not exist yet.',
      );
    }
    rmSync(opts.dbPath);
    rmSync(opts.dbPath + '.wal', { force: true });
    rmSync(marker, { force: true });
  }
  mkdirSync(dirname(opts.dbPath), { recursive: true });
  if (!existsSync(opts.dbPath)) writeFileSync(marker, `${opts.dbPath} was created by npm start (the demo); it deletes it on its next run unless --keep.\n`);
  const sf = LocalSnowflake.open({ path: opts.dbPath });
  try {
    const admin = sf.session({ name: 'admin' });
    for (const f of installDist(sf, opts.distDir)) out(`installed ${f}`);
    admin.execute(`ALTER TASK ${TASK} SUSPEND`);
    admin.execute(`ALTER TASK ${TASK} SET SCHEDULE = '${opts.intervalSeconds} SECONDS'`);
    admin.execute(`ALTER TASK ${TASK} RESUME`);
    out(`task ${TASK} resumed, every ${opts.intervalSeconds}s (the deployed task runs every minute)`);

    const rand = prng(opts.seed);
    const writers: Writer[] = [];
    for (let i = 0; i < opts.writers; i++) {
      // One writer works in another time zone: SYSDATE() stamps stay UTC, so it cannot fall behind.
      const session = sf.session({ name: `writer-${i + 1}`, timezone: i === 1 ? 'America/Los_Angeles' : 'UTC' });
      writers.push({ session, commitAt: null });
    }
    const maxId = Number(admin.execute(`SELECT COALESCE(MAX(PIPELINE_RUN_ID), 0) FROM ${SRC}`).rows[0]?.[0] ?? 0);
    let nextId = maxId + 1;
    let lateCommits = 0;
    let changes = 0;
    let conflicts = 0;

    const change = (w: Writer): void => {
      const update = nextId > maxId + 10 && rand() < 0.4;
      if (update) {
        const id = maxId + 1 + Math.floor(rand() * (nextId - maxId - 1));
        const status = STATUSES[Math.floor(rand() * STATUSES.length)] as string;
        w.session.execute(
          `UPDATE ${SRC} SET RUN_STATUS = ?, ROWS_WRITTEN = COALESCE(ROWS_WRITTEN, 0) + ?, END_TIME = SYSDATE(), LAST_UPDATE_DATE = SYSDATE() WHERE PIPELINE_RUN_ID = ?`,
          [status, Math.floor(rand() * 1000), id],
        );
      } else {
        const id = nextId++;
        w.session.execute(
          `INSERT INTO ${SRC} (PIPELINE_RUN_ID, PIPELINE_NAME, RUN_STATUS, TRIGGERED_BY, START_TIME, ROWS_READ) VALUES (?, ?, 'RUNNING', ?, SYSDATE(), ?)`,
          [id, PIPELINES[id % PIPELINES.length] as string, rand() < 0.5 ? 'scheduler' : 'manual', Math.floor(rand() * 100000)],
        );
      }
      changes++;
    };

    sf.tasks.start();
    const started = Date.now();
    const end = started + opts.durationSeconds * 1000;
    let lastReport = 0;
    const tickMs = 50;
    while (Date.now() < end && !shouldStop()) {
      for (const w of writers) {
        const now = Date.now();
        if (w.commitAt !== null && now >= w.commitAt) {
          w.session.execute('COMMIT');
          w.commitAt = null;
          lateCommits++;
        }
        const n = Math.max(1, Math.round((opts.rate * tickMs) / 1000));
        // Now and then a writer opens a transaction and holds it across sync runs: its rows are
        // stamped now but become visible only at COMMIT, behind the watermark.
        if (w.commitAt === null && rand() < 0.05) {
          w.session.execute('BEGIN');
          w.commitAt = now + Math.round(opts.intervalSeconds * 1000 * (1 + rand() * 2));
        }
        for (let i = 0; i < n; i++) {
          try {
            change(w);
          } catch (e) {
            // Two writers updated the same row at once: the engine aborts one, as Snowflake
            // would with a lock timeout. Roll the loser back and go on; nothing of it was visible.
            if (!/conflict|aborted/i.test(String((e as Error).message))) throw e;
            conflicts++;
            if (w.commitAt !== null) {
              w.session.execute('ROLLBACK');
              w.commitAt = null;
            }
            break;
          }
        }
      }
      if (Date.now() - lastReport >= 1000) {
        lastReport = Date.now();
        out(progressLine(admin, started, changes, writers.filter((w) => w.commitAt !== null).length));
      }
      await sleep(tickMs);
    }
    for (const w of writers) {
      if (w.commitAt !== null) {
        w.session.execute('COMMIT');
        lateCommits++;
      }
    }
    sf.tasks.stop();
    out(`writers stopped after ${fmtInt(changes)} changes (${conflicts} write conflicts rolled back); catching up`);
    // Two more runs: the first takes what the writers left, the second must find nothing new.
    admin.execute(`CALL ${PROC}()`);
    const last = admin.execute(`CALL ${PROC}()`).rows[0]?.[0];
    out(`final run: ${JSON.stringify(last)}`);

    const cmp = compareTables(admin);
    const totals = admin.execute(
      `SELECT COUNT(*), COUNT_IF(SYNC_STATUS = 'FAILED'), COALESCE(SUM(ROWS_INSERTED), 0), COALESCE(SUM(ROWS_UPDATED), 0) FROM ${CTL}`,
    ).rows[0] as unknown[];
    out('');
    out('last runs (SELECT * FROM ETL_PIPELINE_SYNC_CONTROL ORDER BY SYNC_RUN_ID DESC LIMIT 5):');
    const recent = admin.execute(
      `SELECT SYNC_RUN_ID, SYNC_STATUS, ROWS_INSERTED, ROWS_UPDATED, TO_VARCHAR(WATERMARK_TO, 'YYYY-MM-DD HH24:MI:SS.FF6') AS WATERMARK_TO, ERROR_MESSAGE FROM ${CTL} ORDER BY SYNC_RUN_ID DESC LIMIT 5`,
    );
    out('  ' + recent.columns.map((c) => c.name).join(' | '));
    for (const r of recent.rows) out('  ' + r.map((v) => (v === null ? '' : String(v))).join(' | '));
    const result: DemoResult = {
      equal: cmp.differingRows === 0 && cmp.sourceRows === cmp.targetRows,
      ...cmp,
      runs: Number(totals[0]),
      failedRuns: Number(totals[1]),
      rowsInserted: Number(totals[2]),
      rowsUpdated: Number(totals[3]),
      lateCommits,
    };
    out('');
    out(
      result.equal
        ? `OK: replica equals source (${fmtInt(cmp.sourceRows)} rows) after ${fmtInt(result.runs)} runs; ${lateCommits} transactions were held open across runs and committed late`
        : `MISMATCH: ${fmtInt(cmp.differingRows)} rows differ (source ${fmtInt(cmp.sourceRows)}, replica ${fmtInt(cmp.targetRows)})`,
    );
    return result;
  } finally {
    sf.close();
  }
}

function progressLine(admin: LocalSession, started: number, changes: number, openTx: number): string {
  const r = admin.execute(
    `SELECT COUNT(*) AS RUNS, COUNT_IF(SYNC_STATUS = 'FAILED') AS FAILED, COALESCE(SUM(ROWS_INSERTED), 0) AS INS, COALESCE(SUM(ROWS_UPDATED), 0) AS UPD,
       TIMESTAMPDIFF('millisecond', MAX(IFF(SYNC_STATUS = 'SUCCESS', WATERMARK_TO, NULL)), (SELECT MAX(LAST_UPDATE_DATE) FROM ${SRC})) AS LAG_MS
     FROM ${CTL}`,
  ).rows[0] as unknown[];
  const secs = ((Date.now() - started) / 1000).toFixed(0).padStart(3);
  const lag = r[4] === null ? '-' : `${(Number(r[4]) / 1000).toFixed(1)}s`;
  return `[${secs}s] changes ${fmtInt(changes)} | runs ${fmtInt(Number(r[0]))} (failed ${Number(r[1])}) | inserted ${fmtInt(Number(r[2]))} updated ${fmtInt(Number(r[3]))} | lag ${lag} | open transactions ${openTx}`;
}
