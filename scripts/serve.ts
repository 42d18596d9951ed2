/**
 * `npm run serve`: the local Snowflake as a server snowflake-sdk connects to, with the task and
 * alert schedulers running.
 *
 *   npm run serve                                  # http://127.0.0.1:8085, .hybrid-sync/local.duckdb
 *   npm run serve -- --port 0 --db my.duckdb --speedup 60
 */
import { parseArgs } from 'node:util';
import { startServer, type LocalServer } from '../local/server/index.js';
import { DEFAULT_LOCAL_DB, DEFAULT_LOCAL_PORT } from './lib/local-server.js';

export const SERVE_USAGE = `npm run serve -- [--port N] [--db FILE] [--speedup N] [--host ADDRESS --allow-remote]

  --port N        port to listen on (default ${DEFAULT_LOCAL_PORT}; 0 picks a free one)
  --db FILE       DuckDB database file (default ${DEFAULT_LOCAL_DB}, or HYBRID_SYNC_LOCAL_DB; :memory: keeps nothing)
  --speedup N     run interval schedules N times faster ('1 MINUTE' every 60/N s)
  --host ADDRESS  listen there instead of 127.0.0.1; any other than a loopback address also needs
  --allow-remote  (the server accepts any login: whoever reaches it can run any statement)

Connect with snowflake-sdk: { account: 'local', username: 'dev', password: 'dev', accessUrl: 'http://127.0.0.1:PORT' }
or a [local] connection (host = "127.0.0.1", port = PORT, protocol = "http"); then npm run sql.
`;

export interface ServeOptions {
  port: number;
  db: string;
  speedup: number;
  host: string;
  allowRemote: boolean;
}

/** Parses serve's flags; throws with the usage on a bad one. */
export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      db: { type: 'string' },
      speedup: { type: 'string' },
      host: { type: 'string' },
      'allow-remote': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const port = values.port === undefined ? DEFAULT_LOCAL_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number (0 for any), got ${JSON.stringify(values.port)}`);
  const speedup = values.speedup === undefined ? 1 : Number(values.speedup);
  if (!Number.isFinite(speedup) || speedup <= 0) throw new Error(`--speedup must be a number above 0, got ${JSON.stringify(values.speedup)}`);
  return { port, db: values.db ?? env.HYBRID_SYNC_LOCAL_DB ?? DEFAULT_LOCAL_DB, speedup, host: values.host ?? '127.0.0.1', allowRemote: values['allow-remote'] === true };
}

/** Starts the server and says where it is. */
export async function serve(o: ServeOptions, out: (line: string) => void = (l) => process.stdout.write(l + '\n')): Promise<LocalServer> {
  const server = await startServer({ path: o.db, port: o.port, host: o.host, allowRemote: o.allowRemote, speedup: o.speedup });
  out(`local Snowflake listening on ${server.url}  (database ${o.db}; tasks and alerts run on their schedules${o.speedup !== 1 ? `, ${o.speedup}x faster` : ''})`);
  out(`port ${server.port}`);
  out(`  npm run sql                 # shell (connection 'local': [local] in connections.toml, else http://127.0.0.1:${DEFAULT_LOCAL_PORT})`);
  out(`  accessUrl: '${server.url}'  # snowflake.createConnection({ account: 'local', username: 'dev', password: 'dev', accessUrl })`);
  if (o.allowRemote && o.host !== '127.0.0.1') out(`warning: listening on ${o.host}: anyone who reaches this address can log in and run any statement`);
  return server;
}

async function main(): Promise<void> {
  let o: ServeOptions | 'help';
  try {
    o = parseServeArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${SERVE_USAGE}`);
    process.exit(2);
  }
  if (o === 'help') {
    process.stdout.write(SERVE_USAGE);
    return;
  }
  let server: LocalServer;
  try {
    server = await serve(o);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(/EADDRINUSE/.test(msg) ? `port ${o.port} is in use (another npm run serve?): pass --port N, or --port 0 for any free port\n` : `${msg}\n`);
    process.exit(2);
  }
  const stop = (): void => {
    process.stdout.write('stopping\n');
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const isMain = process.argv[1] !== undefined && /serve\.ts$/.test(process.argv[1]);
if (isMain) void main();
