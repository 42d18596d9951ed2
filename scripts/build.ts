/**
 * `npm run build:proc` — compiles procedure/procedures.ts into CREATE PROCEDURE statements and
 * writes dist/ with the tables, task and views of build/objects.ts.
 *
 *   npm run build:proc              write dist/
 *   npm run build:proc -- --check   write nothing; exit 1 naming each stale or missing dist/ file
 *   npm run build:proc -- --out DIR write into DIR instead of dist/
 *   npm run build:proc -- --entry FILE   compile FILE's procedures, print them, write nothing
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleDist, checkDist, writeDist } from '../build/dist.js';
import { generate, type GeneratedProcedure } from '../build/generate.js';
import { BuildFailure, formatMessages } from '../build/messages.js';
import { alertScript, DEFAULT_PURGE_TASK, DEFAULT_RECONCILE_TASK, DEFAULT_TASK, reconcileLogScript, tablesScript, taskScript, viewsScript } from '../build/objects.js';
import { PIPELINE_RUN_HISTORY } from '../procedure/config.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = 'procedure/procedures.ts';
const COMMAND = 'npm run build:proc';
/** The seed's two files: the table DDL, and the sync process (procedure + task, plus views). */
const TABLES_FILE = 'run_history_log.sql';
const SYNC_FILE = 'sync_pipeline_run_history.sql';
/** Reconciliation procedure and its daily task; the optional alert. */
const RECONCILE_FILE = 'reconcile_pipeline_run_history.sql';
const ALERT_FILE = 'alerts.sql';

interface Args {
  check: boolean;
  out: string;
  /** Set: print FILE's procedures and stop (for trying a handler or a fixture). */
  entry: string | null;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { check: false, out: path.join(ROOT, 'dist'), entry: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--check') args.check = true;
    else if (a === '--out' && argv[i + 1] !== undefined) args.out = path.resolve(argv[++i] as string);
    else if (a === '--entry' && argv[i + 1] !== undefined) args.entry = path.resolve(argv[++i] as string);
    else throw new Error(`unknown argument '${a}'. Usage: ${COMMAND} [-- --check] [-- --out DIR] [-- --entry FILE]`);
  }
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.entry !== null) {
    const procedures = await generate({ root: ROOT, entry: args.entry });
    printProcedures(procedures, path.relative(ROOT, args.entry));
    return 0;
  }
  const procedures = await generate({ root: ROOT, entry: ENTRY });

  const syncProcs = procedures.filter((p) => p.declaration.output === SYNC_FILE).map((p) => p.declaration.sqlName.toUpperCase());
  if (!syncProcs.includes(DEFAULT_TASK.procedure.toUpperCase())) {
    throw new BuildFailure([
      {
        text:
          `the task ${DEFAULT_TASK.name} calls ${DEFAULT_TASK.procedure}, but no procedure of that name is written to dist/${SYNC_FILE} ` +
          `(found: ${syncProcs.join(', ') || 'none'}); give the handler '@procedure ${DEFAULT_TASK.procedure}' and '@output ${SYNC_FILE}'`,
        location: null,
      },
    ]);
  }

  const files = assembleDist({
    procedures,
    layout: {
      [TABLES_FILE]: {
        before: [
          { title: 'Tables', sql: tablesScript(PIPELINE_RUN_HISTORY) },
          { title: 'Reconciliation log', sql: reconcileLogScript() },
        ],
      },
      [RECONCILE_FILE]: { after: [{ title: 'Daily reconciliation task (reports only; CALL with TRUE to repair)', sql: taskScript(DEFAULT_RECONCILE_TASK) }] },
      [ALERT_FILE]: {
        before: [
          {
            title:
              'Optional alert: emails when a run fails or the replica lags. Needs a NOTIFICATION INTEGRATION of TYPE = EMAIL, ' +
              'recipients who are users of this account with verified email addresses, and EXECUTE ALERT for the owning role; ' +
              'edit the integration, recipients and warehouse, or use `npm run deploy -- --alert-integration NAME --alert-email ADDR`',
            sql: alertScript(PIPELINE_RUN_HISTORY),
          },
        ],
      },
      [SYNC_FILE]: {
        after: [
          { title: 'Task', sql: taskScript(DEFAULT_TASK) },
          { title: 'Daily retention task (deletes run history older than 90 days)', sql: taskScript(DEFAULT_PURGE_TASK) },
          { title: 'Monitoring views', sql: viewsScript(PIPELINE_RUN_HISTORY) },
        ],
      },
    },
    sources: `${ENTRY} and build/objects.ts`,
    command: COMMAND,
  });

  printProcedures(procedures, ENTRY);

  const outRel = path.relative(ROOT, args.out) || '.';
  if (args.check) {
    const problems = checkDist(args.out, files);
    if (problems.length > 0) {
      console.error(`\n${outRel}/ is not what the sources produce:\n  ${problems.join('\n  ')}\nRun '${COMMAND}' and commit ${outRel}/.`);
      return 1;
    }
    console.log(`\n${outRel}/ is fresh (${files.map((f) => f.name).join(', ')}).`);
    return 0;
  }
  const { written, removed } = writeDist(args.out, files);
  for (const f of files) console.log(`${written.includes(f.name) ? 'wrote    ' : 'unchanged'} ${outRel}/${f.name} (${Buffer.byteLength(f.text)} bytes)`);
  for (const r of removed) console.log(`removed   ${outRel}/${r} (no longer generated)`);
  return 0;
}

function printProcedures(procedures: readonly GeneratedProcedure[], entry: string): void {
  console.log(`${procedures.length} procedure${procedures.length === 1 ? '' : 's'} from ${entry}:`);
  for (const p of procedures) {
    console.log(`  ${p.signature}`);
    console.log(`      body ${p.bodyBytes} bytes (${p.quoting === 'dollar' ? '$$-quoted' : "single-quoted: body contains '$$'"}) -> dist/${p.declaration.output}`);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof BuildFailure) console.error(`${formatMessages(e.errors)}\n\nbuild:proc failed: ${e.errors.length} error(s).`);
    else console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  },
);
