/**
 * A seeded concurrency simulation of writers and sync runs on the local runtime.
 *
 * Several writer sessions insert and update rows of ETL_PIPELINE_RUN_HISTORY_LOG while sync
 * runs interleave, on a simulated clock (the runtime's SYSDATE() follows it too). Writers stamp
 * LAST_UPDATE_DATE themselves from a bound string with microsecond digits, except one that
 * relies on the column's DEFAULT SYSDATE() from a session in another time zone. The workload
 * has what the sync contract promises to survive:
 *
 * - transactions held open across sync runs that commit rows stamped before the watermark
 *   (held less than the lookback minus the clock tolerance, in simulated seconds);
 * - bursts of rows with one identical LAST_UPDATE_DATE, larger than the batch size;
 * - a writer whose clock runs ahead of the others by up to the tolerance;
 * - the sync called from a session whose TIMEZONE differs from the writers';
 * - writer statements slipped in *between* the statements of a running sync (through the
 *   runtime's per-statement hook), so commits land between plan, MERGE and finish.
 *
 * Users' requirement, stated here because the sync relies on it: an update must keep the row's
 * stamp monotonic, `LAST_UPDATE_DATE = GREATEST(new stamp, LAST_UPDATE_DATE + 1 µs)`. Without
 * it a writer with a slower clock could move a row's stamp backwards, below a version the
 * replica already holds, and the MERGE (which never goes back to an older version) would
 * rightly refuse it.
 *
 * After the writers stop and the sync catches up, the replica must equal the source column for
 * column, and one more run must write nothing.
 */
import type { LocalSession } from '../../local/index.js';
import { Random } from '../support/sim-random.js';
import {
  BIND_TS,
  COLUMNS,
  SOURCE,
  TS_FMT,
  callResult,
  divergence,
  micros,
  resetTables,
  stamp,
  syncTable,
  watermark,
  type Divergence,
  type SyncSummary,
  type World,
} from '../support/sim-world.js';
import { SEED_FLOW_CONTROL, SEED_FLOW_PROC as NAIVE_PROC } from '../../scripts/bench/seed-flow.js';

/** Which sync the simulation drives. */
export type Variant = 'ours' | 'naive';

/** Knobs of one simulated history; everything else is drawn from the seed. */
export interface SimParams {
  seed: number;
  variant: Variant;
  /** Writer steps before the writers stop. */
  steps: number;
  /** The sync's lookback, in simulated seconds. */
  lookbackSeconds: number;
  /** How far ahead of the others one writer's clock may run, in simulated seconds. */
  clockToleranceSeconds: number;
}

export const DEFAULT_PARAMS: Omit<SimParams, 'seed' | 'variant'> = {
  steps: 100,
  lookbackSeconds: 10,
  clockToleranceSeconds: 2,
};

/** What one simulated history did and how it ended. */
export interface SimResult {
  seed: number;
  variant: Variant;
  batchSize: number;
  /** Row versions committed: inserts plus updates. */
  rowsWritten: number;
  inserts: number;
  updates: number;
  /** Bursts of rows sharing one stamp, each larger than the batch size. */
  bursts: number;
  /** Transactions held open across at least one sync run. */
  txsAcrossSyncs: number;
  /** Rows committed with a stamp older than the watermark at that moment. */
  lateCommits: number;
  /** Writer statements run between the statements of a sync. */
  interleaved: number;
  /** Sync runs failed on purpose (one of their statements made to fail), ours only. */
  faults: number;
  syncRuns: number;
  /** Most batches one run needed. */
  maxBatches: number;
  /** Sync runs after the writers stopped, until a run found nothing to do. */
  catchUpRuns: number;
  /** Replica vs source after catching up. */
  final: Divergence;
  /** Source rows whose content never reached the replica: `final.missing`. */
  lost: number;
  /** The run after catching up (ours only): must be 0 and 0. */
  idempotent: { inserted: number; updated: number } | null;
  /** Rows whose stamp in the source differs from the simulation's model (runtime check). */
  modelMismatches: number;
  syncTimezone: string;
  writerTimezones: string[];
}

interface Tx {
  commitAt: bigint;
  /** `commitSeq` when it began: its snapshot. */
  beginSeq: number;
  /** Sync runs that happened while it was open. */
  syncsSeen: number;
  /** Row id -> its stamp before this transaction touched it (null: inserted here). */
  before: Map<number, bigint | null>;
  inserts: number;
  updates: number;
}

interface Writer {
  name: string;
  session: LocalSession;
  timezone: string;
  /** How far this writer's clock runs ahead, in µs. */
  skew: bigint;
  /** Stamps with SYSDATE() (the column DEFAULT on insert) instead of a bound string. */
  sysdate: boolean;
  tx: Tx | null;
}

const TIMEZONES = ['UTC', 'Asia/Kolkata', 'America/Los_Angeles', 'Australia/Adelaide', 'Pacific/Chatham'];
const STATUSES = ['RUNNING', 'SUCCESS', 'FAILED', 'RETRYING', 'CANCELLED'];
const MESSAGES = [null, 'timeout after 300 s', "it's done: 100% ✓", 'line1\nline2', 'ключ не найден', ''];
const ONE_SECOND = 1_000_000n;
/** The statements of a run (procedure/sql.ts), any of which the simulation may make fail. */
const RUN_STATEMENTS = [
  /^SELECT\s+IFF\(S\.SYNC_NAME IS NULL/,
  /^WITH LAST_RUN AS \(/,
  /^UPDATE "ETL_PIPELINE_SYNC_STATE" SET RUN_ID/,
  /^MERGE INTO /,
  /^INSERT INTO "ETL_PIPELINE_SYNC_CONTROL"/,
  /^WITH BATCH AS \(/,
];

/** The simulated history of one seed. */
export class Simulation {
  private readonly rng: Random;
  /** The simulated clock, µs since the epoch; the runtime's ManualClock follows it. */
  private now: bigint;
  private readonly writers: Writer[] = [];
  /** Committed-or-pending stamp of every row, and which writer's transaction holds it. */
  private readonly rows = new Map<number, { stamp: bigint; lockedBy: Writer | null; lastCommit: number }>();
  /** Counts commits: a transaction may only update rows last committed before it began. */
  private commitSeq = 0;
  private nextId = 1;
  private readonly batchSize: number;
  private readonly syncEvery: bigint;
  private readonly sync: LocalSession;
  private wm: bigint | null = null;
  private inSync = false;
  /** Set when the writers stop: from then on only open transactions may still commit. */
  private stopped = false;
  private hookBusy = false;
  private readonly stats: Omit<SimResult, 'final' | 'lost' | 'idempotent' | 'modelMismatches' | 'catchUpRuns'>;

  constructor(
    private readonly world: World,
    private readonly p: SimParams,
  ) {
    this.rng = new Random(p.seed);
    resetTables(world);
    world.admin.execute(`DELETE FROM ${SEED_FLOW_CONTROL}`);
    this.now = micros('2026-03-01T00:00:00Z') + BigInt(this.rng.int(0, 86_400)) * ONE_SECOND + BigInt(this.rng.int(0, 999_999));
    world.clock.advance(Number(this.now - world.clock.nowMicros()) / 1000);
    this.batchSize = this.rng.int(5, 12);
    this.syncEvery = BigInt(this.rng.int(1_500_000, 6_000_000));
    const writerCount = this.rng.int(3, 4);
    const skewed = this.rng.int(0, writerCount - 1);
    const sysdateWriter = (skewed + 1) % writerCount;
    for (let i = 0; i < writerCount; i++) {
      const timezone = i === sysdateWriter ? 'America/Los_Angeles' : this.rng.pick(TIMEZONES);
      this.writers.push({
        name: `writer${i}`,
        session: world.sf.session({ name: `sim-writer${i}`, timezone }),
        timezone,
        skew: i === skewed ? BigInt(this.rng.int(1, p.clockToleranceSeconds * 1_000_000)) : 0n,
        sysdate: i === sysdateWriter,
        tx: null,
      });
    }
    const writerZones = this.writers.map((w) => w.timezone);
    const others = TIMEZONES.filter((z) => z !== writerZones[0]);
    const syncTimezone = this.rng.pick(others);
    this.sync = world.sf.session({ name: 'sim-sync', timezone: syncTimezone });
    this.stats = {
      seed: p.seed,
      variant: p.variant,
      batchSize: this.batchSize,
      rowsWritten: 0,
      inserts: 0,
      updates: 0,
      bursts: 0,
      txsAcrossSyncs: 0,
      lateCommits: 0,
      interleaved: 0,
      faults: 0,
      syncRuns: 0,
      maxBatches: 0,
      syncTimezone,
      writerTimezones: writerZones,
    };
  }

  /** Plays the whole history and returns what happened. */
  run(): SimResult {
    const faults = this.world.sf.faults;
    const original = faults.check.bind(faults);
    // The runtime calls faults.check before every statement: the one hook that lets writers
    // act between the statements of a sync that is running synchronously in this thread.
    faults.check = (sql: string): void => {
      if (this.inSync && !this.hookBusy) this.betweenSyncStatements();
      original(sql);
    };
    try {
      return this.play();
    } finally {
      faults.check = original;
      for (const w of this.writers) w.session.close();
      this.sync.close();
    }
  }

  private play(): SimResult {
    let nextSync = this.now + this.syncEvery;
    for (let step = 0; step < this.p.steps; step++) {
      this.advance(BigInt(this.rng.int(1, 1_000_000)));
      this.commitDue();
      this.writerStep(this.rng.pick(this.writers));
      if (this.now >= nextSync) {
        this.runSync();
        nextSync = this.now + (this.syncEvery * BigInt(this.rng.int(50, 150))) / 100n;
      }
    }
    // Writers stop: open transactions still commit when their hold ends, while syncs go on.
    this.stopped = true;
    while (this.writers.some((w) => w.tx !== null)) {
      this.advance(BigInt(this.rng.int(1, 900_000)));
      this.commitDue();
      if (this.now >= nextSync) {
        this.runSync();
        nextSync = this.now + this.syncEvery;
      }
    }
    let catchUpRuns = 0;
    let quiet = false;
    const limit = this.p.variant === 'ours' ? 200 : 3;
    while (catchUpRuns < limit && !quiet) {
      this.advance(this.syncEvery);
      const r = this.runSync();
      catchUpRuns++;
      quiet = this.p.variant === 'ours' ? r.rowsInserted === 0 && r.rowsUpdated === 0 && !r.moreToSync : false;
    }
    let idempotent: SimResult['idempotent'] = null;
    if (this.p.variant === 'ours') {
      this.advance(this.syncEvery);
      const r = this.runSync();
      idempotent = { inserted: r.rowsInserted, updated: r.rowsUpdated };
    }
    const final = divergence(this.world.admin);
    return { ...this.stats, catchUpRuns, final, lost: final.missing, idempotent, modelMismatches: this.modelMismatches() };
  }

  private advance(us: bigint): void {
    this.now += us;
    this.world.clock.advance(Number(us) / 1000);
  }

  private writerNow(w: Writer): bigint {
    return this.now + w.skew;
  }

  /** One writer's move: begin a long transaction, write in it, roll it back, or autocommit. */
  private writerStep(w: Writer): void {
    if (w.tx === null) {
      const r = this.rng.next();
      if (r < 0.12) {
        const maxHold = (this.p.lookbackSeconds - this.p.clockToleranceSeconds - 2) * 1_000_000;
        w.session.execute('BEGIN');
        w.tx = { commitAt: this.now + BigInt(this.rng.int(300_000, maxHold)), beginSeq: this.commitSeq, syncsSeen: 0, before: new Map(), inserts: 0, updates: 0 };
        for (let i = this.rng.int(1, 3); i > 0; i--) this.write(w);
      } else if (r < 0.15) {
        this.burst(w);
      } else {
        this.write(w);
      }
      return;
    }
    const r = this.rng.next();
    if (r < 0.04) this.rollback(w);
    else if (r < 0.06) this.burst(w);
    else if (r < 0.5) this.write(w);
  }

  /** An insert or an update by `w` (in its transaction, if one is open). */
  private write(w: Writer): void {
    const candidates = this.updatable(w);
    if (candidates.length > 0 && this.rng.chance(0.5)) this.update(w, this.rng.pick(candidates));
    else this.insert(w, 1);
  }

  private burst(w: Writer): void {
    this.stats.bursts++;
    this.insert(w, this.batchSize + this.rng.int(1, this.batchSize * 2));
  }

  /**
   * Rows `w` may update: not held by another writer's open transaction and, inside a
   * transaction, not changed by a commit after it began. (Snowflake would make the writer wait
   * for the row lock; DuckDB, optimistic, fails the statement instead, so the simulation does
   * not ask for it.)
   */
  private updatable(w: Writer): number[] {
    const ids: number[] = [];
    for (const [id, r] of this.rows) {
      if (r.lockedBy === w) ids.push(id);
      else if (r.lockedBy === null && (w.tx === null || r.lastCommit <= w.tx.beginSeq)) ids.push(id);
    }
    return ids;
  }

  /** Inserts `n` rows sharing one stamp, in one statement. */
  private insert(w: Writer, n: number): void {
    const at = this.writerNow(w);
    const ids = Array.from({ length: n }, () => this.nextId++);
    const binds: unknown[] = [];
    let tuple: string;
    let cols: string;
    if (w.sysdate) {
      // The column DEFAULT SYSDATE() stamps the row: UTC whatever the session's TIMEZONE.
      cols = 'PIPELINE_RUN_ID, PIPELINE_NAME, RUN_STATUS, TRIGGERED_BY, ROWS_READ';
      tuple = '(?, ?, ?, ?, ?)';
      for (const id of ids) binds.push(id, `pipeline_${id % 17}`, 'RUNNING', w.name, this.bigNumber());
    } else {
      cols = COLUMNS.join(', ');
      tuple = `(?, ?, ?, ?, ${BIND_TS}, NULL, ?, NULL, NULL, ${BIND_TS}, ${BIND_TS})`;
      const s = stamp(at);
      for (const id of ids) binds.push(id, `pipeline_${id % 17}`, 'RUNNING', w.name, s, this.bigNumber(), s, s);
    }
    w.session.execute(`INSERT INTO ${SOURCE} (${cols}) VALUES ${ids.map(() => tuple).join(', ')}`, binds);
    for (const id of ids) {
      this.rows.set(id, { stamp: at, lockedBy: w.tx ? w : null, lastCommit: this.commitSeq + 1 });
      if (w.tx) w.tx.before.set(id, null);
    }
    if (w.tx) w.tx.inserts += n;
    else this.committed(n, 0, ids.map(() => at));
  }

  private update(w: Writer, id: number): void {
    const row = this.rows.get(id);
    if (!row) throw new Error(`simulation bug: row ${id} unknown`);
    const proposed = this.writerNow(w);
    const next = proposed > row.stamp ? proposed : row.stamp + 1n;
    const stampExpr = w.sysdate ? 'SYSDATE()' : BIND_TS;
    const binds: unknown[] = [this.rng.pick(STATUSES), this.rng.pick(MESSAGES), this.bigNumber(), this.rng.int(0, 1_000_000)];
    if (!w.sysdate) binds.push(stamp(proposed), stamp(proposed));
    binds.push(id);
    w.session.execute(
      `UPDATE ${SOURCE} SET RUN_STATUS = ?, ERROR_MESSAGE = ?, ROWS_WRITTEN = ?, ROWS_READ = ?, END_TIME = ${stampExpr}, ` +
        `LAST_UPDATE_DATE = GREATEST(${stampExpr}, DATEADD('microsecond', 1, LAST_UPDATE_DATE)) WHERE PIPELINE_RUN_ID = ?`,
      binds,
    );
    if (w.tx) {
      if (!w.tx.before.has(id)) w.tx.before.set(id, row.stamp);
      w.tx.updates++;
      row.lockedBy = w;
    } else {
      this.committed(0, 1, [next]);
      row.lastCommit = this.commitSeq;
    }
    row.stamp = next;
  }

  /** Sometimes a number past 2^53, bound as a string, to catch a trip through a double. */
  private bigNumber(): string | number {
    return this.rng.chance(0.2) ? (9_007_199_254_740_993n + BigInt(this.rng.int(0, 1_000_000))).toString() : this.rng.int(0, 5_000_000);
  }

  private committed(inserts: number, updates: number, stamps: bigint[]): void {
    this.commitSeq++;
    this.stats.inserts += inserts;
    this.stats.updates += updates;
    this.stats.rowsWritten += inserts + updates;
    if (this.wm !== null) {
      const wm = this.wm;
      this.stats.lateCommits += stamps.filter((s) => s < wm).length;
    }
  }

  /** Commits every open transaction whose hold has ended. */
  private commitDue(): void {
    for (const w of this.writers) if (w.tx !== null && w.tx.commitAt <= this.now) this.commit(w);
  }

  private commit(w: Writer): void {
    const tx = w.tx as Tx;
    w.session.execute('COMMIT');
    w.tx = null;
    const stamps: bigint[] = [];
    for (const id of tx.before.keys()) {
      const row = this.rows.get(id);
      if (!row) continue;
      row.lockedBy = null;
      row.lastCommit = this.commitSeq + 1;
      stamps.push(row.stamp);
    }
    if (tx.syncsSeen > 0) this.stats.txsAcrossSyncs++;
    this.committed(tx.inserts, tx.updates, stamps);
  }

  private rollback(w: Writer): void {
    const tx = w.tx as Tx;
    w.session.execute('ROLLBACK');
    w.tx = null;
    for (const [id, before] of tx.before) {
      if (before === null) this.rows.delete(id);
      else {
        const row = this.rows.get(id);
        if (row) {
          row.stamp = before;
          row.lockedBy = null;
        }
      }
    }
  }

  /**
   * Inside a running sync, before each of its statements: time moves a little, due
   * transactions commit, and now and then a writer autocommits a row.
   */
  private betweenSyncStatements(): void {
    this.hookBusy = true;
    try {
      this.advance(BigInt(this.rng.int(0, 40_000)));
      for (const w of this.writers) {
        if (w.tx !== null && w.tx.commitAt <= this.now) {
          this.commit(w);
          this.stats.interleaved++;
        }
      }
      if (!this.stopped && this.rng.chance(0.2)) {
        const free = this.writers.filter((w) => w.tx === null);
        if (free.length > 0) {
          this.write(this.rng.pick(free));
          this.stats.interleaved++;
        }
      }
    } finally {
      this.hookBusy = false;
    }
  }

  /**
   * One sync run of the variant under test. While writers write, one run in ten of ours has one
   * of its statements fail (the run must log it and a later run must make up for it); any other
   * failure fails the simulation.
   */
  private runSync(): SyncSummary {
    const faults = this.world.sf.faults;
    const inject = this.p.variant === 'ours' && !this.stopped && this.rng.chance(0.1);
    if (inject) faults.failNth(this.rng.pick(RUN_STATEMENTS), 1, { message: 'simulated fault' });
    this.inSync = true;
    let r: SyncSummary;
    try {
      r =
        this.p.variant === 'ours'
          ? syncTable(this.sync, { lookbackSeconds: this.p.lookbackSeconds, batchSize: this.batchSize })
          : callResult<SyncSummary>(this.sync, `CALL ${NAIVE_PROC}()`);
    } catch (e) {
      if (!inject || !/simulated fault/.test(e instanceof Error ? e.message : String(e))) throw e;
      this.stats.faults++;
      r = {
        status: 'FAILED', runIds: [], batches: 0, rowsInserted: 0, rowsUpdated: 0, watermarkFrom: null, watermarkTo: null,
        staleRunsClosed: 0, moreToSync: true, nullWatermarkRows: 0, futureRows: 0, futureMaxWatermark: null, statements: 0,
      };
    } finally {
      this.inSync = false;
      // A fault aimed at a statement this run did not reach (e.g. a second batch) is dropped.
      faults.clear();
    }
    this.stats.syncRuns++;
    this.stats.maxBatches = Math.max(this.stats.maxBatches, r.batches ?? 1);
    for (const w of this.writers) if (w.tx) w.tx.syncsSeen++;
    const wm = this.p.variant === 'naive' ? naiveWatermark(this.world.admin) : watermark(this.world.admin);
    this.wm = wm === null ? null : parseStamp(wm);
    return r;
  }

  /** Source stamps that differ from the model's (checks the runtime's GREATEST/DATEADD/SYSDATE). */
  private modelMismatches(): number {
    const rs = this.world.admin.execute(`SELECT PIPELINE_RUN_ID, TO_VARCHAR(LAST_UPDATE_DATE, '${TS_FMT}') FROM ${SOURCE}`);
    let bad = rs.rows.length === this.rows.size ? 0 : Math.abs(rs.rows.length - this.rows.size);
    for (const [id, text] of rs.rows) {
      const row = this.rows.get(Number(id));
      if (!row || parseStamp(String(text)) !== row.stamp) bad++;
    }
    return bad;
  }
}

/** `YYYY-MM-DD HH:MI:SS.fffffffff` (UTC) to µs since the epoch. */
export function parseStamp(text: string): bigint {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})\.(\d{6})\d*$/.exec(text);
  if (!m) throw new Error(`unexpected timestamp text ${text}`);
  return BigInt(Date.parse(`${m[1]}T${m[2]}Z`)) * 1000n + BigInt(m[3] as string);
}

/** Runs one seed of one variant and returns its result. */
export function simulate(world: World, seed: number, variant: Variant, params: Partial<typeof DEFAULT_PARAMS> = {}): SimResult {
  return new Simulation(world, { ...DEFAULT_PARAMS, ...params, seed, variant }).run();
}

/** The seed flow's watermark: the newest SUCCESS row of its own control table, as it reads it. */
function naiveWatermark(s: LocalSession): string | null {
  const v = s.execute(`SELECT TO_VARCHAR(MAX(WATERMARK_TO), '${TS_FMT}') FROM ${SEED_FLOW_CONTROL} WHERE SYNC_STATUS = 'SUCCESS'`).rows[0]?.[0];
  return v === null || v === undefined ? null : String(v);
}
