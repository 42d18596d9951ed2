/**
 * Figure 1: SQL statements one run issues, ours against the seed's flow, in the same
 * scenarios on identical data (one fresh database each). Counted from the statement log.
 */
import { PIPELINE_RUN_HISTORY } from '../../procedure/config.js';
import type { BenchContext, FigureReport } from './context.js';
import { fmtInt, fmtMs, fmtSize, table } from './context.js';
import { applyChanges, DAY_US, loadSource, openBenchDb, type BenchDb } from './fixture.js';
import { runOurs, runSeed, type OursVariant, type RunResult } from './runs.js';
import { SEED_FLOW_SQL, SEED_FLOW_TABLE_SQL } from './seed-flow.js';

interface Scenario {
  name: string;
  /** How ours is called (default: the shipped procedure). */
  ours?: OursVariant;
  /** Brings the database into the scenario's state (called once per flow, in order). */
  prepare(db: BenchDb): void;
  /** A steady-state case the "at most 4" target applies to. */
  steady: boolean;
}

/** The scenarios, in the order they run on one database. */
export function scenarios(firstLoadRows: number, backlogRows: number): Scenario[] {
  let nextId = 1;
  return [
    {
      name: 'first run ever, empty source (creates the state row, checks the schema)',
      steady: false,
      prepare: () => undefined,
    },
    {
      name: 'idle, nothing in the lookback window (empty source)',
      steady: true,
      prepare: () => undefined,
    },
    {
      name: `first full load, ${fmtSize(firstLoadRows)} rows`,
      steady: false,
      prepare: (db) => {
        loadSource(db.s, nextId, firstLoadRows, 0);
        nextId += firstLoadRows;
      },
    },
    {
      name: 'steady state with changes (100 updated, 100 new rows)',
      steady: true,
      prepare: (db) => {
        nextId = applyChanges(db.s, { tableRows: firstLoadRows, updates: 100, inserts: 100, nextId, stampUs: DAY_US, k: 0 });
      },
    },
    {
      name: 'no new changes, rows in the lookback window',
      steady: true,
      prepare: () => undefined,
    },
    {
      name: 'no new changes, lookback 0 (HYBRID_SYNC_TABLE, lookbackSeconds 0)',
      steady: true,
      ours: { kind: 'generic', lookbackSeconds: 0 },
      prepare: () => undefined,
    },
    {
      name: `backlog of ${fmtSize(backlogRows)} new rows (batch size ${fmtSize(PIPELINE_RUN_HISTORY.batchSize)})`,
      steady: false,
      prepare: (db) => {
        loadSource(db.s, nextId, backlogRows, 2 * DAY_US);
        nextId += backlogRows;
      },
    },
  ];
}

export interface StatementsRow {
  scenario: string;
  steady: boolean;
  ours: RunResult;
  seed: RunResult;
  /** Rounds the times are the median of. */
  repeats: number;
}

/**
 * Runs every scenario in order on a fresh database per flow, `repeats` times (ours and the seed
 * alternating which goes first), and keeps each scenario's median time.
 */
export function measureStatements(ctx: BenchContext, repeats = ctx.quick ? 1 : 5): StatementsRow[] {
  const firstLoad = ctx.quick ? 1000 : 10_000;
  const backlog = Math.round(2.5 * PIPELINE_RUN_HISTORY.batchSize);
  const count = scenarios(firstLoad, backlog).length;
  const results: Record<'ours' | 'seed', RunResult[][]> = { ours: [], seed: [] };
  for (let rep = 0; rep < repeats; rep++) {
    const order: Array<'ours' | 'seed'> = rep % 2 === 0 ? ['ours', 'seed'] : ['seed', 'ours'];
    for (const flow of order) {
      const db = openBenchDb(ctx.distDir, flow === 'seed' ? `${SEED_FLOW_TABLE_SQL};\n${SEED_FLOW_SQL}` : undefined);
      const runs: RunResult[] = [];
      try {
        for (const sc of scenarios(firstLoad, backlog)) {
          ctx.progress(`[1 statements] ${flow} (round ${rep + 1}/${repeats}): ${sc.name}`);
          sc.prepare(db);
          runs.push(flow === 'ours' ? runOurs(db, sc.ours) : runSeed(db));
        }
      } finally {
        db.close();
      }
      results[flow].push(runs);
    }
  }
  const median = (flow: 'ours' | 'seed', i: number): RunResult => {
    const all = results[flow].map((runs) => runs[i] as RunResult).sort((a, b) => a.ms - b.ms);
    return all[Math.floor(all.length / 2)] as RunResult;
  };
  return scenarios(firstLoad, backlog).slice(0, count).map((sc, i) => ({
    scenario: sc.name,
    steady: sc.steady,
    ours: median('ours', i),
    seed: median('seed', i),
    repeats,
  }));
}

export function reportStatements(rows: StatementsRow[]): FigureReport {
  const steady = rows.filter((r) => r.steady);
  const worst = Math.max(...steady.map((r) => r.ours.statements));
  const repeats = rows[0]?.repeats ?? 1;
  const slower = rows.filter((r) => r.ours.ms > r.seed.ms);
  const md = [
    table(
      ['scenario', 'ours: statements', 'seed flow: statements', 'ours: rows merged', 'seed: rows merged', 'ours: time', 'seed: time', 'ours ÷ seed'],
      rows.map((r) => [
        r.scenario,
        String(r.ours.statements),
        String(r.seed.statements),
        fmtInt(r.ours.merged),
        fmtInt(r.seed.merged),
        fmtMs(r.ours.ms),
        fmtMs(r.seed.ms),
        (r.ours.ms / r.seed.ms).toFixed(2),
      ]),
    ),
    '',
    repeats > 1
      ? `Times are the median of ${repeats} rounds; each round runs every scenario in order on a fresh database per flow, the two flows alternating which goes first.`
      : 'Times are single runs without warm-up (`--quick`), for orientation only.',
    'Counted from the runtime\'s statement log: every statement issued inside the `CALL` (our procedure\'s own count, which it returns, is checked against it).',
    'Ours in steady state: state row, window, claim, MERGE, log = 5, every one filtered by an index-eligible predicate; a run with nothing',
    'in its window at all = state row, window, log = 3; a backlog costs 4 more per further batch (next window, claim, MERGE, log).',
    'The first run of a sync also reads the old control table\'s watermark once, closes RUNNING rows of an earlier version, and checks',
    'the schema with DESCRIBE TABLE (source and replica).',
    'The seed\'s flow issues 6 in every case (watermark read, RUNNING insert, two count queries, MERGE, final update), idle or not.',
    '',
    'Once any row has been synced, every later run finds at least that row in its lookback window and runs the MERGE (0 rows written):',
    'the 3-statement idle run happens only while nothing at all lies in the window: an empty source, or `lookbackSeconds` 0.',
  ].join('\n');
  return {
    title: '1. Statements per run',
    markdown: md,
    targets: [
      { name: 'steady-state run: at most 5 statements (ours)', met: worst <= 5, detail: `worst steady-state case: ${worst}` },
      {
        name: 'ours no slower than the seed flow in every scenario (median times)',
        met: repeats > 1 && slower.length === 0,
        detail: repeats > 1 ? (slower.length === 0 ? 'none slower' : `slower in: ${slower.map((r) => r.scenario).join('; ')}`) : 'not measured with --quick (one round)',
      },
    ],
  };
}
