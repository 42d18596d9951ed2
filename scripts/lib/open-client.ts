/**
 * Picks the client for `--local`, `--dry-run` or a Snowflake connection. Resolving a connection
 * reads files only; connecting happens in {@link connectClient}.
 */
import { describeConnection, resolveConnection, type ResolvedConnection } from './connections.js';
import { DryRunClient } from './dry-run-client.js';
import { DEFAULT_LOCAL_DB, LocalClient } from './local-client.js';
import { SnowflakeClient, type LoginWait } from './snowflake-client.js';
import type { SqlClient } from './sql-client.js';

export interface Target {
  target: 'snowflake' | 'local';
  connection: string | null;
  localDb: string | null;
}

/** The connection (null for --local), read and checked before anything is sent. */
export function resolveTarget(t: Target, env: NodeJS.ProcessEnv = process.env): ResolvedConnection | null {
  if (t.target === 'local') return null;
  return resolveConnection({ name: t.connection, env });
}

/** What a dry run or a log names as the target. */
export function targetLabel(t: Target, conn: ResolvedConnection | null): string {
  if (t.target === 'local') return `local runtime ${t.localDb ?? DEFAULT_LOCAL_DB}`;
  return conn ? describeConnection(conn) : `snowflake connection ${t.connection ?? '(default)'}`;
}

/** Opens the client: nothing for a dry run, the DuckDB file for --local, a login otherwise. */
export async function connectClient(t: Target, conn: ResolvedConnection | null, dryRun: boolean, opts: { mustExist?: boolean; login?: LoginWait } = {}): Promise<SqlClient> {
  if (dryRun) return new DryRunClient(targetLabel(t, conn));
  if (t.target === 'local') return LocalClient.open({ path: t.localDb ?? DEFAULT_LOCAL_DB, mustExist: opts.mustExist === true });
  if (!conn) throw new Error('internal: a Snowflake target needs a resolved connection');
  return SnowflakeClient.connect(conn, undefined, opts.login);
}
