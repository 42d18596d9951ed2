/**
 * The local runtime (local/, DuckDB) behind the SqlClient interface, without the driver: tests
 * of deploy and status logic drive a runtime they hold (clock, faults) through it. The commands'
 * `--local` goes through snowflake-sdk to the local server instead (open-client.ts).
 */
import * as fs from 'node:fs';
import { LocalSnowflake, type LocalSession } from '../../local/index.js';
import { DeployError, mapSqlError } from './errors.js';
import type { Bind, QueryResult, SqlClient } from './sql-client.js';

import { DEFAULT_LOCAL_DB } from './local-server.js';

export { DEFAULT_LOCAL_DB };

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
}
