/**
 * The one interface deploy and status talk to. Three implementations: the snowflake-sdk
 * adapter (`snowflake-client.ts`), the local runtime (`local-client.ts`) and a recorder that
 * connects to nothing (`dry-run-client.ts`). Deploy and status never know which one they hold.
 */

/** Rows of one statement, keyed by column name as the server spells it (unquoted names upper-case). */
export interface QueryResult {
  columns: string[];
  rows: Record<string, unknown>[];
}

/** A bind value: what both the driver and the local runtime accept. */
export type Bind = string | number | boolean | null;

/**
 * A SQL connection.
 *
 * @example
 * const { rows } = await client.query('SHOW TASKS LIKE ?', ['SYNC%']);
 * console.log(client.describe()); // "snowflake account xy12345 as ETL_DEPLOYER (connection prod)"
 */
export interface SqlClient {
  /** Runs one statement. Throws a {@link import('./errors.js').DeployError} naming the problem and the fix. */
  query(sql: string, binds?: Bind[]): Promise<QueryResult>;
  /** Releases the connection. Safe to call twice. */
  close(): Promise<void>;
  /** Where this client runs statements, for logs. Never contains a secret. */
  describe(): string;
  /** True when nothing is executed (statements are only recorded); results are then empty. */
  readonly dryRun: boolean;
}

/** Case-insensitive read of a column from a row (SHOW output is lower-case, SELECT upper-case). */
export function col(row: Record<string, unknown> | undefined, name: string): unknown {
  if (!row) return undefined;
  if (name in row) return row[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(row)) if (k.toLowerCase() === lower) return row[k];
  return undefined;
}
