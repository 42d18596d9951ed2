/**
 * The `local` connection: the local Snowflake server (local/server) reached through snowflake-sdk.
 * A `[local]` section of connections.toml says where it is (host, port, protocol = "http");
 * without one it is http://127.0.0.1:8085, where `npm run serve` listens by default. When nothing
 * answers there, the caller may start a server in its own process on the local database file.
 */
import * as http from 'node:http';
import * as path from 'node:path';
import type { LocalServer } from '../../local/server/index.js';
import { resolveConnection, type ResolvedConnection } from './connections.js';
import { DeployError } from './errors.js';

/** Where `npm run serve` listens unless `--port` says otherwise. */
export const DEFAULT_LOCAL_PORT = 8085;
/** The database file `npm run serve`, `--local` and the shell's in-process server use by default. */
export const DEFAULT_LOCAL_DB = path.join('.hybrid-sync', 'local.duckdb');
/** The connection name that means the local server. */
export const LOCAL_CONNECTION = 'local';

/** The local runtime has no users: any name and password log in. */
const LOCAL_LOGIN = { account: 'local', username: 'dev', password: 'local' };

/** The `local` connection: connections.toml's `[local]` when there is one, else the default address. */
export function localConnection(env: NodeJS.ProcessEnv = process.env): ResolvedConnection {
  try {
    const c = resolveConnection({ name: LOCAL_CONNECTION, env });
    return c;
  } catch (e) {
    if (!(e instanceof DeployError) || e.kind !== 'config' || /not safe|not valid TOML/.test(e.message)) throw e;
  }
  return localServerConnection(`http://127.0.0.1:${DEFAULT_LOCAL_PORT}`);
}

/** A connection to a local server at `url`. */
export function localServerConnection(url: string): ResolvedConnection {
  return {
    name: LOCAL_CONNECTION,
    source: url,
    options: { ...LOCAL_LOGIN, accessUrl: url },
    account: 'local',
    user: LOCAL_LOGIN.username,
    role: null,
    warehouse: null,
    database: null,
    schema: null,
    authenticator: 'SNOWFLAKE',
    warnings: [],
  };
}

/** The server URL a connection's options name (accessUrl, or protocol://host:port). */
export function connectionUrl(c: ResolvedConnection): string | null {
  const o = c.options;
  if (typeof o.accessUrl === 'string') return o.accessUrl;
  if (typeof o.host !== 'string') return null;
  const protocol = typeof o.protocol === 'string' ? o.protocol : 'https';
  return `${protocol}://${o.host}${o.port !== undefined ? `:${String(o.port)}` : ''}`;
}

/** Whether a local Snowflake server answers at `url` (it answers an unauthenticated request with its JSON refusal). */
export function serverAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL('/session/heartbeat', url);
    } catch {
      resolve(false);
      return;
    }
    if (target.protocol !== 'http:') {
      resolve(false);
      return;
    }
    const req = http.request(target, { method: 'POST', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(String(res.headers['content-type'] ?? '').includes('application/json'));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

function isLoopback(url: string | null): boolean {
  if (url === null) return false;
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** The local connection to use and, when this process started it, the server behind it. */
export interface LocalTarget {
  connection: ResolvedConnection;
  /** Non-null when the server runs in this process: close it when done. */
  server: LocalServer | null;
}

/**
 * The `local` connection, with a server behind it: the one already answering at its address, or
 * one started here on `db` (default {@link DEFAULT_LOCAL_DB}) on a free port. `inProcess` skips
 * the running server (a `--db FILE` names a database, which a running server may not serve).
 */
export async function reachLocal(
  opts: { db?: string | null; env?: NodeJS.ProcessEnv; schedule?: boolean; beforeStart?: () => void; inProcess?: boolean } = {},
): Promise<LocalTarget> {
  if (!opts.inProcess) {
    const connection = localConnection(opts.env);
    const url = connectionUrl(connection);
    if (url !== null && (await serverAnswers(url))) return { connection, server: null };
    if (!isLoopback(url)) return { connection, server: null };
  }
  const { startServer } = await import('../../local/server/index.js');
  const db = opts.db ?? opts.env?.HYBRID_SYNC_LOCAL_DB ?? DEFAULT_LOCAL_DB;
  opts.beforeStart?.();
  let server: LocalServer;
  try {
    server = await startServer({ path: db, port: 0, schedule: opts.schedule ?? true });
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] ?? '' : String(e);
    if (/lock/i.test(msg)) {
      throw new DeployError('unreachable', `The local database ${db} is in use by another process: ${msg}`, 'when npm run serve holds it, leave out --db to go through that server; otherwise stop the other process (npm start?), or pass --db FILE for another database');
    }
    throw new DeployError('unreachable', `Could not open the local database ${db}: ${msg}`, 'check the path and that the directory is writable, or pass --db FILE');
  }
  return { connection: { ...localServerConnection(server.url), source: `in-process server on ${db}` }, server };
}
