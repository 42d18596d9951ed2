/**
 * The local runtime (local/, DuckDB) behind the SqlClient interface: `--local`. The database is a
 * file (default `.hybrid-sync/local.duckdb`), so `deploy --local` and `status --local` see the
 * same objects, and so does `npm start -- --keep --db .hybrid-sync/local.duckdb`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LocalSnowflake, type LocalSession } from '../../local/index.js';
import { DeployError, mapSqlError } from './errors.js';
import type { Bind, QueryResult, SqlClient } from './sql-client.js';

/** Where `--local` keeps its database unless `--db` or HYBRID_SYNC_LOCAL_DB says otherwise. */
export const DEFAULT_LOCAL_DB = path.join('.hybrid-sync', 'local.duckdb');

/** The local role name used in messages (the runtime has no access control). */
const LOCAL_ROLE = 'LOCAL_OWNER';

/**
 * @example
 * const client = LocalClient.open({ path: '.hybrid-sync/local.duckdb' });
 * await client.query('SHOW TASKS');
 */
export class LocalClient implements SqlClient {
  readonly dryRun = false;
  private closed = false;

  private constructor(
    /** The runtime, for tests that drive its clock or inject faults. */
    readonly runtime: LocalSnowflake,
    private readonly session: LocalSession,
    private readonly file: string,
    private readonly ownsRuntime: boolean,
  ) {}

  /** Opens (creates) the local database file. */
  static open(opts: { path?: string; mustExist?: boolean } = {}): LocalClient {
    const file = opts.path ?? DEFAULT_LOCAL_DB;
    if (opts.mustExist && !fs.existsSync(file)) {
      throw new DeployError('unreachable', `There is no local database at ${file}.`, 'deploy first: npm run deploy -- --local' + (opts.path ? ` --db ${file}` : ''));
    }
    let runtime: LocalSnowflake;
    try {
      runtime = LocalSnowflake.open({ path: file });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (/lock/i.test(msg)) {
        throw new DeployError('unreachable', `The local database ${file} is in use by another process: ${msg.split('\n')[0]}`, 'stop the other process (npm start?) or pass --db FILE for another database');
      }
      throw new DeployError('unreachable', `Could not open the local database ${file}: ${msg.split('\n')[0]}`, 'check the path and that the directory is writable, or pass --db FILE');
    }
    return new LocalClient(runtime, runtime.session({ name: 'deploy' }), file, true);
  }

  /** A client on a runtime the caller owns (tests): closing the client leaves the runtime open. */
  static on(runtime: LocalSnowflake, label = ':memory:'): LocalClient {
    return new LocalClient(runtime, runtime.session({ name: 'deploy' }), label, false);
  }

  async query(sql: string, binds: Bind[] = []): Promise<QueryResult> {
    try {
      const shim = this.showProcedures(sql);
      if (shim) return shim;
      const r = this.session.execute(sql, binds);
      return { columns: r.columns.map((c) => c.name), rows: r.objects() };
    } catch (e) {
      throw mapSqlError(e, { sql, role: LOCAL_ROLE, account: `local ${this.file}` });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.session.close();
    if (this.ownsRuntime) this.runtime.close();
  }

  describe(): string {
    return `local runtime ${this.file}`;
  }

  /**
   * `SHOW PROCEDURES [LIKE '…'] [IN SCHEMA]`, which the local runtime does not answer, from the
   * definitions it stores; the `arguments` column has Snowflake's form
   * `NAME(TYPE, TYPE DEFAULT) RETURN TYPE` (https://docs.snowflake.com/en/sql-reference/sql/show-procedures).
   */
  private showProcedures(sql: string): QueryResult | null {
    const text = sql.replace(/^(?:\s*--[^\n]*\n)*/, '');
    const m = /^\s*SHOW\s+(?:USER\s+)?PROCEDURES(?:\s+LIKE\s+'((?:[^']|'')*)')?(?:\s+IN\s+SCHEMA(?:\s+\S+)?)?\s*;?\s*$/i.exec(text);
    if (!m) return null;
    const pattern = m[1] === undefined ? null : new RegExp('^' + m[1].replace(/''/g, "'").replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.') + '$', 'i');
    const defs = this.session.execute('SELECT DEF FROM sf_local.procedures ORDER BY NAME, ARITY').rows.map(
      (r) => JSON.parse(String(r[0])) as { name: string; args: Array<{ type: string; defaultSql?: string }>; returns: string; comment?: string },
    );
    const rows = defs
      .filter((d) => pattern === null || pattern.test(d.name))
      .map((d) => {
        const baseType = (t: string): string => t.replace(/\(.*$/, '').trim().toUpperCase();
        const args = d.args.map((a) => baseType(a.type) + (a.defaultSql !== undefined ? ' DEFAULT' : '')).join(', ');
        return {
          created_on: null,
          name: d.name,
          schema_name: 'PUBLIC',
          is_builtin: 'N',
          min_num_arguments: d.args.filter((a) => a.defaultSql === undefined).length,
          max_num_arguments: d.args.length,
          arguments: `${d.name}(${args}) RETURN ${baseType(d.returns)}`,
          description: d.comment ?? 'user-defined procedure',
          catalog_name: 'LOCAL',
        };
      });
    return { columns: ['created_on', 'name', 'schema_name', 'is_builtin', 'min_num_arguments', 'max_num_arguments', 'arguments', 'description', 'catalog_name'], rows };
  }
}
