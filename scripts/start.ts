/**
 * `npm start`: build, then run the demo on the local runtime. Exit 1 if the replica differs.
 *
 *   npm start -- --duration 60 --interval 2 --writers 4 --rate 100 --keep --db .hybrid-sync/demo.duckdb
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { DEFAULT_DEMO, runDemo, type DemoOptions } from './demo.js';

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`--${name} must be a positive number, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      interval: { type: 'string' },
      writers: { type: 'string' },
      rate: { type: 'string' },
      seed: { type: 'string' },
      db: { type: 'string' },
      keep: { type: 'boolean' },
      'no-build': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(`npm start -- [--duration S=${DEFAULT_DEMO.durationSeconds}] [--interval S=${DEFAULT_DEMO.intervalSeconds}] [--writers N=${DEFAULT_DEMO.writers}] [--rate CHANGES_PER_SEC=${DEFAULT_DEMO.rate}] [--seed N] [--db FILE=${DEFAULT_DEMO.dbPath}] [--keep] [--no-build]`);
    return;
  }
  const opts: DemoOptions = {
    ...DEFAULT_DEMO,
    durationSeconds: positive('duration', values.duration, DEFAULT_DEMO.durationSeconds),
    intervalSeconds: Math.round(positive('interval', values.interval, DEFAULT_DEMO.intervalSeconds)),
    writers: Math.round(positive('writers', values.writers, DEFAULT_DEMO.writers)),
    rate: positive('rate', values.rate, DEFAULT_DEMO.rate),
    seed: Math.round(positive('seed', values.seed, DEFAULT_DEMO.seed)),
    dbPath: values.db ?? DEFAULT_DEMO.dbPath,
    keep: values.keep === true,
  };
  if (!values['no-build']) {
    console.log('building dist/ (npm run build:proc)');
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { stdio: 'inherit' });
  }
  let stop = false;
  process.on('SIGINT', () => {
    if (stop) process.exit(130);
    stop = true;
    console.log('\nstopping writers (Ctrl-C again to abort)…');
  });
  console.log(`local runtime: ${opts.dbPath}; ${opts.writers} writers for ${opts.durationSeconds}s; Ctrl-C to stop early`);
  const result = await runDemo(opts, (line) => console.log(line), () => stop);
  process.exitCode = result.equal ? 0 : 1;
}

main().catch((e: unknown) => {
  console.error(process.env.HYBRID_SYNC_DEBUG && e instanceof Error ? e.stack : e instanceof Error ? e.message : String(e));
  process.exit(2);
});
