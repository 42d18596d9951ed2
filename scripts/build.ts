/**
 * `npm run build:proc` — the procedure generator's command line.
 *
 *   npm run build:proc                        write dist/ (hybrid-sync's own procedures and objects)
 *                                             and every examples/NAME/dist/
 *   npm run build:proc -- --check             write nothing; exit 1 naming each stale or missing file
 *   npm run build:proc -- --entry FILE --out DIR [--target es2019] [--max-body-kb 100] [--check]
 *                                             compile any procedure file: one .sql per procedure
 *                                             (or per @output) plus manifest.json in DIR
 *   npm run build:proc -- --entry FILE        compile FILE's procedures, print them, write nothing
 *   npm run build:proc -- --out DIR           write hybrid-sync's dist/ into DIR instead
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_TARGET, TARGETS, type Target } from '../build/bundler.js';
import { checkDist, writeDist, type DistFile } from '../build/dist.js';
import { buildEntry } from '../build/entry-build.js';
import { generate, MAX_BODY_BYTES, type GeneratedProcedure } from '../build/generate.js';
import { BuildFailure, formatMessages } from '../build/messages.js';
import { BUILD_COMMAND as COMMAND, SHIPPED_ENTRY as ENTRY, shippedDist } from '../build/shipped.js';
import { TsMorphReader } from '../build/ts-reader.js';
import { ManifestMismatch } from './lib/manifest-build.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const EXAMPLES = 'examples';
const USAGE = `Usage:
  ${COMMAND}
      build dist/ and every ${EXAMPLES}/NAME/dist/
  ${COMMAND} -- --entry FILE --out DIR [--target ${DEFAULT_TARGET}] [--max-body-kb ${MAX_BODY_BYTES / 1024}]
      compile FILE into DIR: one .sql per procedure (or per @output) plus manifest.json
  ${COMMAND} -- --entry FILE
      print FILE's procedures, write nothing
Add --check to write nothing and exit 1 when the output is stale or missing.
--target: ${TARGETS.join(', ')}`;

interface Args {
  check: boolean;
  /** Absolute; null: dist/ (or nothing, with --entry). */
  out: string | null;
  /** Absolute; null: hybrid-sync's own procedures. */
  entry: string | null;
  target: Target;
  maxBodyKb: number | undefined;
  help: boolean;
}

/** Thrown for a bad command line: printed with the usage, exit 2. */
class UsageError extends Error {}

function readFlags(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        check: { type: 'boolean' },
        out: { type: 'string' },
        entry: { type: 'string' },
        target: { type: 'string' },
        'max-body-kb': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

function parseCommandLine(argv: string[]): Args {
  const v = readFlags(argv);
  const target = (v.target ?? DEFAULT_TARGET).toLowerCase();
  const isTarget = (t: string): t is Target => (TARGETS as readonly string[]).includes(t);
  if (!isTarget(target)) throw new UsageError(`--target ${v.target} is not supported; use one of ${TARGETS.join(', ')}`);
  let maxBodyKb: number | undefined;
  if (v['max-body-kb'] !== undefined) {
    maxBodyKb = Number(v['max-body-kb']);
    if (!(maxBodyKb > 0) || !Number.isFinite(maxBodyKb)) throw new UsageError(`--max-body-kb takes a positive number of KiB (1024 bytes), e.g. 100; got '${v['max-body-kb']}'`);
  }
  if (v.entry === undefined && (v.target !== undefined || maxBodyKb !== undefined)) {
    throw new UsageError('--target and --max-body-kb apply to --entry builds; hybrid-sync\'s own procedures always build with the defaults');
  }
  return {
    check: v.check === true,
    out: v.out === undefined ? null : path.resolve(v.out),
    entry: v.entry === undefined ? null : path.resolve(v.entry),
    target,
    maxBodyKb,
    help: v.help === true,
  };
}

async function main(): Promise<number> {
  const args = parseCommandLine(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.entry !== null) {
    if (!fs.existsSync(args.entry)) throw new UsageError(`--entry ${path.relative(process.cwd(), args.entry)} does not exist`);
    if (args.out === null) {
      const procedures = await generate({ root: ROOT, entry: args.entry, target: args.target, maxBodyBytes: (args.maxBodyKb ?? MAX_BODY_BYTES / 1024) * 1024 });
      printProcedures(procedures, path.relative(ROOT, args.entry), null);
      console.log('\n(nothing written: add --out DIR to write the SQL files and manifest.json)');
      return 0;
    }
    const built = await buildEntry({ root: ROOT, entry: args.entry, out: args.out, target: args.target, ...(args.maxBodyKb === undefined ? {} : { maxBodyKb: args.maxBodyKb }) });
    printProcedures(built.procedures, path.relative(ROOT, args.entry), built.folder);
    return finish(args.check, args.out, built.folder, built.files, built.command);
  }

  // hybrid-sync itself: dist/, then every example (with --out DIR, only dist/ into DIR).
  const reader = new TsMorphReader(ROOT);
  const { procedures, files } = await shippedDist(ROOT, reader);

  const distDir = args.out ?? path.join(ROOT, 'dist');
  printProcedures(procedures, ENTRY, path.relative(ROOT, distDir) || '.');
  let code = finish(args.check, distDir, path.relative(ROOT, distDir) || '.', files, COMMAND);
  if (args.out !== null) return code;

  // The examples: each examples/NAME/procedures.ts into examples/NAME/dist, checked like dist/.
  for (const name of exampleNames()) {
    const built = await buildEntry({ root: ROOT, entry: `${EXAMPLES}/${name}/procedures.ts`, out: `${EXAMPLES}/${name}/dist`, reader });
    console.log('');
    printProcedures(built.procedures, `${EXAMPLES}/${name}/procedures.ts`, built.folder);
    code = Math.max(code, finish(args.check, path.join(ROOT, built.folder), built.folder, built.files, built.command));
  }
  return code;
}

/** Folders of examples/ that hold a procedures.ts, sorted. */
function exampleNames(): string[] {
  const dir = path.join(ROOT, EXAMPLES);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'procedures.ts')))
    .map((d) => d.name)
    .sort();
}

/** Writes `files` into `dir`, or with `check` compares them; returns the exit code. */
function finish(check: boolean, dir: string, folder: string, files: readonly DistFile[], command: string): number {
  if (check) {
    const problems = checkDist(dir, files, folder);
    if (problems.length > 0) {
      console.error(`\n${folder}/ is not what the sources produce:\n  ${problems.join('\n  ')}\nRun '${command}' and commit ${folder}/.`);
      return 1;
    }
    console.log(`${folder}/ is fresh (${files.map((f) => f.name).join(', ')}).`);
    return 0;
  }
  const { written, removed } = writeDist(dir, files);
  for (const f of files) console.log(`${written.includes(f.name) ? 'wrote    ' : 'unchanged'} ${folder}/${f.name} (${Buffer.byteLength(f.text)} bytes)`);
  for (const r of removed) console.log(`removed   ${folder}/${r} (no longer generated)`);
  return 0;
}

function printProcedures(procedures: readonly GeneratedProcedure[], entry: string, folder: string | null): void {
  console.log(`${procedures.length} procedure${procedures.length === 1 ? '' : 's'} from ${entry}:`);
  for (const p of procedures) {
    console.log(`  ${p.signature}`);
    const where = folder === null ? p.declaration.output : `${folder}/${p.declaration.output}`;
    console.log(`      body ${p.bodyBytes} bytes (${p.quoting === 'dollar' ? '$$-quoted' : "single-quoted: body contains '$$'"}) -> ${where}`);
    const quoted = [p.declaration.sqlName, ...p.declaration.args.map((a) => a.sqlName)].filter((n) => n.includes('"'));
    if (quoted.length > 0) {
      console.log(`      note: ${quoted.join(', ')} ${quoted.length === 1 ? 'is a quoted name' : 'are quoted names'} (not valid unquoted in Snowflake): write ${quoted.length === 1 ? 'it' : 'them'} exactly so, quotes included, in CALL`);
    }
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof BuildFailure) console.error(`${formatMessages(e.errors)}\n\nbuild:proc failed: ${e.errors.length} error(s).`);
    else if (e instanceof ManifestMismatch) console.error(`${e.message}\n\nbuild:proc failed.`);
    else if (e instanceof UsageError) {
      console.error(`build:proc: ${e.message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    } else console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  },
);
