/**
 * `--print-grants`: the least-privilege role that can deploy and run hybrid-sync, and a role
 * that can only watch it, as SQL for administrators. The schema privileges follow the kinds of
 * object the manifest lists (a sequence added to the manifest adds CREATE SEQUENCE here).
 *
 * Per the documentation:
 * - creating a hybrid table needs CREATE HYBRID TABLE on the schema, a privilege of its own since
 *   the 2026_02 bundle (before it, CREATE TABLE): both are granted
 *   (https://docs.snowflake.com/en/release-notes/bcr-bundles/2026_02/bcr-2157,
 *   https://docs.snowflake.com/en/sql-reference/sql/create-hybrid-table#access-control-requirements);
 * - CREATE PROCEDURE / VIEW / TASK / SEQUENCE / ALERT on the schema
 *   (https://docs.snowflake.com/en/user-guide/security-access-control-privileges#schema-privileges);
 * - the task owner needs EXECUTE TASK on the account to resume or execute it, and EXECUTE MANAGED
 *   TASK for a serverless task; only ACCOUNTADMIN can grant these
 *   (https://docs.snowflake.com/en/user-guide/tasks-intro#task-security);
 * - an alert's owner needs EXECUTE ALERT on the account, and EXECUTE MANAGED ALERT for a
 *   serverless alert, also granted by ACCOUNTADMIN
 *   (https://docs.snowflake.com/en/user-guide/alerts, https://docs.snowflake.com/en/sql-reference/sql/execute-alert);
 * - a task or alert referencing a notification integration needs USAGE on it
 *   (https://docs.snowflake.com/en/user-guide/tasks-errors-integrate);
 * - MONITOR or OPERATE on a task lets a role see it in SHOW TASKS and TASK_HISTORY
 *   (https://docs.snowflake.com/en/release-notes/bcr-bundles/2025_01/bcr-1799); OPERATE also
 *   suspends and resumes it.
 */
import { NAMES, OBJECTS, type ObjectKind } from '../../manifest/objects.js';
import { quoteName, quoteTable } from '../../procedure/identifiers.js';
import type { FileSync } from './sync-file.js';

export interface GrantOptions {
  role: string;
  user: string | null;
  database: string | null;
  schema: string | null;
  /** Task warehouse; null when serverless or not known. */
  warehouse: string | null;
  /** False when the warehouse is unknown (printed as a placeholder). */
  warehouseKnown?: boolean;
  serverless: boolean;
  /** The reconciliation task is installed too (--reconcile). */
  reconcile?: boolean;
  alertIntegration: string | null;
  errorIntegration: string | null;
  /** The syncs of a config file: they replace the shipped pair's tables and tasks. */
  syncs?: readonly FileSync[];
}

/** The schema privilege that creates each kind of object. */
const CREATE_PRIVILEGES: Record<ObjectKind, string[]> = {
  table: ['CREATE HYBRID TABLE', 'CREATE TABLE'],
  sequence: ['CREATE SEQUENCE'],
  procedure: ['CREATE PROCEDURE'],
  view: ['CREATE VIEW'],
  task: ['CREATE TASK'],
  alert: ['CREATE ALERT'],
};

/** The SQL script. */
export function grantsScript(o: GrantOptions): string {
  const role = quoteName(o.role, 'role name');
  const monitor = quoteName(`${o.role}_MONITOR`, 'role name');
  const db = o.database ? quoteName(o.database, 'database name') : '<database>';
  const schema = o.schema ? `${db}.${quoteName(o.schema, 'schema name')}` : `${db}.<schema>`;
  const q = (name: string): string => `${schema}.${quoteTable(name)}`;
  const installed = OBJECTS.filter((x) => x.installed === 'always' || (x.installed === 'with --reconcile' && o.reconcile === true) || (x.installed === 'with --alert-integration' && o.alertIntegration !== null));
  const kinds = new Set<ObjectKind>(installed.map((x) => x.kind));
  const createPrivileges = [...kinds].flatMap((k) => CREATE_PRIVILEGES[k]);
  const syncs = o.syncs ?? [];
  const seedOnly = new Set<string>([NAMES.syncTask, NAMES.reconcileTask]);
  const tasks = [
    ...installed.filter((x) => x.kind === 'task' && (syncs.length === 0 || !seedOnly.has(x.name))).map((x) => x.name),
    ...syncs.flatMap((x) => (x.reconcileSchedule ? [x.taskName, x.reconcileTaskName] : [x.taskName])),
  ];
  // A sync's table named with its schema (or database) is granted as named; an unqualified one is in the deployment's schema.
  const t = (name: string): string => (quoteTable(name).split('.').length > 1 ? (quoteTable(name).split('.').length === 3 ? quoteTable(name) : `${db}.${quoteTable(name)}`) : q(name));
  const pairs = syncs.length ? syncs.map((x) => ({ source: t(x.source), target: t(x.target) })) : [{ source: q(NAMES.source), target: q(NAMES.replica) }];
  const otherSchemas = [...new Set(pairs.flatMap((p) => [p.source, p.target]).map((n) => n.split('.').slice(0, 2).join('.')).filter((sch) => sch !== schema))];
  const warehouse = o.serverless ? null : o.warehouse ? quoteName(o.warehouse, 'warehouse name') : '<warehouse>';

  const lines = [
    '-- Least-privilege roles for hybrid-sync (npm run deploy -- --print-grants). Run as the administrators named.',
    `-- ${o.role} deploys and owns the objects; ${o.role}_MONITOR can only watch (npm run status).`,
    '',
    '-- 1. Roles (USERADMIN creates roles).',
    'USE ROLE USERADMIN;',
    `CREATE ROLE IF NOT EXISTS ${role} COMMENT = 'hybrid-sync: deploys and runs the replica sync';`,
    `CREATE ROLE IF NOT EXISTS ${monitor} COMMENT = 'hybrid-sync: reads status, task history and the run log';`,
    '',
    '-- 2. Database, schema and warehouse privileges (SECURITYADMIN, or the owners).',
    'USE ROLE SECURITYADMIN;',
    `GRANT USAGE ON DATABASE ${db} TO ROLE ${role};`,
    `GRANT USAGE ON SCHEMA ${schema} TO ROLE ${role};`,
    '-- CREATE HYBRID TABLE is its own privilege since the 2026_02 bundle; CREATE TABLE covers accounts without it.',
    `GRANT ${createPrivileges.join(', ')} ON SCHEMA ${schema} TO ROLE ${role};`,
  ];
  if (warehouse) {
    lines.push(`-- The tasks run on this warehouse; deploy's own statements too (CREATE HYBRID TABLE needs a running warehouse).`, `GRANT USAGE ON WAREHOUSE ${warehouse} TO ROLE ${role};`);
  } else {
    lines.push('-- The task is serverless, but deploy still needs a running warehouse for CREATE HYBRID TABLE:', `GRANT USAGE ON WAREHOUSE <session warehouse> TO ROLE ${role};`);
  }
  for (const integration of [o.alertIntegration, o.errorIntegration]) {
    if (integration) lines.push(`GRANT USAGE ON INTEGRATION ${quoteName(integration, 'integration name')} TO ROLE ${role};`);
  }
  lines.push(
    '',
    '-- 3. Account privileges: only ACCOUNTADMIN can grant these.',
    'USE ROLE ACCOUNTADMIN;',
    '-- The task owner needs EXECUTE TASK to resume (ALTER TASK … RESUME) and run (EXECUTE TASK) its tasks.',
    `GRANT EXECUTE TASK ON ACCOUNT TO ROLE ${role};`,
  );
  if (o.serverless) lines.push('-- A serverless task runs on Snowflake-managed compute:', `GRANT EXECUTE MANAGED TASK ON ACCOUNT TO ROLE ${role};`);
  if (o.alertIntegration) {
    lines.push(`GRANT EXECUTE ALERT ON ACCOUNT TO ROLE ${role};`);
    if (o.serverless) lines.push('-- The alert is serverless too (no WAREHOUSE):', `GRANT EXECUTE MANAGED ALERT ON ACCOUNT TO ROLE ${role};`);
  }
  lines.push(
    '',
    `-- 4. When ${syncs.length ? 'a sync\'s tables already exist' : 'the source already exists'} and another role owns them, ${o.role} needs these instead of ownership`,
    '--    (and the owner must add the watermark index, or grant OWNERSHIP, for --create-index).',
    'USE ROLE SECURITYADMIN;',
  );
  for (const sch of otherSchemas) lines.push(`GRANT USAGE ON DATABASE ${sch.split('.')[0]} TO ROLE ${role};`, `GRANT USAGE ON SCHEMA ${sch} TO ROLE ${role};`);
  for (const p of pairs) {
    lines.push(`GRANT SELECT ON TABLE ${p.source} TO ROLE ${role};`, `GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE ${p.target} TO ROLE ${role};  -- DELETE: reconciliation with DELETE_EXTRA`);
  }
  lines.push(
    `GRANT SELECT, INSERT, UPDATE ON TABLE ${q(NAMES.control)} TO ROLE ${role};`,
    '',
    `-- 5. ${o.role}_MONITOR, after the first deploy (the objects must exist): the run log, the source's`,
    '--    watermark, the status view, and the tasks in SHOW TASKS and TASK_HISTORY.',
    `GRANT USAGE ON DATABASE ${db} TO ROLE ${monitor};`,
    `GRANT USAGE ON SCHEMA ${schema} TO ROLE ${monitor};`,
  );
  for (const sch of otherSchemas) lines.push(`GRANT USAGE ON DATABASE ${sch.split('.')[0]} TO ROLE ${monitor};`, `GRANT USAGE ON SCHEMA ${sch} TO ROLE ${monitor};`);
  lines.push(`GRANT SELECT ON TABLE ${q(NAMES.control)} TO ROLE ${monitor};`);
  for (const p of pairs) lines.push(`GRANT SELECT ON TABLE ${p.source} TO ROLE ${monitor};`);
  lines.push(`GRANT SELECT ON TABLE ${q(NAMES.reconcileLog)} TO ROLE ${monitor};`, `GRANT SELECT ON VIEW ${q(NAMES.statusView)} TO ROLE ${monitor};`);
  for (const name of tasks) lines.push(`GRANT MONITOR ON TASK ${q(name)} TO ROLE ${monitor};`);
  lines.push(`-- OPERATE also lets it suspend and resume the task during an incident:`);
  for (const name of tasks) lines.push(`-- GRANT OPERATE ON TASK ${q(name)} TO ROLE ${monitor};`);
  lines.push('', '-- 6. Who uses the roles.');
  if (o.user) lines.push(`GRANT ROLE ${role} TO USER ${quoteName(o.user, 'user name')};`);
  else lines.push(`-- GRANT ROLE ${role} TO USER <deploy user>;`);
  lines.push(`-- GRANT ROLE ${monitor} TO USER <monitoring user>;`);
  return lines.join('\n') + '\n';
}
