/**
 * Several syncs sharing one control table, as a real account runs them: the shipped pair, an
 * NTZ pair whose writers sometimes stamp rows hours ahead, and a pair with a TIMESTAMP_LTZ
 * watermark whose writers and callers sit in different time zones. Each sync is called from
 * its own session (its task), and manual CALLs land in the middle of other runs: of the same
 * sync (they must stand aside, SKIPPED) and of other syncs (they must not notice).
 *
 * After the writers stop and the clock passes every future stamp, each replica must equal its
 * source; no run may have FAILED; run ids must never have collided.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSession } from '../../local/index.js';
import { CONTROL, SOURCE, REPLICA, callResult, divergence, openWorld, scalar, type SyncSummary, type World } from '../support/sim-world.js';
import { Random } from '../support/sim-random.js';

const SEEDS = Number(process.env.HYBRID_SYNC_MULTI_SEEDS ?? 3);
const STEPS = 45;

interface Pair {
  name: string;
  source: string;
  target: string;
  key: string;
  watermark: string;
  call: { sql: string; binds: unknown[] };
}

const ORDERS_COLUMNS = ['ORDER_ID', 'STATUS', 'AMOUNT', 'UPDATED_AT'];
const EVENTS_COLUMNS = ['EVENT_ID', 'KIND', 'TS'];
const generic = (cfg: Record<string, unknown>): { sql: string; binds: unknown[] } => ({ sql: 'CALL HYBRID_SYNC_TABLE(PARSE_JSON(?))', binds: [JSON.stringify(cfg)] });

const PAIRS: Pair[] = [
  { name: 'ETL_PIPELINE_RUN_HISTORY_LOG', source: SOURCE, target: REPLICA, key: 'PIPELINE_RUN_ID', watermark: 'LAST_UPDATE_DATE', call: { sql: 'CALL SYNC_PIPELINE_RUN_HISTORY_PROC()', binds: [] } },
  {
    name: 'ORDERS',
    source: 'ORDERS',
    target: 'ORDERS_REPLICA',
    key: 'ORDER_ID',
    watermark: 'UPDATED_AT',
    call: generic({ sourceTable: 'ORDERS', targetTable: 'ORDERS_REPLICA', keyColumns: ['ORDER_ID'], columns: ORDERS_COLUMNS, watermarkColumn: 'UPDATED_AT', syncName: 'ORDERS', lookbackSeconds: 60, batchSize: 7 }),
  },
  {
    name: 'EVENTS',
    source: 'EVENTS',
    target: 'EVENTS_REPLICA',
    key: 'EVENT_ID',
    watermark: 'TS',
    call: generic({ sourceTable: 'EVENTS', targetTable: 'EVENTS_REPLICA', keyColumns: ['EVENT_ID'], columns: EVENTS_COLUMNS, watermarkColumn: 'TS', syncName: 'EVENTS', lookbackSeconds: 60, batchSize: 5 }),
  },
];

function createPairs(admin: LocalSession): void {
  for (const t of ['ORDERS', 'ORDERS_REPLICA']) {
    admin.execute(
      `CREATE OR REPLACE HYBRID TABLE ${t} (ORDER_ID NUMBER(38,0) NOT NULL, STATUS VARCHAR(20), AMOUNT NUMBER(12,2), UPDATED_AT TIMESTAMP_NTZ(9) NOT NULL, ` +
        `PRIMARY KEY (ORDER_ID), INDEX IDX_${t}_UPDATED_AT (UPDATED_AT))`,
    );
  }
  for (const t of ['EVENTS', 'EVENTS_REPLICA']) {
    admin.execute(`CREATE OR REPLACE HYBRID TABLE ${t} (EVENT_ID NUMBER(38,0) NOT NULL, KIND VARCHAR(20), TS TIMESTAMP_LTZ(9) NOT NULL, PRIMARY KEY (EVENT_ID), INDEX IDX_${t}_TS (TS))`);
  }
}

/** Rows of source and replica that differ, over every column (EXCEPT both ways). */
function differing(s: LocalSession, p: Pair): number {
  const m = Number(scalar(s, `SELECT COUNT(*) FROM (SELECT * FROM ${p.source} EXCEPT SELECT * FROM ${p.target})`));
  const e = Number(scalar(s, `SELECT COUNT(*) FROM (SELECT * FROM ${p.target} EXCEPT SELECT * FROM ${p.source})`));
  return m + e;
}

interface Outcome {
  runs: number;
  skipped: number;
  failed: number;
  overlapsSame: number;
  overlapsOther: number;
  futureSeen: number;
  differing: number[];
  callerZones: Set<string>;
}

function simulate(w: World, seed: number): Outcome {
  const rng = new Random(seed);
  const zones = ['UTC', 'Asia/Tokyo', 'America/Los_Angeles', 'Europe/Berlin', 'Australia/Sydney'];
  const session = (name: string, tz: string): LocalSession => w.sf.session({ name, timezone: tz });
  const writers = zones.map((z, i) => session(`writer-${i}`, z));
  const callers = zones.map((z, i) => session(`caller-${i}`, z));
  const out: Outcome = { runs: 0, skipped: 0, failed: 0, overlapsSame: 0, overlapsOther: 0, futureSeen: 0, differing: [], callerZones: new Set() };
  const ids = { run: 1, order: 1, event: 1 };

  const call = (p: Pair, s: LocalSession): SyncSummary | null => {
    out.runs++;
    out.callerZones.add(s.name);
    try {
      const r = callResult<SyncSummary>(s, p.call.sql, p.call.binds);
      if (r.status === 'SKIPPED') out.skipped++;
      out.futureSeen += r.futureRows;
      return r;
    } catch (e) {
      out.failed++;
      throw e;
    }
  };

  // Manual CALLs in the middle of a run: hooked on the statements a run sends.
  const faults = w.sf.faults;
  const original = faults.check.bind(faults);
  let inManual = false;
  faults.check = (sql: string): void => {
    original(sql);
    if (inManual) return;
    const running = PAIRS.find((p) => new RegExp(`^MERGE INTO "${p.target}"`).test(sql) || (/^UPDATE "ETL_PIPELINE_SYNC_STATE" SET RUN_ID/.test(sql) && rng.chance(0.5)));
    if (!running || !rng.chance(0.3)) return;
    inManual = true;
    try {
      const same = rng.chance(0.5);
      const target = same ? running : rng.pick(PAIRS.filter((p) => p !== running));
      call(target, rng.pick(callers));
      if (same) out.overlapsSame++;
      else out.overlapsOther++;
    } finally {
      inManual = false;
    }
  };

  const write = (): void => {
    const wr = rng.pick(writers);
    switch (rng.int(0, 5)) {
      case 0:
        wr.execute(`INSERT INTO ${SOURCE} (PIPELINE_RUN_ID, PIPELINE_NAME, RUN_STATUS) VALUES (?, 'p', 'RUNNING')`, [ids.run++]);
        break;
      case 1:
        if (ids.run > 1) {
          wr.execute(
            `UPDATE ${SOURCE} SET RUN_STATUS = 'SUCCESS', ROWS_WRITTEN = COALESCE(ROWS_WRITTEN, 0) + 1, LAST_UPDATE_DATE = GREATEST(SYSDATE(), DATEADD('microsecond', 1, LAST_UPDATE_DATE)) WHERE PIPELINE_RUN_ID = ?`,
            [rng.int(1, ids.run - 1)],
          );
        }
        break;
      case 2: {
        // One writer in ten stores local wall time hours ahead of UTC in the NTZ column.
        const ahead = rng.chance(0.1) ? rng.int(1, 6) : 0;
        wr.execute(`INSERT INTO ORDERS VALUES (?, 'NEW', ?, DATEADD('hour', ?, SYSDATE()))`, [ids.order++, rng.int(1, 99999) / 100, ahead]);
        break;
      }
      case 3:
        if (ids.order > 1) {
          wr.execute(`UPDATE ORDERS SET STATUS = 'PAID', AMOUNT = AMOUNT + 1, UPDATED_AT = GREATEST(SYSDATE(), DATEADD('microsecond', 1, UPDATED_AT)) WHERE ORDER_ID = ?`, [
            rng.int(1, ids.order - 1),
          ]);
        }
        break;
      case 4:
        // LTZ: CURRENT_TIMESTAMP() is an instant, whatever the writer session's zone.
        wr.execute(`INSERT INTO EVENTS VALUES (?, 'open', CURRENT_TIMESTAMP())`, [ids.event++]);
        break;
      default:
        if (ids.event > 1) {
          wr.execute(`UPDATE EVENTS SET KIND = 'closed', TS = GREATEST(CURRENT_TIMESTAMP(), DATEADD('microsecond', 1, TS)) WHERE EVENT_ID = ?`, [rng.int(1, ids.event - 1)]);
        }
    }
  };

  try {
    for (let step = 0; step < STEPS; step++) {
      for (let k = rng.int(1, 6); k > 0; k--) write();
      w.clock.advance(rng.int(1, 20) * 1000);
      // Each sync's task, from its own session (and zone); EVENTS alternates between zones.
      for (const [i, p] of PAIRS.entries()) {
        if (rng.chance(0.8)) call(p, p.name === 'EVENTS' ? rng.pick(callers) : (callers[i] as LocalSession));
      }
    }
    // Writers stop; the clock passes every future stamp; each sync catches up.
    w.clock.advance(7 * 3600 * 1000);
    faults.check = original;
    for (const p of PAIRS) {
      for (let i = 0; i < 30; i++) {
        w.clock.advance(60_000);
        const r = call(p, rng.pick(callers));
        if (r && r.status === 'SUCCESS' && r.rowsInserted + r.rowsUpdated === 0 && !r.moreToSync) break;
      }
      out.differing.push(differing(w.admin, p));
    }
  } finally {
    faults.check = original;
    for (const s of [...writers, ...callers]) s.close();
  }
  return out;
}

describe(`${SEEDS} seeds of three syncs on one control table (overlapping CALLs, LTZ in five zones, future stamps)`, () => {
  const results: Array<{ seed: number; o: Outcome; failedRows: number; dupIds: number; syncs: number; statusFailures: number }> = [];
  beforeAll(() => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const w = openWorld('2026-03-01T00:00:00Z');
      try {
        createPairs(w.admin);
        const o = simulate(w, seed);
        results.push({
          seed,
          o,
          failedRows: Number(scalar(w.admin, `SELECT COUNT(*) FROM ${CONTROL} WHERE SYNC_STATUS = 'FAILED'`)),
          dupIds: Number(scalar(w.admin, `SELECT COUNT(*) - COUNT(DISTINCT SYNC_RUN_ID) FROM ${CONTROL}`)),
          syncs: Number(scalar(w.admin, `SELECT COUNT(DISTINCT TABLE_NAME) FROM ${CONTROL}`)),
          statusFailures: Number(scalar(w.admin, 'SELECT SUM(FAILURES_24H) FROM ETL_PIPELINE_SYNC_STATUS')),
        });
        expect(divergence(w.admin).missing).toBe(0);
      } finally {
        w.sf.close();
      }
    }
  }, 240_000);
  afterAll(() => {
    const sum = (f: (r: (typeof results)[number]) => number): number => results.reduce((a, r) => a + f(r), 0);
    console.log(
      `[multi-sync] seeds ${results.length}: runs ${sum((r) => r.o.runs)}, SKIPPED ${sum((r) => r.o.skipped)}, FAILED ${sum((r) => r.o.failed)}, ` +
        `manual CALLs into a live run of the same sync ${sum((r) => r.o.overlapsSame)}, of another sync ${sum((r) => r.o.overlapsOther)}, ` +
        `rows seen ahead of the clock ${sum((r) => r.o.futureSeen)}, rows differing at the end ${sum((r) => r.o.differing.reduce((a, b) => a + b, 0))}`,
    );
  });

  it('every replica equals its source once runs catch up: no row lost, none stale', () => {
    for (const r of results) expect(r.o.differing, `seed ${r.seed}`).toEqual([0, 0, 0]);
  });

  it('no run FAILED, none was closed as dead, and run ids never collided across syncs', () => {
    for (const r of results) {
      expect(r.o.failed, `seed ${r.seed}`).toBe(0);
      expect(r.failedRows, `seed ${r.seed}`).toBe(0);
      expect(r.statusFailures, `seed ${r.seed}`).toBe(0);
      expect(r.dupIds).toBe(0);
      expect(r.syncs).toBe(3);
    }
  });

  it('the hazards really happened: overlaps of the same sync (SKIPPED) and of others, future stamps, callers in several zones', () => {
    const total = (f: (o: Outcome) => number): number => results.reduce((a, r) => a + f(r.o), 0);
    expect(total((o) => o.overlapsSame)).toBeGreaterThan(0);
    expect(total((o) => o.overlapsOther)).toBeGreaterThan(0);
    expect(total((o) => o.skipped)).toBeGreaterThan(0);
    expect(total((o) => o.futureSeen)).toBeGreaterThan(0);
    for (const r of results) expect(r.o.callerZones.size).toBeGreaterThan(2);
  });
});
