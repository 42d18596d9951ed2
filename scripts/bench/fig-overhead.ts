/**
 * Figure 2: time of one CALL that syncs N changed rows ÷ time of one bare MERGE of the same
 * rows, same engine, same process. Each repeat runs the bare MERGE, the default procedure and
 * the generic procedure with one batch, in rotating order, each on a freshly emptied replica;
 * ratios are taken within the repeat.
 *
 * The N rows are new to the replica (inserts): the control table holds one SUCCESS row whose
 * watermark lies a day before them, so the CALL is a steady-state run with N changes, and the
 * bare MERGE gets the same window (watermark − lookback, newest stamp] and hence the same text.
 */
import { PIPELINE_RUN_HISTORY } from '../../procedure/config.js';
import type { BenchContext, FigureReport } from './context.js';
import { fmtInt, fmtMs, fmtSize, table } from './context.js';
import { DAY_US, loadSource, openBenchDb, seedWatermark, stamp, trimControl } from './fixture.js';
import { bareMergeStatement, runBareMerge, runOurs, type OursVariant, type RunResult } from './runs.js';
import { pairRatios, rotation, summarize, type Summary } from './stats.js';

type Kind = 'bare' | 'default' | 'oneBatch';

export interface OverheadRow {
  n: number;
  repeats: number;
  bare: Summary;
  default: Summary;
  oneBatch: Summary;
  ratioDefault: Summary;
  ratioOneBatch: Summary;
  /** One-batch CALL time outside its MERGE (plan, control rows, sandbox), and its plan query. */
  fixedOneBatch: Summary;
  /** CALL ÷ the MERGE statements inside that same CALL: the procedure's overhead free of pairing noise. */
  ownDefault: Summary;
  ownOneBatch: Summary;
  planOneBatch: Summary;
  statementsDefault: number;
  statementsOneBatch: number;
  batchesDefault: number;
  oneBatchSize: number;
  /** The one-batch CALL issued exactly the bare MERGE's text. */
  sameMerge: boolean;
}

export function overheadPlan(quick: boolean): Array<{ n: number; repeats: number }> {
  return quick
    ? [
        { n: 1000, repeats: 7 },
        { n: 10_000, repeats: 7 },
      ]
    : [
        { n: 10_000, repeats: 15 },
        { n: 100_000, repeats: 9 },
        { n: 1_000_000, repeats: 5 },
      ];
}

export function measureOverhead(ctx: BenchContext): OverheadRow[] {
  const rows: OverheadRow[] = [];
  for (const { n, repeats } of overheadPlan(ctx.quick)) rows.push(measureOne(ctx, n, repeats));
  return rows;
}

function measureOne(ctx: BenchContext, n: number, repeats: number): OverheadRow {
  const db = openBenchDb(ctx.distDir);
  try {
    ctx.progress(`[2 overhead] N=${fmtSize(n)}: loading ${fmtInt(n)} source rows`);
    const wm = stamp(0);
    const first = DAY_US;
    loadSource(db.s, 1, n, first);
    seedWatermark(db.s, 1, wm);
    const low = stamp(-PIPELINE_RUN_HISTORY.lookbackSeconds * 1_000_000);
    const high = stamp(first + n - 1);
    const oneBatchSize = 2 * n;
    const variants: Record<Exclude<Kind, 'bare'>, OursVariant> = {
      default: { kind: 'default' },
      oneBatch: { kind: 'generic', batchSize: oneBatchSize },
    };
    const reset = (): void => {
      db.recreateTarget();
      trimControl(db.s, 1);
    };
    const run = (kind: Kind): RunResult => {
      reset();
      const r = kind === 'bare' ? runBareMerge(db, low, high) : runOurs(db, variants[kind]);
      if (r.merged !== n) throw new Error(`bench: ${kind} run merged ${r.merged} rows, expected ${n}`);
      return r;
    };

    // One untimed round first: DuckDB's first MERGE into a fresh table pays allocations later ones do not.
    ctx.progress(`[2 overhead] N=${fmtSize(n)}: warm-up round`);
    const warm = { bare: run('bare'), default: run('default'), oneBatch: run('oneBatch') };
    const merges = db.sf.log.entries.filter((e) => e.callDepth > 0 && /^\s*MERGE\b/i.test(e.sql));
    const lastMerge = merges[merges.length - 1];
    const sameMerge = lastMerge !== undefined && lastMerge.sql === bareMergeStatement(low, high).sqlText && JSON.stringify(lastMerge.binds) === JSON.stringify([low, high]);

    const times: Record<Kind, number[]> = { bare: [], default: [], oneBatch: [] };
    const fixed: number[] = [];
    const own: Record<'default' | 'oneBatch', number[]> = { default: [], oneBatch: [] };
    const plan: number[] = [];
    for (let k = 0; k < repeats; k++) {
      const order = rotation<Kind>(['bare', 'default', 'oneBatch'], k);
      const got: string[] = [];
      for (const kind of order) {
        const r = run(kind);
        times[kind].push(r.ms);
        if (kind !== 'bare') own[kind].push(r.ms / r.mergeMs);
        if (kind === 'oneBatch') {
          fixed.push(r.ms - r.mergeMs);
          plan.push(r.firstMs);
        }
        got.push(`${kind} ${fmtMs(r.ms)}`);
      }
      ctx.progress(`[2 overhead] N=${fmtSize(n)} repeat ${k + 1}/${repeats}: ${got.join(', ')}`);
    }
    reset();
    return {
      n,
      repeats,
      bare: summarize(times.bare),
      default: summarize(times.default),
      oneBatch: summarize(times.oneBatch),
      ratioDefault: summarize(pairRatios(times.default, times.bare)),
      ratioOneBatch: summarize(pairRatios(times.oneBatch, times.bare)),
      fixedOneBatch: summarize(fixed),
      ownDefault: summarize(own.default),
      ownOneBatch: summarize(own.oneBatch),
      planOneBatch: summarize(plan),
      statementsDefault: warm.default.statements,
      statementsOneBatch: warm.oneBatch.statements,
      batchesDefault: warm.default.summary?.batches ?? 0,
      oneBatchSize,
      sameMerge,
    };
  } finally {
    db.close();
  }
}

const range = (s: Summary, f: (x: number) => string): string => `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
const ratio = (x: number): string => x.toFixed(2);

export function reportOverhead(rows: OverheadRow[]): FigureReport {
  const md = [
    table(
      ['N changed rows', 'repeats', 'bare MERGE', 'CALL, default (batch 100k)', 'ratio', 'CALL, one batch', 'ratio', 'one batch: CALL − MERGE', 'of which plan query', 'CALL ÷ its own MERGEs: default', 'one batch'],
      rows.map((r) => [
        fmtInt(r.n),
        String(r.repeats),
        range(r.bare, fmtMs),
        `${range(r.default, fmtMs)}; ${r.batchesDefault} batch${r.batchesDefault === 1 ? '' : 'es'}, ${r.statementsDefault} statements`,
        `**${range(r.ratioDefault, ratio)}**`,
        `${range(r.oneBatch, fmtMs)}; ${r.statementsOneBatch} statements`,
        `**${range(r.ratioOneBatch, ratio)}**`,
        range(r.fixedOneBatch, fmtMs),
        range(r.planOneBatch, fmtMs),
        range(r.ownDefault, ratio),
        range(r.ownOneBatch, ratio),
      ]),
    ),
    '',
    'Median (min–max). Ratios are CALL ÷ bare MERGE within each repeat (the three runs of a repeat go in rotating order), then',
    'reduced to median, min and max. Every run starts from an emptied replica; all N rows are inserts.',
    '"Default" is `CALL SYNC_PIPELINE_RUN_HISTORY_PROC()` (batch size 100,000, so 1M rows are merged in 10 batches);',
    '"one batch" is `CALL HYBRID_SYNC_TABLE(...)` with `batchSize` = 2N, whose MERGE is ' +
      (rows.every((r) => r.sameMerge) ? 'verified to be the bare MERGE\'s exact text and binds.' : '**not** the same text as the bare MERGE (see the bench log).'),
    'The bare MERGE is `mergeStatement()` from procedure/sql.ts run by the client; both go through the same runtime path',
    '(the local runtime adds `RETURNING merge_action` to every MERGE to produce Snowflake\'s count columns).',
    '"CALL − MERGE" is the one-batch CALL\'s time outside its MERGE statement: the plan query, opening and closing the control row,',
    'and the sandbox (a fresh `node:vm` context compiling the procedure body); it is a fixed cost per run, so the ratio falls as N grows.',
    '"CALL ÷ its own MERGEs" divides each CALL by the time of the MERGE statements inside that same CALL (from the statement log):',
    'the same question without pairing two runs, so it is immune to load changing between them. On a busy machine the paired ratio',
    'at 1M rows swings with the load; this one does not.',
  ].join('\n');
  const notes = overheadNotes(rows);
  return {
    title: '2. Overhead against a bare MERGE',
    markdown: notes ? `${md}\n\n${notes}` : md,
    targets: rows.flatMap((r) => [
      {
        name: `N = ${fmtSize(r.n)}: CALL ÷ bare MERGE ≤ 1.3, one batch`,
        met: r.ratioOneBatch.median <= 1.3,
        detail: `median ${ratio(r.ratioOneBatch.median)} (${ratio(r.ratioOneBatch.min)}–${ratio(r.ratioOneBatch.max)}); CALL ÷ its own MERGE ${ratio(r.ownOneBatch.median)}`,
      },
      {
        name: `N = ${fmtSize(r.n)}: CALL ÷ bare MERGE ≤ 1.3, default procedure`,
        met: r.ratioDefault.median <= 1.3,
        detail: `median ${ratio(r.ratioDefault.median)} (${ratio(r.ratioDefault.min)}–${ratio(r.ratioDefault.max)}); CALL ÷ its own MERGEs ${ratio(r.ownDefault.median)}; ${r.batchesDefault} batch(es)`,
      },
    ]),
  };
}

/** Why a ratio misses 1.3, from the figures themselves; empty when every ratio meets it. */
function overheadNotes(rows: OverheadRow[]): string {
  const out: string[] = [];
  const small = rows[0] as OverheadRow;
  const meets = rows.find((r) => r.ratioOneBatch.median <= 1.3);
  if (small.ratioOneBatch.median > 1.3) {
    out.push(
      `**Why small N misses 1.3.** A run costs a fixed ${fmtMs(small.fixedOneBatch.median)} outside its MERGE at N = ${fmtInt(small.n)}, ` +
        `${fmtMs(small.planOneBatch.median)} of it the plan query (one statement reading the state, the window and the column metadata the ` +
        `schema fingerprint compares; no catalog query), while the bare MERGE of ${fmtInt(small.n)} rows takes ${fmtMs(small.bare.median)}. The ratio can only ` +
        'reach 1.3 once the MERGE takes over three times the fixed cost' +
        (meets ? `: here from N = ${fmtInt(meets.n)}.` : '; no N measured here is that large.') +
        ' The fixed cost is the few statements every run needs: the plan, the RUNNING row before the MERGE (what makes a killed run ' +
        'visible, the honest-log contract), and the close carrying the MERGE\'s counts and the new watermark.',
    );
  }
  const big = rows[rows.length - 1] as OverheadRow;
  if (big.batchesDefault > 1 && big.ratioDefault.median > 1.3) {
    out.push(
      `**Why the default batch size costs more at ${fmtSize(big.n)}.** ${big.batchesDefault} batches of ${fmtSize(PIPELINE_RUN_HISTORY.batchSize)} are ` +
        `${big.batchesDefault} MERGEs, and on DuckDB each one's hash join scans the whole (growing) replica again, plus a next-batch plan that ` +
        `sorts the rest of the window; the one-batch CALL (ratio ${ratio(big.ratioOneBatch.median)}) shows the procedure itself adds little. ` +
        'Batching is deliberate (bounded transactions; a failure keeps the batches already merged); a first load of a large table can pass a ' +
        'larger `batchSize` to HYBRID_SYNC_TABLE. On Snowflake hybrid tables each batch\'s MERGE looks its keys up by primary key, so batches ' +
        'do not rescan the replica.',
    );
  }
  return out.join('\n\n');
}
