/**
 * The snowflake-sdk adapter. Types only the part of the driver it uses, so the dependency stays
 * here; every driver error is mapped to a {@link DeployError} at this boundary.
 */
import type { ResolvedConnection } from './connections.js';
import { describeConnection } from './connections.js';
import { DeployError, mapSqlError, type ErrorContext } from './errors.js';
import type { Bind, QueryResult, SqlClient } from './sql-client.js';

/** What the adapter calls on a driver connection. */
export interface DriverConnection {
  connectAsync(callback: (err: unknown) => void): Promise<unknown>;
  execute(options: {
    sqlText: string;
    binds?: Bind[];
    complete: (err: unknown, stmt: { getColumns(): Array<{ getName(): string }> | undefined }, rows: unknown[] | undefined) => void;
  }): unknown;
  destroy(callback: (err: unknown) => void): void;
}

/** How long to wait for a login, and whom to tell while waiting. */
export interface LoginWait {
  timeoutMs?: number;
  progressMs?: number;
  onWait?: (seconds: number) => void;
}

/** Makes a driver connection from options; `snowflake.createConnection` unless a test injects one. */
export type DriverFactory = (options: Record<string, unknown>) => DriverConnection;

/** The real driver, loaded on first use: `--local` and `--dry-run` never load it. */
async function defaultFactory(): Promise<DriverFactory> {
  const snowflake = (await import('snowflake-sdk')).default;
  // The driver writes its own log lines to stdout/a file by default; ours are enough, and its
  // trace lines could echo connection details.
  snowflake.configure({ logLevel: 'OFF' });
  return (options) => snowflake.createConnection(options as import('snowflake-sdk').ConnectionOptions) as unknown as DriverConnection;
}

/**
 * A Snowflake account through snowflake-sdk.
 * @example
 * const client = await SnowflakeClient.connect(resolveConnection({ name: 'prod' }));
 * await client.query('SELECT CURRENT_ROLE() AS R');
 */
export class SnowflakeClient implements SqlClient {
  readonly dryRun = false;
  private closed = false;

  private constructor(
    private readonly connection: DriverConnection,
    private readonly conn: ResolvedConnection,
  ) {}

  /**
   * Connects (logs in). External-browser SSO opens a browser, so it needs connectAsync.
   * `wait.onWait` is called every `progressMs` while the login is unanswered; after `timeoutMs`
   * the attempt is abandoned (the connection destroyed) with a DeployError naming the account.
   */
  static async connect(conn: ResolvedConnection, factory?: DriverFactory, wait: LoginWait = {}): Promise<SnowflakeClient> {
    const ctx: ErrorContext = { ...contextOf(conn), phase: 'login' };
    const create = factory ?? (await defaultFactory());
    let connection: DriverConnection;
    try {
      // The driver retries a failed login 7 times over up to 5 minutes; a command line should say
      // "unreachable" in seconds. A connection may still set sf_retry_max_login_retries itself.
      connection = create({ application: 'hybrid-sync', sfRetryMaxLoginRetries: 2, ...conn.options });
    } catch (e) {
      throw mapSqlError(e, ctx);
    }
    // The driver reports login failures through the callback (connectAsync still resolves) and
    // throws others; both end here. External-browser SSO needs connectAsync rather than connect.
    const started = Date.now();
    let ticker: NodeJS.Timeout | null = null;
    let timer: NodeJS.Timeout | null = null;
    try {
      await new Promise<void>((resolve, reject) => {
        connection.connectAsync((err) => (err ? reject(err) : resolve())).catch(reject);
        if (wait.onWait) ticker = setInterval(() => wait.onWait?.(Math.round((Date.now() - started) / 1000)), wait.progressMs ?? 5000);
        if (wait.timeoutMs) {
          timer = setTimeout(() => {
            connection.destroy(() => {});
            reject(
              new DeployError(
                'unreachable',
                `No answer to the login from Snowflake account '${conn.account ?? '?'}' (connection '${conn.name}') after ${Math.round(wait.timeoutMs as number / 1000)} s.`,
                "check 'account' and 'host' of the connection, your network or proxy (HTTPS_PROXY), and for EXTERNALBROWSER that the browser login finished; --login-timeout S waits longer",
              ),
            );
          }, wait.timeoutMs);
        }
      });
    } catch (e) {
      throw mapSqlError(e, ctx);
    } finally {
      if (ticker) clearInterval(ticker);
      if (timer) clearTimeout(timer);
    }
    return new SnowflakeClient(connection, conn);
  }

  query(sql: string, binds: Bind[] = []): Promise<QueryResult> {
    return new Promise((resolve, reject) => {
      try {
        this.connection.execute({
          sqlText: sql,
          binds,
          complete: (err, stmt, rows) => {
            if (err) {
              reject(mapSqlError(err, { ...contextOf(this.conn), sql, phase: 'statement' }));
              return;
            }
            const columns = (stmt.getColumns() ?? []).map((c) => c.getName());
            resolve({ columns, rows: (rows ?? []) as Record<string, unknown>[] });
          },
        });
      } catch (e) {
        reject(mapSqlError(e, { ...contextOf(this.conn), sql, phase: 'statement' }));
      }
    });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    // A logout to a server that stopped answering must not keep the command waiting.
    return new Promise((resolve) => {
      const t = setTimeout(resolve, 2000);
      this.connection.destroy(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  describe(): string {
    return describeConnection(this.conn);
  }
}

function contextOf(conn: ResolvedConnection): ErrorContext {
  return { role: conn.role, account: conn.account, connection: conn.name, file: conn.source };
}
