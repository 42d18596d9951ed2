/**
 * Figure 4: wall time of `npm run build:proc` (spawned, as a user runs it) and the size of each
 * procedure body it reports. The build writes into a temporary directory (`-- --out DIR`) so
 * benchmarking never rewrites the committed dist/.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext, FigureReport } from './context.js';
import { fmtInt, fmtMs, table } from './context.js';
import { summarize, type Summary } from './stats.js';

export interface ProcedureSize {
  signature: string;
  bodyBytes: number;
  file: string;
}

export interface BuildResult {
  repeats: number;
  wall: Summary;
  procedures: ProcedureSize[];
}

/**
 * The procedures a build printed: a signature line followed by
 * `body N bytes (...) -> dist/FILE`.
 */
export function parseBuildOutput(stdout: string): ProcedureSize[] {
  const lines = stdout.split('\n');
  const out: ProcedureSize[] = [];
  for (let i = 1; i < lines.length; i++) {
    const m = /^\s+body (\d+) bytes .*-> (?:\S*\/)?(\S+)\s*$/.exec(lines[i] as string);
    if (m) out.push({ signature: (lines[i - 1] as string).trim(), bodyBytes: Number(m[1]), file: m[2] as string });
  }
  return out;
}

export function measureBuild(ctx: BenchContext): BuildResult {
  const repeats = ctx.quick ? 1 : 3;
  const out = mkdtempSync(join(tmpdir(), 'hybrid-sync-bench-build-'));
  const times: number[] = [];
  let procedures: ProcedureSize[] = [];
  try {
    for (let k = 0; k < repeats; k++) {
      ctx.progress(`[4 build] npm run build:proc ${k + 1}/${repeats}`);
      const t0 = performance.now();
      const r = spawnSync('npm', ['run', '--silent', 'build:proc', '--', '--out', out], { cwd: ctx.root, encoding: 'utf8' });
      times.push(performance.now() - t0);
      if (r.status !== 0) throw new Error(`npm run build:proc failed (exit ${String(r.status)}):\n${r.stderr || r.stdout}`);
      procedures = parseBuildOutput(r.stdout);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  if (procedures.length === 0) throw new Error('npm run build:proc printed no "body N bytes" lines: the bench cannot read procedure sizes');
  return { repeats, wall: summarize(times), procedures };
}

export function reportBuild(r: BuildResult): FigureReport {
  const md = [
    `\`npm run build:proc\` wall time, ${r.repeats} run${r.repeats === 1 ? '' : 's'} (spawned through npm, including tsx start-up): ` +
      `**${fmtMs(r.wall.median)}** (min ${fmtMs(r.wall.min)}, max ${fmtMs(r.wall.max)}).`,
    '',
    table(
      ['procedure', 'body bytes', 'file'],
      r.procedures.map((p) => [`\`${p.signature}\``, fmtInt(p.bodyBytes), p.file]),
    ),
    '',
    'Bodies must stay well under Snowflake\'s limit for a procedure body (docs/design.md: keep it well under 100 KB).',
  ].join('\n');
  const largest = Math.max(...r.procedures.map((p) => p.bodyBytes));
  return {
    title: '4. Build',
    markdown: md,
    targets: [{ name: 'every procedure body under 100 KB', met: largest < 100_000, detail: `largest ${fmtInt(largest)} bytes` }],
  };
}
