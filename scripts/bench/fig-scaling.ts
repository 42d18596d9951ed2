/**
 * Figure 3: time of a run that syncs 1,000 changed rows (500 updated, 500 new) when source and
 * replica already hold S rows. Two update patterns: the newest rows (how run history changes: a
 * run is inserted RUNNING and finished soon after), then rows spread evenly over the whole key
 * range (the worst case). The seed's flow runs on the same database in alternation, each run on
 * its own fresh change set, for comparison.
 */
import type { BenchContext, FigureReport } from './context.js';
import { fmtInt, fmtMs, fmtSize, table } from './context.js';
import { applyChanges, copySourceToTarget, DAY_US, loadSource, openBenchDb, seedWatermark, stamp, type BenchDb, type UpdatePattern } from './fixture.js';
import { runOurs, runSeed, type RunResult } from './runs.js';
import { SEED_FLOW_SQL } from './seed-flow.js';
import { summarize, type Summary } from './stats.js';

export interface ScalingRow {
  size: number;
  pattern: UpdatePattern;
  repeats: number;
  ours: Summary;
  oursPlan: Summary;
  oursMerge: Summary;
  seed: Summary;
  seedMerge: Summary;
  statements: number;
}

const CHANGES = { updates: 500, inserts: 500 };

export function scalingPlan(quick: boolean): Array<{ size: number; repeats: number }> {
  return quick
    ? [
        { size: 1000, repeats: 7 },
        { size: 10_000, repeats: 7 },
      ]
    : [
        { size: 10_000, repeats: 11 },
        { size: 100_000, repeats: 11 },
        { size: 1_000_000, repeats: 9 },
      ];
}

export function measureScaling(ctx: BenchContext): ScalingRow[] {
  const rows: ScalingRow[] = [];
  for (const { size, repeats } of scalingPlan(ctx.quick)) {
    const db = openBenchDb(ctx.distDir, SEED_FLOW_SQL);
    try {
      ctx.progress(`[3 scaling] S=${fmtSize(size)}: loading ${fmtInt(size)} rows into source and replica`);
      loadSource(db.s, 1, size, 0);
      copySourceToTarget(db.s);
      seedWatermark(db.s, 1, stamp(size - 1));
      const state = { nextId: size + 1, k: 0 };
      // 'recent' first: spread updates move rows to the end of the table and would disturb it.
      for (const pattern of ['recent', 'spread'] as const) rows.push(measureOne(ctx, db, state, size, repeats, pattern));
    } finally {
      db.close();
    }
  }
  return rows;
}

function measureOne(
  ctx: BenchContext,
  db: BenchDb,
  state: { nextId: number; k: number },
  size: number,
  repeats: number,
  pattern: UpdatePattern,
): ScalingRow {
  const changeSet = (): void => {
    state.k++;
    state.nextId = applyChanges(db.s, { tableRows: size, ...CHANGES, nextId: state.nextId, stampUs: state.k * DAY_US, k: state.k, pattern });
  };
  const expect = (what: string, r: RunResult): RunResult => {
    if (r.merged !== CHANGES.updates + CHANGES.inserts) {
      throw new Error(`bench: ${what} merged ${r.merged} rows, expected ${CHANGES.updates + CHANGES.inserts}`);
    }
    return r;
  };
  // Untimed warm-up of both, twice: the first runs after a change of pattern touch row groups
  // the previous pattern left alone.
  for (let w = 0; w < 2; w++) {
    changeSet();
    expect('warm-up (ours)', runOurs(db));
    changeSet();
    expect('warm-up (seed)', runSeed(db));
  }
  const ours: RunResult[] = [];
  const seed: RunResult[] = [];
  for (let i = 0; i < repeats; i++) {
    // Alternate which goes first, so neither always follows the other's writes.
    const order: Array<'ours' | 'seed'> = i % 2 === 0 ? ['ours', 'seed'] : ['seed', 'ours'];
    for (const flow of order) {
      changeSet();
      if (flow === 'ours') ours.push(expect('ours', runOurs(db)));
      else seed.push(expect('seed flow', runSeed(db)));
    }
    const o = ours[ours.length - 1] as RunResult;
    const s = seed[seed.length - 1] as RunResult;
    ctx.progress(`[3 scaling] S=${fmtSize(size)} ${pattern} repeat ${i + 1}/${repeats}: ours ${fmtMs(o.ms)} (MERGE ${fmtMs(o.mergeMs)}), seed ${fmtMs(s.ms)}`);
  }
  return {
    size,
    pattern,
    repeats,
    ours: summarize(ours.map((r) => r.ms)),
    oursPlan: summarize(ours.map((r) => r.firstMs)),
    oursMerge: summarize(ours.map((r) => r.mergeMs)),
    seed: summarize(seed.map((r) => r.ms)),
    seedMerge: summarize(seed.map((r) => r.mergeMs)),
    statements: (ours[0] as RunResult).statements,
  };
}

const range = (s: Summary): string => `${fmtMs(s.median)} (${fmtMs(s.min)}–${fmtMs(s.max)})`;

const PATTERN_LABEL: Record<UpdatePattern, string> = {
  recent: 'newest rows updated',
  spread: 'updates spread over all keys',
};

export function reportScaling(rows: ScalingRow[]): FigureReport {
  const patterns = [...new Set(rows.map((r) => r.pattern))];
  const smallest = (p: UpdatePattern): ScalingRow => rows.filter((r) => r.pattern === p)[0] as ScalingRow;
  const largest = (p: UpdatePattern): ScalingRow => rows.filter((r) => r.pattern === p).slice(-1)[0] as ScalingRow;
  const md = [
    table(
      ['changes', 'rows in source and replica', 'repeats', 'ours: CALL', 'ours: plan query', 'ours: MERGE', '× smallest', 'seed flow: CALL', 'seed: MERGE', 'seed × smallest'],
      rows.map((r) => [
        PATTERN_LABEL[r.pattern],
        fmtInt(r.size),
        String(r.repeats),
        range(r.ours),
        range(r.oursPlan),
        range(r.oursMerge),
        `**${(r.ours.median / smallest(r.pattern).ours.median).toFixed(2)}**`,
        range(r.seed),
        range(r.seedMerge),
        (r.seed.median / smallest(r.pattern).seed.median).toFixed(2),
      ]),
    ),
    '',
    `Each run syncs ${CHANGES.updates + CHANGES.inserts} changed rows (${CHANGES.updates} updated, ${CHANGES.inserts} new), a fresh change set per run, stamped a day after`,
    'the previous one; the window also re-reads the previous set\'s newest rows that lie within the 5-minute lookback (merged, 0 written).',
    'Ours and the seed\'s flow alternate on the same database, after two untimed warm-up runs each. Plan and MERGE times are the',
    'statements\' own times from the statement log.',
  ].join('\n');
  const notes = scalingNotes(rows);
  return {
    title: '3. Cost against table size',
    markdown: notes ? `${md}\n\n${notes}` : md,
    targets: patterns.map((p) => {
      const a = smallest(p);
      const b = largest(p);
      const growth = b.ours.median / a.ours.median;
      return {
        name: `run at ${fmtSize(b.size)} rows within 2× of ${fmtSize(a.size)} rows (${PATTERN_LABEL[p]})`,
        met: growth <= 2,
        detail: `${fmtMs(b.ours.median)} ÷ ${fmtMs(a.ours.median)} = ${growth.toFixed(2)}×`,
      };
    }),
  };
}

/** Why a pattern grows more than 2×, from the figures themselves; empty when none does. */
function scalingNotes(rows: ScalingRow[]): string {
  const by = (p: UpdatePattern): ScalingRow[] => rows.filter((r) => r.pattern === p);
  const ends = (p: UpdatePattern): [ScalingRow, ScalingRow] | null => {
    const rs = by(p);
    return rs.length > 1 ? [rs[0] as ScalingRow, rs[rs.length - 1] as ScalingRow] : null;
  };
  const out: string[] = [];
  const spread = ends('spread');
  if (spread && spread[1].ours.median / spread[0].ours.median > 2) {
    const [first, last] = spread;
    out.push(
      `**Why spread updates grow with the table.** The plan query stays flat (${fmtMs(first.oursPlan.median)} → ${fmtMs(last.oursPlan.median)}: ` +
        'the window is found through zone maps on the watermark column, and LIMIT stops early); the MERGE grows ' +
        `(${fmtMs(first.oursMerge.median)} → ${fmtMs(last.oursMerge.median)}). DuckDB plans the MERGE as a hash join whose build side is the ` +
        'window and whose probe side is a sequential scan of the whole replica; the only pruning is a dynamic min/max filter on the key, ' +
        'which skips row groups only when the changed keys are clustered, as they are when the newest rows change (the flat rows above). ' +
        'DuckDB did not use the replica\'s primary-key (ART) index for these lookups at all: EXPLAIN shows sequential scans, and an explicit ' +
        '`T.PIPELINE_RUN_ID IN (…1,000 keys…)` in the ON clause became a MARK join over a full scan and did not help. Our MERGE also reads ' +
        'every value column of the replica, because it updates a row only when the source is at least as new and differs (IS DISTINCT FROM ' +
        'on each column); the seed\'s MERGE updates unconditionally, needs only the key from the replica, and so grows less ' +
        `(${fmtMs(first.seedMerge.median)} → ${fmtMs(last.seedMerge.median)}), at the price of rewriting rows that did not change and letting ` +
        `an older version overwrite a newer one; the seed's whole run still grows ${(last.seed.median / first.seed.median).toFixed(2)}×, since ` +
        'its two count queries probe the replica the same way.',
      '',
      'What would fix it: nothing in the procedure for Snowflake, where hybrid tables are row stores that serve the MERGE\'s join by ' +
        'primary-key lookups, so the cost follows the rows changed (to be confirmed with the live suite on a real account). Locally it ' +
        'would need an index-driven join, which DuckDB does not have: the local figure for spread updates is an upper bound set by the ' +
        'engine, not by the procedure (the plan query and the control-row statements stay flat).',
    );
  }
  const recent = ends('recent');
  if (recent && recent[1].ours.median / recent[0].ours.median > 2) {
    const [first, last] = recent;
    out.push(
      `**Newest rows updated also exceeded 2× in this run** (plan ${fmtMs(first.oursPlan.median)} → ${fmtMs(last.oursPlan.median)}, ` +
        `MERGE ${fmtMs(first.oursMerge.median)} → ${fmtMs(last.oursMerge.median)}, fastest runs ${fmtMs(first.ours.min)} → ${fmtMs(last.ours.min)}). ` +
        'Nothing in this case reads more as the table grows (the changed keys are clustered at the end of the key range), so compare the ' +
        'fastest runs and the load average above: a busy machine, not the table size, is the likely cause.',
    );
  }
  return out.join('\n');
}
