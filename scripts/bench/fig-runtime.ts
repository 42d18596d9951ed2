/**
 * Figure 5: the local runtime itself. Per-statement latency of a trivial `SELECT 1` through
 * `session.execute` (main thread → DuckDB worker → back, synchronously), and the demo's
 * replication lag with the task every second, sampled from the demo's own once-a-second
 * progress line (source MAX(LAST_UPDATE_DATE) − the current watermark).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalSnowflake } from '../../local/index.js';
import { DEFAULT_DEMO, runDemo, type DemoResult } from '../demo.js';
import type { BenchContext, FigureReport } from './context.js';
import { fmtInt, fmtMs, table } from './context.js';
import { percentile, summarize, type Summary } from './stats.js';

export interface RuntimeResult {
  selects: number;
  select: Summary;
  selectP95: number;
  demoSeconds: number;
  lagSamples: number[];
  lag: Summary | null;
  lagP95: number | null;
  demo: DemoResult;
  demoOptions: { writers: number; rate: number; intervalSeconds: number };
}

/** Lag values (seconds) in the demo's progress lines, e.g. `... | lag 1.2s | ...`. */
export function parseLag(line: string): number | null {
  const m = /\| lag (\d+(?:\.\d+)?)s \|/.exec(line);
  return m ? Number(m[1]) : null;
}

export async function measureRuntime(ctx: BenchContext): Promise<RuntimeResult> {
  const selects = ctx.quick ? 500 : 2000;
  const sf = LocalSnowflake.open();
  const times: number[] = [];
  try {
    const s = sf.session({ name: 'latency' });
    for (let i = 0; i < 50; i++) s.execute('SELECT 1');
    ctx.progress(`[5 runtime] ${selects} × SELECT 1`);
    for (let i = 0; i < selects; i++) {
      const t0 = performance.now();
      s.execute('SELECT 1');
      times.push(performance.now() - t0);
    }
  } finally {
    sf.close();
  }

  const demoSeconds = ctx.quick ? 5 : 10;
  const dir = mkdtempSync(join(tmpdir(), 'hybrid-sync-bench-demo-'));
  const lags: number[] = [];
  let demo: DemoResult;
  const opts = { ...DEFAULT_DEMO, durationSeconds: demoSeconds, intervalSeconds: 1, dbPath: join(dir, 'demo.duckdb'), distDir: ctx.distDir };
  try {
    ctx.progress(`[5 runtime] demo for ${demoSeconds} s (task every 1 s), sampling lag each second`);
    demo = await runDemo(opts, (line) => {
      const lag = parseLag(line);
      if (lag !== null) lags.push(lag);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    selects,
    select: summarize(times),
    selectP95: percentile(times, 95),
    demoSeconds,
    lagSamples: lags,
    lag: lags.length ? summarize(lags) : null,
    lagP95: lags.length ? percentile(lags, 95) : null,
    demo,
    demoOptions: { writers: opts.writers, rate: opts.rate, intervalSeconds: opts.intervalSeconds },
  };
}

export function reportRuntime(r: RuntimeResult): FigureReport {
  const lag = r.lag;
  const md = [
    table(
      ['measure', 'median', 'p95', 'min', 'max', 'samples'],
      [
        ['`SELECT 1` round trip (session.execute → worker → back)', fmtMs(r.select.median), fmtMs(r.selectP95), fmtMs(r.select.min), fmtMs(r.select.max), fmtInt(r.selects)],
        lag && r.lagP95 !== null
          ? ['demo replication lag, task every 1 s', `${lag.median.toFixed(1)} s`, `${r.lagP95.toFixed(1)} s`, `${lag.min.toFixed(1)} s`, `${lag.max.toFixed(1)} s`, String(lag.n)]
          : ['demo replication lag, task every 1 s', 'no samples', '', '', '', '0'],
      ],
    ),
    '',
    `Demo: ${r.demoSeconds} s, ${r.demoOptions.writers} writers × ${r.demoOptions.rate} changes/s, some transactions held open across runs; ` +
      `${fmtInt(r.demo.runs)} runs (${r.demo.failedRuns} failed), ${fmtInt(r.demo.rowsInserted)} inserted, ${fmtInt(r.demo.rowsUpdated)} updated; ` +
      `replica ${r.demo.equal ? 'equals' : '**differs from**'} source at the end (${fmtInt(r.demo.sourceRows)} rows).`,
    'Lag is sampled once a second as source `MAX(LAST_UPDATE_DATE)` − the newest SUCCESS watermark (0.1 s resolution): with writers',
    'stamping continuously it is about the time since the last run finished, so it is bounded by the schedule plus one run.',
  ].join('\n');
  return {
    title: '5. Local runtime',
    markdown: md,
    targets: [{ name: 'demo ends with replica = source', met: r.demo.equal, detail: `${fmtInt(r.demo.differingRows)} rows differ` }],
  };
}
