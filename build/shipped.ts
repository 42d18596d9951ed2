/**
 * What `npm run build:proc` writes: the shipped procedures of `procedure/procedures.ts`, placed
 * in the `dist/` files with the tables, tasks, views and alert of build/objects.ts, plus the
 * manifest. One function, so the build command and the test suites' build
 * (test/global-setup.ts) cannot drift apart.
 */
import { assembleDist, type DistFile, type FileLayout, type SqlSection } from './dist.js';
import { generate, type GeneratedProcedure } from './generate.js';
import { BuildFailure } from './messages.js';
import type { TsReader } from './ts-reader.js';
import { alertScript, alertStateScript, copyGrantsOnViews, DEFAULT_ALERT, DEFAULT_PURGE_TASK, DEFAULT_RECONCILE_TASK, DEFAULT_TASK, reconcileLogScript, tablesScript, taskScript, viewsScript, watermarkIndexStatement } from './objects.js';
import { DIST_FILES, MANIFEST_FILE, OBJECTS } from '../manifest/objects.js';
import { PIPELINE_RUN_COLUMNS, PIPELINE_RUN_HISTORY } from '../procedure/config.js';
import { canonicalName } from '../procedure/identifiers.js';
import { buildManifest, buildSources } from '../scripts/lib/manifest-build.js';

export const SHIPPED_ENTRY = 'procedure/procedures.ts';
export const BUILD_COMMAND = 'npm run build:proc';
/** The seed's two files: the table DDL, and the sync process (procedure + task, plus views). */
export const TABLES_FILE = DIST_FILES.tables;
export const SYNC_FILE = DIST_FILES.sync;
/** Reconciliation procedure and its daily task; the optional alert. */
export const RECONCILE_FILE = DIST_FILES.reconcile;
export const ALERT_FILE = DIST_FILES.alerts;

/**
 * Compiles the shipped procedures from `root` and assembles every dist/ file's text.
 * @throws BuildFailure when a procedure does not compile or the task's procedure is not built;
 *   ManifestMismatch when the manifest disagrees with the objects.
 */
export async function shippedDist(root: string, reader?: TsReader): Promise<{ procedures: GeneratedProcedure[]; files: DistFile[] }> {
  const procedures = await generate({ root, entry: SHIPPED_ENTRY, ...(reader ? { reader } : {}) });

  const syncProcs = procedures.filter((p) => p.declaration.output === SYNC_FILE).map((p) => p.declaration.sqlName.toUpperCase());
  if (!syncProcs.includes(DEFAULT_TASK.procedure.toUpperCase())) {
    throw new BuildFailure([
      {
        text:
          `the task ${DEFAULT_TASK.name} calls ${DEFAULT_TASK.procedure}, but no procedure of that name is written to dist/${SYNC_FILE} ` +
          `(found: ${syncProcs.join(', ') || 'none'})`,
        location: null,
        fix: `give the handler '@procedure ${DEFAULT_TASK.procedure}' and '@output ${SYNC_FILE}'`,
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
        before: [{ title: 'What the alert has reported (one email per incident)', sql: alertStateScript() }],
        after: [
          {
            title:
              'Optional alert: emails when a run fails or the replica lags. Needs a NOTIFICATION INTEGRATION of TYPE = EMAIL, ' +
              'recipients who are users of this account with verified email addresses, and EXECUTE ALERT for the owning role; ' +
              'edit the integration, recipients and warehouse, or use `npm run deploy -- --alert-integration NAME --alert-email ADDR`',
            sql: alertScript(),
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
    sources: `${SHIPPED_ENTRY} and build/objects.ts`,
    command: BUILD_COMMAND,
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
    root,
    sources: buildSources(root),
    command: BUILD_COMMAND,
  });
  const files = [...sqlFiles, { name: MANIFEST_FILE, text: JSON.stringify(manifest, null, 2) + '\n' }];
  return { procedures, files };
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
