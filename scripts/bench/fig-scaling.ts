/**
 * Figure 3: time of a run that syncs 1,000 changed rows (500 updated, spread over the table,
 * and 500 new) when source and replica already hold S rows. The seed's flow runs on the same
 * database in alternation, each run on its own fresh change set, for comparison.
 */
import type { BenchContext, FigureReport } from './context.js';
import { fmtInt, fmtMs, fmtSize, table } from './context.js';
import { applyChanges, copySourceToTarget, DAY_US, loadSource, openBenchDb, seedWatermark, stamp } from './fixture.js';
import { runOurs, runSeed, type RunResult } from './runs.js';
import { SEED_FLOW_SQL } from './seed-flow.js';
import { summarize, type Summary } from './stats.js';

export interface ScalingRow {
  size: number;
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
        { size: 1000, repeats: 5 },
        { size: 10_000, repeats: 5 },
      ]
    : [
        { size: 10_000, repeats: 7 },
        { size: 100_000, repeats: 7 },
        { size: 1_000_000, repeats: 5 },
      ];
}

export function measureScaling(ctx: BenchContext): ScalingRow[] {
  return scalingPlan(ctx.quick).map(({ size, repeats }) => measureOne(ctx, size, repeats));
}

function measureOne(ctx: BenchContext, size: number, repeats: number): ScalingRow {
  const db = openBenchDb(ctx.distDir, SEED_FLOW_SQL);
  try {
    ctx.progress(`[3 scaling] S=${fmtSize(size)}: loading ${fmtInt(size)} rows into source and replica`);
    loadSource(db.s, 1, size, 0);
    copySourceToTarget(db.s);
    seedWatermark(db.s, 1, stamp(size - 1));
    let nextId = size + 1;
    let k = 0;
    const changeSet = (): void => {
      k++;
      nextId = applyChanges(db.s, { tableRows: size, ...CHANGES, nextId, stampUs: k * DAY_US, k });
    };
    const expect = (what: string, r: RunResult): RunResult => {
      if (r.merged !== CHANGES.updates + CHANGES.inserts) {
        throw new Error(`bench: ${what} merged ${r.merged} rows, expected ${CHANGES.updates + CHANGES.inserts}`);
      }
      return r;
    };
    // Untimed warm-up of both.
    changeSet();
    expect('warm-up (ours)', runOurs(db));
    changeSet();
    expect('warm-up (seed)', runSeed(db));
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
      ctx.progress(`[3 scaling] S=${fmtSize(size)} repeat ${i + 1}/${repeats}: ours ${fmtMs(o.ms)} (MERGE ${fmtMs(o.mergeMs)}), seed ${fmtMs(s.ms)}`);
    }
    return {
      size,
      repeats,
      ours: summarize(ours.map((r) => r.ms)),
      oursPlan: summarize(ours.map((r) => r.firstMs)),
      oursMerge: summarize(ours.map((r) => r.mergeMs)),
      seed: summarize(seed.map((r) => r.ms)),
      seedMerge: summarize(seed.map((r) => r.mergeMs)),
      statements: (ours[0] as RunResult).statements,
    };
  } finally {
    db.close();
  }
}

const range = (s: Summary): string => `${fmtMs(s.median)} (${fmtMs(s.min)}–${fmtMs(s.max)})`;

export function reportScaling(rows: ScalingRow[]): FigureReport {
  const first = rows[0] as ScalingRow;
  const last = rows[rows.length - 1] as ScalingRow;
  const growth = last.ours.median / first.ours.median;
  const md = [
    table(
      ['rows in source and replica', 'repeats', 'ours: CALL', 'ours: plan query', 'ours: MERGE', '× smallest', 'seed flow: CALL', 'seed: MERGE'],
      rows.map((r) => [
        fmtInt(r.size),
        String(r.repeats),
        range(r.ours),
        range(r.oursPlan),
        range(r.oursMerge),
        (r.ours.median / first.ours.median).toFixed(2),
        range(r.seed),
        range(r.seedMerge),
      ]),
    ),
    '',
    `Each run syncs ${CHANGES.updates + CHANGES.inserts} changed rows (${CHANGES.updates} updated, spread evenly over the table; ${CHANGES.inserts} new), a fresh change set per run,`,
    'stamped a day after the previous one (outside the 5-minute lookback). Ours and the seed\'s flow alternate on the same database.',
    'Plan and MERGE times are the statements\' own times from the statement log.',
  ].join('\n');
  return {
    title: '3. Cost against table size',
    markdown: md,
    targets: [
      {
        name: `run at ${fmtSize(last.size)} rows within 2× of ${fmtSize(first.size)} rows`,
        met: growth <= 2,
        detail: `${fmtMs(last.ours.median)} ÷ ${fmtMs(first.ours.median)} = ${growth.toFixed(2)}×`,
      },
    ],
  };
}
