/**
 * `npm run bench` — measures the sync on the local runtime and writes BENCHMARKS.md.
 *
 *   npm run bench                   all figures at full size (under 10 minutes on 2 cores); writes BENCHMARKS.md
 *   npm run bench -- --quick        small sizes, under a minute; prints only
 *   npm run bench -- --quick --write        ... and writes the report anyway
 *   npm run bench -- --only 2,3     some figures only (prints only unless --write)
 *   npm run bench -- --no-write     full size, print only
 *   npm run bench -- --out FILE     write FILE instead of BENCHMARKS.md
 *
 * Figures: 1 statements per run, 2 overhead against a bare MERGE, 3 cost against table size,
 * 4 build, 5 local runtime. Progress goes to stderr, the report (Markdown) to stdout.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderReport, type FigureId } from './bench/report.js';
import type { BenchContext, FigureReport } from './bench/context.js';
import { measureStatements, reportStatements } from './bench/fig-statements.js';
import { measureOverhead, reportOverhead } from './bench/fig-overhead.js';
import { measureScaling, reportScaling } from './bench/fig-scaling.js';
import { measureBuild, reportBuild } from './bench/fig-build.js';
import { measureRuntime, reportRuntime } from './bench/fig-runtime.js';
import { describeMachine, loadAverage } from './bench/machine.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = 'Usage: npm run bench [-- --quick] [-- --only 1,2,3,4,5] [-- --write | --no-write] [-- --out FILE]';

interface Args {
  quick: boolean;
  only: FigureId[];
  write: boolean | null;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, only: [1, 2, 3, 4, 5], write: null, out: path.join(ROOT, 'BENCHMARKS.md') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') args.quick = true;
    else if (a === '--write') args.write = true;
    else if (a === '--no-write') args.write = false;
    else if (a === '--out' && argv[i + 1] !== undefined) args.out = path.resolve(argv[++i] as string);
    else if (a === '--only' && argv[i + 1] !== undefined) {
      const ids = (argv[++i] as string).split(',').map((x) => Number(x.trim()));
      if (ids.some((x) => ![1, 2, 3, 4, 5].includes(x))) throw new Error(`--only takes figure numbers 1 to 5, e.g. --only 2,3. ${USAGE}`);
      args.only = ids as FigureId[];
    } else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument '${a}'. ${USAGE}`);
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s`;
  const ctx: BenchContext = {
    quick: args.quick,
    distDir: path.join(ROOT, 'dist'),
    root: ROOT,
    progress: (line) => process.stderr.write(`${elapsed()} ${line}\n`),
  };
  const loadBefore = loadAverage();
  const machine = describeMachine(ROOT);
  ctx.progress(`bench ${args.quick ? '--quick' : 'full size'}: figures ${args.only.join(', ')}; load average ${loadBefore}`);

  const figures: FigureReport[] = [];
  const run = async (id: FigureId, f: () => FigureReport | Promise<FigureReport>): Promise<void> => {
    if (!args.only.includes(id)) return;
    const t0 = Date.now();
    const report = await f();
    ctx.progress(`figure ${id} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    figures.push(report);
  };
  await run(1, () => reportStatements(measureStatements(ctx)));
  await run(2, () => reportOverhead(measureOverhead(ctx)));
  await run(3, () => reportScaling(measureScaling(ctx)));
  await run(4, () => reportBuild(measureBuild(ctx)));
  await run(5, async () => reportRuntime(await measureRuntime(ctx)));

  const command = `npm run bench${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`;
  const markdown = renderReport({
    command,
    quick: args.quick,
    date: new Date(started),
    durationSeconds: (Date.now() - started) / 1000,
    machine,
    loadBefore,
    loadAfter: loadAverage(),
    figures,
  });
  process.stdout.write(markdown);
  const complete = args.only.length === 5;
  const write = args.write ?? (!args.quick && complete);
  if (write) {
    writeFileSync(args.out, markdown);
    ctx.progress(`wrote ${path.relative(process.cwd(), args.out) || args.out}`);
  } else {
    ctx.progress(`not written (${args.quick ? '--quick' : !complete ? '--only' : '--no-write'}); add --write to write ${path.relative(ROOT, args.out)}`);
  }
}

main().then(
  () => {
    // The DuckDB worker is unref'd; nothing else should keep the process alive.
  },
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exitCode = 1;
  },
);
