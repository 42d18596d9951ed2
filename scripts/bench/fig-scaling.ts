/**
 * Figure 3: time of a run that syncs 1,000 changed rows (500 updated, 500 new) when source and
 * replica already hold S rows. Two update patterns: the newest rows (how run history changes: a
 * run is inserted RUNNING and finished soon after), then rows spread evenly over the whole key
 * range (the worst case). The seed's flow runs on the same database in alternation, each run on
 * its own fresh change set, for comparison.
 */
import type { BenchContext, FigureReport } from './context.js';
import { fmtInt, fmtMs, fmtSize, table } from './context.js';
import { applyChanges, copySourceToTarget, CTL, DAY_US, loadSource, openBenchDb, seedWatermark, stamp, STATE, SYNC_NAME, type BenchDb, type UpdatePattern } from './fixture.js';
import { runOurs, runSeed, type RunResult } from './runs.js';
import { SEED_FLOW_CONTROL, SEED_FLOW_SQL, SEED_FLOW_TABLE_SQL } from './seed-flow.js';
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

/** A run's time with an empty control table against one holding a long history. */
export interface HistoryResult {
  controlRows: number;
  repeats: number;
  empty: Summary;
  full: Summary;
  /** The state read and the window statement (which reads the control table), empty vs full. */
  firstTwoEmpty: Summary;
  firstTwoFull: Summary;
  statements: number;
}

export interface ScalingResult {
  rows: ScalingRow[];
  history: HistoryResult;
}

export function measureScaling(ctx: BenchContext): ScalingResult {
  return { rows: measureSizes(ctx), history: measureHistory(ctx) };
}

/**
 * A minute schedule writes 525,600 control rows a year per sync. Times a steady-state run (a
 * 200-row change set on a 10,000-row table) with only its own few control rows, then with
 * `controlRows` more spread over five syncs and the past year, and compares the medians.
 */
function measureHistory(ctx: BenchContext): HistoryResult {
  const controlRows = ctx.quick ? 50_000 : 500_000;
  const repeats = ctx.quick ? 7 : 15;
  const size = 10_000;
  const db = openBenchDb(ctx.distDir);
  try {
    ctx.progress(`[3 scaling] control history: ${fmtInt(size)}-row table, empty control table`);
    loadSource(db.s, 1, size, 0);
    copySourceToTarget(db.s);
    seedWatermark(db.s, 1, stamp(size - 1));
    const state = { nextId: size + 1, k: 0 };
    const timed = (): RunResult => {
      state.k++;
      state.nextId = applyChanges(db.s, { tableRows: size, updates: 100, inserts: 100, nextId: state.nextId, stampUs: state.k * DAY_US, k: state.k, pattern: 'recent' });
      return runOurs(db);
    };
    for (let w = 0; w < 3; w++) timed();
    const before = Array.from({ length: repeats }, timed);
    ctx.progress(`[3 scaling] control history: adding ${fmtInt(controlRows)} control rows (five syncs, one year)`);
    db.s.execute(
      `INSERT INTO ${CTL} (SYNC_RUN_ID, TABLE_NAME, SYNC_START_TIMESTAMP, SYNC_END_TIMESTAMP, WATERMARK_FROM, WATERMARK_TO, ROWS_INSERTED, ROWS_UPDATED, ROWS_PROCESSED, SYNC_STATUS, BATCH_NUMBER)
       SELECT 100000000 + range, CASE range % 5 WHEN 0 THEN '${SYNC_NAME}' ELSE 'OTHER_SYNC_' || (range % 5) END,
              TIMESTAMP '2025-01-01 00:00:00' + to_seconds(CAST(range * 60 / 5 AS BIGINT)), TIMESTAMP '2025-01-01 00:00:01' + to_seconds(CAST(range * 60 / 5 AS BIGINT)),
              NULL, TIMESTAMP '2025-01-01 00:00:00' + to_seconds(CAST(range * 60 / 5 AS BIGINT)), 1, 1, 2,
              CASE WHEN range % 97 = 0 THEN 'FAILED' ELSE 'SUCCESS' END, 1
       FROM range(${controlRows})`,
    );
    for (let w = 0; w < 3; w++) timed();
    const after = Array.from({ length: repeats }, timed);
    const firstTwo = (runs: RunResult[]): number[] => runs.map((r) => r.firstTwoMs);
    return {
      controlRows,
      repeats,
      empty: summarize(before.map((r) => r.ms)),
      full: summarize(after.map((r) => r.ms)),
      firstTwoEmpty: summarize(firstTwo(before)),
      firstTwoFull: summarize(firstTwo(after)),
      statements: (after[0] as RunResult).statements,
    };
  } finally {
    db.close();
  }
}

function measureSizes(ctx: BenchContext): ScalingRow[] {
  const rows: ScalingRow[] = [];
  for (const { size, repeats } of scalingPlan(ctx.quick)) {
    const db = openBenchDb(ctx.distDir, `${SEED_FLOW_TABLE_SQL};\n${SEED_FLOW_SQL}`);
    try {
      ctx.progress(`[3 scaling] S=${fmtSize(size)}: loading ${fmtInt(size)} rows into source and replica`);
      loadSource(db.s, 1, size, 0);
      copySourceToTarget(db.s);
      seedWatermark(db.s, 1, stamp(size - 1));
      handOverToSeed(db, stamp(size - 1));
      const state = { nextId: size + 1, k: 0 };
      // 'recent' first: spread updates move rows to the end of the table and would disturb it.
      for (const pattern of ['recent', 'spread'] as const) rows.push(measureOne(ctx, db, state, size, repeats, pattern));
    } finally {
      db.close();
    }
  }
  return rows;
}

/** The seed flow's log gets a SUCCESS row at our watermark. */
function handOverToSeed(db: BenchDb, watermark: string | null): void {
  if (watermark === null) return;
  db.s.execute(
    `INSERT INTO ${SEED_FLOW_CONTROL} (SYNC_RUN_ID, TABLE_NAME, SYNC_START_TIMESTAMP, SYNC_END_TIMESTAMP, WATERMARK_TO, SYNC_STATUS)
     SELECT COALESCE(MAX(SYNC_RUN_ID), 0) + 1, ?, SYSDATE(), SYSDATE(), TO_TIMESTAMP_NTZ(?, 'YYYY-MM-DD HH24:MI:SS.FF9'), 'SUCCESS' FROM ${SEED_FLOW_CONTROL}`,
    [SYNC_NAME, watermark],
  );
}

/** Our last run's row (and the state) end at the seed flow's watermark, as if ours had run. */
function handOverToOurs(db: BenchDb): void {
  const wm = `(SELECT MAX(WATERMARK_TO) FROM ${SEED_FLOW_CONTROL} WHERE SYNC_STATUS = 'SUCCESS')`;
  db.s.execute(`UPDATE ${CTL} SET WATERMARK_TO = ${wm} WHERE SYNC_RUN_ID = (SELECT RUN_ID FROM ${STATE} WHERE SYNC_NAME = ?)`, [SYNC_NAME]);
  db.s.execute(`UPDATE ${STATE} SET RUN_WATERMARK_TO = ${wm} WHERE SYNC_NAME = ?`, [SYNC_NAME]);
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
  // The two flows keep their own logs (their run ids would collide) but share one watermark, so
  // each run syncs exactly its own change set: after each run the other flow's log is moved on.
  const runOursShared = (): RunResult => {
    const r = runOurs(db);
    handOverToSeed(db, r.summary?.watermarkTo ?? null);
    return r;
  };
  const runSeedShared = (): RunResult => {
    const r = runSeed(db);
    handOverToOurs(db);
    return r;
  };
  // Untimed warm-up of both, twice: the first runs after a change of pattern touch row groups
  // the previous pattern left alone.
  for (let w = 0; w < 2; w++) {
    changeSet();
    expect('warm-up (ours)', runOursShared());
    changeSet();
    expect('warm-up (seed)', runSeedShared());
  }
  const ours: RunResult[] = [];
  const seed: RunResult[] = [];
  for (let i = 0; i < repeats; i++) {
    // Alternate which goes first, so neither always follows the other's writes.
    const order: Array<'ours' | 'seed'> = i % 2 === 0 ? ['ours', 'seed'] : ['seed', 'ours'];
    for (const flow of order) {
      changeSet();
      if (flow === 'ours') ours.push(expect('ours', runOursShared()));
      else seed.push(expect('seed flow', runSeedShared()));
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
    oursPlan: summarize(ours.map((r) => r.firstTwoMs)),
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

export function reportScaling(result: ScalingResult): FigureReport {
  const rows = result.rows;
  const h = result.history;
  const historyRatio = h.full.median / h.empty.median;
  const patterns = [...new Set(rows.map((r) => r.pattern))];
  const smallest = (p: UpdatePattern): ScalingRow => rows.filter((r) => r.pattern === p)[0] as ScalingRow;
  const largest = (p: UpdatePattern): ScalingRow => rows.filter((r) => r.pattern === p).slice(-1)[0] as ScalingRow;
  const md = [
    table(
      ['changes', 'rows in source and replica', 'repeats', 'ours: CALL', 'ours: state + window', 'ours: MERGE', '× smallest', 'seed flow: CALL', 'seed: MERGE', 'seed × smallest'],
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
  const history = [
    '**Control-table history.** A steady-state run (200 changed rows on a 10,000-row table) with only its own few control rows, then with',
    `${fmtInt(h.controlRows)} more (five syncs, a year of minute runs); ${h.repeats} runs each after 3 warm-ups:`,
    '',
    table(
      ['control rows', 'ours: CALL', 'state read + window statement', 'statements'],
      [
        ['a few', range(h.empty), range(h.firstTwoEmpty), String(h.statements)],
        [fmtInt(h.controlRows), range(h.full), range(h.firstTwoFull), String(h.statements)],
      ],
    ),
    '',
    `Run time with the history ÷ without: **${historyRatio.toFixed(2)}**. The run reads the control table only by primary key (the`,
    'previous run\'s row) and the state table by key; its watermark no longer comes from a MAX over the SUCCESS rows.',
  ].join('\n');
  return {
    title: '3. Cost against table size and history',
    markdown: [md, notes, history].filter((x) => x).join('\n\n'),
    targets: [
      {
        name: `run time with ${fmtInt(h.controlRows)} control rows ÷ with none at most 1.2`,
        met: historyRatio <= 1.2,
        detail: `${fmtMs(h.full.median)} ÷ ${fmtMs(h.empty.median)} = ${historyRatio.toFixed(2)}`,
      },
      ...patterns.map((p) => {
      const a = smallest(p);
      const b = largest(p);
      const growth = b.ours.median / a.ours.median;
      return {
        name: `run at ${fmtSize(b.size)} rows within 2× of ${fmtSize(a.size)} rows (${PATTERN_LABEL[p]})`,
        met: growth <= 2,
        detail: `${fmtMs(b.ours.median)} ÷ ${fmtMs(a.ours.median)} = ${growth.toFixed(2)}×`,
      };
    }),
    ],
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
