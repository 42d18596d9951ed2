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
      const shim = this.showProcedures(sql) ?? this.catalog(sql);
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

  /**
   * `SHOW TABLES LIKE '…'` and `SHOW INDEXES IN TABLE t`, which the local runtime does not
   * answer, from its DuckDB catalog, with the columns deploy's pre-flight reads
   * (https://docs.snowflake.com/en/sql-reference/sql/show-tables, …/show-indexes). A table is
   * shown as hybrid when it has a primary key (every hybrid table must; the runtime does not keep
   * the HYBRID keyword). DESCRIBE TABLE is the runtime's own.
   */
  private catalog(sql: string): QueryResult | null {
    const text = sql.replace(/^(?:\s*--[^\n]*\n)*/, '').trim().replace(/;$/, '');
    const name = (raw: string): string => (raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw.toUpperCase());
    const esc = (v: string): string => v.replace(/'/g, "''");
    const showTables = /^SHOW\s+TABLES\s+LIKE\s+'((?:[^']|'')*)'(?:\s+IN\s+SCHEMA(?:\s+\S+)?)?$/i.exec(text);
    if (showTables) {
      const like = (showTables[1] as string).replace(/''/g, "'");
      const rows = this.session
        .execute(`SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'main' AND TABLE_TYPE = 'BASE TABLE' AND UPPER(TABLE_NAME) LIKE UPPER('${esc(like)}') ORDER BY TABLE_NAME`)
        .objects()
        .map((r) => {
          const t = String(r.TABLE_NAME);
          const pk = this.session.execute(`SELECT COUNT(*) AS N FROM duckdb_constraints() WHERE table_name = '${esc(t)}' AND constraint_type = 'PRIMARY KEY'`).objects()[0];
          return { name: t, kind: 'TABLE', is_hybrid: Number(pk?.N ?? 0) > 0 ? 'Y' : 'N' };
        });
      return { columns: ['name', 'kind', 'is_hybrid'], rows };
    }
    // The local runtime has no integrations: none is visible, as to a role without USAGE on one.
    if (/^SHOW\s+NOTIFICATION\s+INTEGRATIONS(?:\s+LIKE\s+'(?:[^']|'')*')?$/i.test(text)) return { columns: ['name', 'type', 'category', 'enabled', 'comment', 'created_on'], rows: [] };
    const indexes = /^SHOW\s+INDEXES\s+IN\s+TABLE\s+("(?:[^"]|"")+"|[A-Za-z_][\w$]*)$/i.exec(text);
    if (indexes) {
      const t = name(indexes[1] as string);
      const rows = this.session
        .execute(`SELECT index_name, sql FROM duckdb_indexes() WHERE table_name = '${esc(t)}' ORDER BY index_name`)
        .objects()
        .map((r) => {
          const cols = /\(([^)]*)\)\s*;?\s*$/.exec(String(r.SQL))?.[1] ?? '';
          return {
            name: String(r.INDEX_NAME).replace(new RegExp(`^${t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}__`), ''),
            is_unique: 'N',
            columns: `[${cols.split(',').map((c) => c.trim().replace(/^"|"$/g, '')).join(', ')}]`,
            table: t,
          };
        });
      return { columns: ['name', 'is_unique', 'columns', 'table'], rows };
    }
    return null;
  }
}
