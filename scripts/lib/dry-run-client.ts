/**
 * `--dry-run`: records every statement and connects to nothing. Reads (SHOW, SELECT) return no
 * rows, so a plan that depends on what exists (dropping an older procedure overload) prints
 * only the read that would decide it.
 */
import type { Bind, QueryResult, SqlClient } from './sql-client.js';

/**
 * @example
 * const dry = new DryRunClient('snowflake connection prod');
 * await dry.query('CREATE TABLE T (X INT)');
 * dry.statements; // [{ sql: 'CREATE TABLE T (X INT)', binds: [] }]
 */
export class DryRunClient implements SqlClient {
  readonly dryRun = true;
  /** Every statement "run", in order. */
  readonly statements: Array<{ sql: string; binds: Bind[] }> = [];

  constructor(private readonly target: string) {}

  async query(sql: string, binds: Bind[] = []): Promise<QueryResult> {
    this.statements.push({ sql, binds: [...binds] });
    return { columns: [], rows: [] };
  }

  async close(): Promise<void> {}

  describe(): string {
    return `dry run (nothing sent) for ${this.target}`;
  }
}
