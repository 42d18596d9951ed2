/**
 * `--print-grants`: the least-privilege role that can deploy and run hybrid-sync, as SQL for an
 * administrator (USERADMIN creates the role, SECURITYADMIN or the owners grant).
 * Privileges per https://docs.snowflake.com/en/user-guide/security-access-control-privileges:
 * tables, procedures, views and tasks need CREATE … ON SCHEMA; a task owner needs EXECUTE TASK
 * ON ACCOUNT to resume it, plus EXECUTE MANAGED TASK for a serverless task, plus USAGE on its
 * warehouse; an alert needs CREATE ALERT and EXECUTE ALERT. Owning the objects it creates, the
 * role can then read the source and write the replica and control table (the procedure runs as
 * OWNER).
 */
import { PIPELINE_RUN_HISTORY, type SyncConfig } from '../../procedure/config.js';
import { quoteName, quoteTable } from '../../procedure/identifiers.js';

export interface GrantOptions {
  role: string;
  user: string | null;
  database: string | null;
  schema: string | null;
  /** Task warehouse; null = serverless. */
  warehouse: string | null;
  alertIntegration: string | null;
  errorIntegration: string | null;
  config?: SyncConfig;
}

/** The SQL script. */
export function grantsScript(o: GrantOptions): string {
  const cfg = o.config ?? PIPELINE_RUN_HISTORY;
  const role = quoteName(o.role, 'role name');
  const db = o.database ? quoteName(o.database, 'database name') : '<database>';
  const schema = o.schema ? `${db}.${quoteName(o.schema, 'schema name')}` : `${db}.<schema>`;
  const q = (table: string): string => (table.includes('.') ? quoteTable(table) : `${schema}.${quoteTable(table)}`);
  const lines = [
    `-- Least-privilege role for hybrid-sync (npm run deploy -- --print-grants). Run as an administrator.`,
    'USE ROLE USERADMIN;',
    `CREATE ROLE IF NOT EXISTS ${role} COMMENT = 'hybrid-sync: deploys and runs the replica sync';`,
    'USE ROLE SECURITYADMIN;',
    `GRANT USAGE ON DATABASE ${db} TO ROLE ${role};`,
    `GRANT USAGE ON SCHEMA ${schema} TO ROLE ${role};`,
    `GRANT CREATE TABLE, CREATE PROCEDURE, CREATE VIEW, CREATE TASK ON SCHEMA ${schema} TO ROLE ${role};`,
    '-- Resuming a task (ALTER TASK … RESUME, EXECUTE TASK) needs EXECUTE TASK on the account.',
    `GRANT EXECUTE TASK ON ACCOUNT TO ROLE ${role};`,
  ];
  if (o.warehouse === null) {
    lines.push('-- A serverless task is run on Snowflake-managed compute:', `GRANT EXECUTE MANAGED TASK ON ACCOUNT TO ROLE ${role};`);
  } else {
    lines.push(`GRANT USAGE ON WAREHOUSE ${quoteName(o.warehouse, 'warehouse name')} TO ROLE ${role};`);
  }
  if (o.alertIntegration) {
    lines.push(
      `GRANT CREATE ALERT ON SCHEMA ${schema} TO ROLE ${role};`,
      `GRANT EXECUTE ALERT ON ACCOUNT TO ROLE ${role};`,
      `GRANT USAGE ON INTEGRATION ${quoteName(o.alertIntegration, 'integration name')} TO ROLE ${role};`,
    );
  }
  if (o.errorIntegration) lines.push(`GRANT USAGE ON INTEGRATION ${quoteName(o.errorIntegration, 'integration name')} TO ROLE ${role};`);
  lines.push(
    '-- When the tables already exist and are owned by another role, the sync needs these instead of ownership:',
    `GRANT SELECT ON TABLE ${q(cfg.sourceTable)} TO ROLE ${role};`,
    `GRANT SELECT, INSERT, UPDATE ON TABLE ${q(cfg.targetTable)} TO ROLE ${role};`,
    `GRANT SELECT, INSERT, UPDATE ON TABLE ${q(cfg.controlTable)} TO ROLE ${role};`,
    '-- Reconciliation (REPAIR with DELETE_EXTRA) also deletes replica rows:',
    `GRANT DELETE ON TABLE ${q(cfg.targetTable)} TO ROLE ${role};`,
    '-- Monitoring without deploy rights (npm run status with another role): grant that role',
    `--   SELECT on the control table, and MONITOR ON TASK ${schema}.${quoteName('SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION')}.`,
  );
  if (o.user) lines.push(`GRANT ROLE ${role} TO USER ${quoteName(o.user, 'user name')};`);
  else lines.push(`-- GRANT ROLE ${role} TO USER <deploy user>;`);
  return lines.join('\n') + '\n';
}
