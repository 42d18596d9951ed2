/**
 * Picks the client for `--local`, `--dry-run` or a Snowflake connection. Resolving a connection
 * reads files only; connecting happens in {@link connectClient}. `--local` goes through
 * snowflake-sdk too, to the local server (local/server): without `--db`, the one answering at the
 * `local` connection's address; with `--db FILE`, or when none answers, one started in this
 * process on the database file (closed with the client).
 */
import * as fs from 'node:fs';
import { describeConnection, resolveConnection, type ResolvedConnection } from './connections.js';
import { DryRunClient } from './dry-run-client.js';
import { DeployError } from './errors.js';
import { DEFAULT_LOCAL_DB, reachLocal } from './local-server.js';
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

/** Opens the client: nothing for a dry run, the local server for --local, a login otherwise. */
export async function connectClient(t: Target, conn: ResolvedConnection | null, dryRun: boolean, opts: { mustExist?: boolean; login?: LoginWait; env?: NodeJS.ProcessEnv } = {}): Promise<SqlClient> {
  if (dryRun) return new DryRunClient(targetLabel(t, conn));
  if (t.target === 'local') return connectLocal(t.localDb, opts);
  if (!conn) throw new Error('internal: a Snowflake target needs a resolved connection');
  return SnowflakeClient.connect(conn, undefined, opts.login);
}

/** --local: snowflake-sdk to the local server; a server this process starts is closed with the client. */
async function connectLocal(db: string | null, opts: { mustExist?: boolean; login?: LoginWait; env?: NodeJS.ProcessEnv }): Promise<SqlClient> {
  const env = opts.env ?? process.env;
  db = db ?? env.HYBRID_SYNC_LOCAL_DB ?? null;
  const file = db ?? DEFAULT_LOCAL_DB;
  const { connection, server } = await reachLocal({
    db: file,
    env,
    schedule: false,
    // --db names one database: never a running server's, which may serve another file.
    inProcess: db !== null,
    // status reads an existing deployment: it does not create an empty database.
    beforeStart: () => {
      if (opts.mustExist && !fs.existsSync(file)) {
        throw new DeployError('unreachable', `There is no local database at ${file}, and no local server answers.`, 'deploy first: npm run deploy -- --local' + (db ? ` --db ${file}` : '') + ', or start one: npm run serve');
      }
    },
  });
  let client: SnowflakeClient;
  try {
    client = await SnowflakeClient.connect(connection, undefined, opts.login);
  } catch (e) {
    await server?.close();
    throw e;
  }
  if (!server) return client;
  return {
    dryRun: false,
    query: (sql, binds) => client.query(sql, binds),
    describe: () => `local runtime ${file}`,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}
