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
import { assembleDist, checkDist, writeDist, type FileLayout, type SqlSection } from '../build/dist.js';
import { generate, type GeneratedProcedure } from '../build/generate.js';
import { BuildFailure, formatMessages } from '../build/messages.js';
import { alertScript, copyGrantsOnViews, DEFAULT_ALERT, DEFAULT_PURGE_TASK, DEFAULT_RECONCILE_TASK, DEFAULT_TASK, reconcileLogScript, tablesScript, taskScript, viewsScript, watermarkIndexStatement } from '../build/objects.js';
import { DIST_FILES, MANIFEST_FILE, OBJECTS } from '../manifest/objects.js';
import { PIPELINE_RUN_COLUMNS, PIPELINE_RUN_HISTORY } from '../procedure/config.js';
import { canonicalName } from '../procedure/identifiers.js';
import { buildManifest, buildSources, ManifestMismatch } from './lib/manifest-build.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = 'procedure/procedures.ts';
const COMMAND = 'npm run build:proc';
/** The seed's two files: the table DDL, and the sync process (procedure + task, plus views). */
const TABLES_FILE = DIST_FILES.tables;
const SYNC_FILE = DIST_FILES.sync;
/** Reconciliation procedure and its daily task; the optional alert. */
const RECONCILE_FILE = DIST_FILES.reconcile;
const ALERT_FILE = DIST_FILES.alerts;

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

  const sqlFiles = assembleDist({
    procedures,
    layout: keepGrants({
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
    }),
    sources: `${ENTRY} and build/objects.ts`,
    command: COMMAND,
  });
  const manifest = buildManifest({
    files: sqlFiles,
    objects: OBJECTS,
    procedures: procedures.map((p) => ({ name: p.declaration.sqlName.toUpperCase(), signature: p.signature, argTypes: p.declaration.args.map((a) => a.sqlType) })),
    alertDefaults: { integration: `'${canonicalName(DEFAULT_ALERT.integration)}'`, recipients: `'${DEFAULT_ALERT.recipients.join(',')}'`, lagSeconds: String(DEFAULT_ALERT.lagSeconds) },
    preflight: {
      source: canonicalName(PIPELINE_RUN_HISTORY.sourceTable),
      replica: canonicalName(PIPELINE_RUN_HISTORY.targetTable),
      watermarkColumn: canonicalName(PIPELINE_RUN_HISTORY.watermarkColumn),
      columns: PIPELINE_RUN_COLUMNS.map((c) => ({ name: c.name, type: c.type })),
      sourceIndex: watermarkIndexStatement(PIPELINE_RUN_HISTORY),
    },
    root: ROOT,
    sources: buildSources(ROOT),
    command: COMMAND,
  });
  const files = [...sqlFiles, { name: MANIFEST_FILE, text: JSON.stringify(manifest, null, 2) + '\n' }];

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

/** Views keep their grants when deploy replaces them: COPY GRANTS on every section's views. */
function keepGrants(layout: Record<string, FileLayout>): Record<string, FileLayout> {
  const out: Record<string, FileLayout> = {};
  for (const [file, l] of Object.entries(layout)) {
    const map = (sections: SqlSection[] | undefined): SqlSection[] | undefined => sections?.map((x) => ({ ...x, sql: copyGrantsOnViews(x.sql) }));
    out[file] = { before: map(l.before), after: map(l.after) };
  }
  return out;
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
    else if (e instanceof ManifestMismatch) console.error(`${e.message}\n\nbuild:proc failed.`);
    else console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  },
);
