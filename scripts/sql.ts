/**
 * `npm run sql`: a SQL shell through snowflake-sdk, against the local server by default or any
 * connections.toml entry.
 *
 *   npm run sql -- -q "SELECT * FROM ETL_PIPELINE_SYNC_CONTROL ORDER BY SYNC_RUN_ID DESC LIMIT 5"
 *   npm run sql -- --connection prod -f checks.sql --format csv
 *   npm run sql                       # interactive: history, multi-line statements end with ;
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { parseArgs } from 'node:util';
import { splitStatements } from '../local/index.js';
import type { LocalServer } from '../local/server/index.js';
import { describeConnection, resolveConnection, type ResolvedConnection } from './lib/connections.js';
import { DeployError, mapSqlError } from './lib/errors.js';
import { LOCAL_CONNECTION, reachLocal } from './lib/local-server.js';
import { redact } from './lib/secrets.js';

export const SQL_USAGE = `npm run sql -- [-q SQL | -f FILE] [--connection NAME] [--format table|json|csv] [--db FILE]

  -q SQL              run these statements (separated by ;) and exit
  -f FILE             run the statements of a file (split on ; outside quotes, comments and $$…$$)
  --connection NAME   a connections.toml entry (default: local, the local server: [local] when defined,
                      else http://127.0.0.1:8085; when none answers, one is started in this process)
  --format F          table (default), json or csv
  --db FILE           database file of a server started in this process (default .hybrid-sync/local.duckdb)

Without -q or -f: interactive. A statement runs when a line ends it with ; (lines before it are
continued); history is kept in .hybrid-sync/sql_history; exit with Ctrl-D, exit or quit.
Exit code: 0, 1 when a statement failed, 2 when the connection failed.
`;

export type Format = 'table' | 'json' | 'csv';

export interface SqlIo {
  out(text: string): void;
  err(text: string): void;
}

/** One statement's result, as the shell prints it. */
export interface ShellResult {
  columns: Array<{ name: string; numeric: boolean }>;
  rows: unknown[][];
  ms: number;
}

const consoleIo: SqlIo = {
  out: (t) => process.stdout.write(redact(t)),
  err: (t) => process.stderr.write(redact(t)),
};

/** Whether `text` ends a statement: its last `;` is outside quotes, comments and `$$…$$`. */
export function isComplete(text: string): boolean {
  if (!/;\s*(--[^\n]*)?\s*$/.test(text)) return false;
  const sentinel = 'hybrid_sync_end_of_input';
  const parts = splitStatements(`${text}\n${sentinel}`);
  return parts[parts.length - 1] === sentinel;
}

/** A cell as text: NULL, numbers and booleans as Snowflake prints them, timestamps in the session's output format. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) {
    const withJson = v as Date & { toJSON(): string };
    return withJson.toJSON();
  }
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Rows as an aligned table; numbers right-aligned. */
export function formatTable(r: ShellResult): string {
  const texts = r.rows.map((row) => row.map((v) => cellText(v).replace(/\r?\n/g, '\\n')));
  const widths = r.columns.map((c, i) => Math.max(c.name.length, ...texts.map((t) => (t[i] ?? '').length)));
  const line = '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+';
  const fmt = (cells: string[], numeric: boolean[]): string =>
    '| ' + cells.map((c, i) => (numeric[i] ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join(' | ') + ' |';
  const numeric = r.columns.map((c) => c.numeric);
  return [line, fmt(r.columns.map((c) => c.name), r.columns.map(() => false)), line, ...texts.map((t) => fmt(t, numeric.map((n, i) => n && t[i] !== 'NULL'))), line].join('\n') + '\n';
}

/** Rows as RFC 4180 CSV with a header; NULL is an empty field. */
export function formatCsv(r: ShellResult): string {
  const field = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [r.columns.map((c) => field(c.name)).join(',')];
  for (const row of r.rows) lines.push(row.map((v) => (v === null || v === undefined ? '' : field(cellText(v)))).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** Rows as JSON objects keyed by column name; timestamps as text, numbers and booleans as JSON values. */
export function jsonRows(r: ShellResult): Array<Record<string, unknown>> {
  return r.rows.map((row) =>
    Object.fromEntries(r.columns.map((c, i) => {
      const v = row[i];
      return [c.name, v instanceof Date ? cellText(v) : v ?? null];
    })),
  );
}

// ---- the driver --------------------------------------------------------------------------------

interface DriverColumn {
  getName(): string;
  isNumber(): boolean;
}
interface DriverStatement {
  getColumns(): DriverColumn[] | undefined;
}
interface DriverError {
  code?: unknown;
  sqlState?: unknown;
  message?: unknown;
}
interface DriverConnection {
  connectAsync(cb: (err: unknown) => void): Promise<unknown>;
  execute(o: { sqlText: string; rowMode: 'array'; complete: (err: DriverError | undefined, stmt: DriverStatement, rows: unknown[][] | undefined) => void }): unknown;
  destroy(cb: (err: unknown) => void): void;
}

/** A statement's failure as the shell prints it: `002003 (42S02): message`. */
export class StatementFailure extends Error {
  constructor(
    readonly code: string | null,
    readonly state: string | null,
    message: string,
  ) {
    super(message);
  }
  describe(): string {
    const head = this.code ? `${this.code}${this.state ? ` (${this.state})` : ''}: ` : '';
    return `Error ${head}${this.message}`;
  }
}

/** A logged-in session. */
export interface Shell {
  run(sql: string): Promise<ShellResult>;
  close(): Promise<void>;
  describe(): string;
}

async function openShell(conn: ResolvedConnection): Promise<Shell> {
  const snowflake = (await import('snowflake-sdk')).default;
  snowflake.configure({ logLevel: 'OFF' });
  const connection = snowflake.createConnection({ application: 'hybrid-sync', sfRetryMaxLoginRetries: 2, ...conn.options } as unknown as import('snowflake-sdk').ConnectionOptions) as unknown as DriverConnection;
  try {
    await new Promise<void>((resolve, reject) => {
      connection.connectAsync((err) => (err ? reject(err) : resolve())).catch(reject);
    });
  } catch (e) {
    throw mapSqlError(e, { phase: 'login', account: conn.account, connection: conn.name, file: conn.source, role: conn.role });
  }
  return {
    describe: () => describeConnection(conn),
    run: (sql) =>
      new Promise((resolve, reject) => {
        const started = performance.now();
        connection.execute({
          sqlText: sql,
          rowMode: 'array',
          complete: (err, stmt, rows) => {
            if (err) {
              const code = typeof err.code === 'string' || typeof err.code === 'number' ? String(err.code) : null;
              reject(new StatementFailure(code, typeof err.sqlState === 'string' ? err.sqlState : null, typeof err.message === 'string' ? err.message : String(err)));
              return;
            }
            const columns = (stmt.getColumns() ?? []).map((c) => ({ name: c.getName(), numeric: c.isNumber() }));
            resolve({ columns, rows: rows ?? [], ms: performance.now() - started });
          },
        });
      }),
    close: () =>
      new Promise((resolve) => {
        const t = setTimeout(resolve, 2000);
        connection.destroy(() => {
          clearTimeout(t);
          resolve();
        });
      }),
  };
}

// ---- the command -------------------------------------------------------------------------------

function printResult(r: ShellResult, format: Format, io: SqlIo, timing: boolean): void {
  if (format === 'json') io.out(JSON.stringify(jsonRows(r), null, 2) + '\n');
  else if (format === 'csv') io.out(formatCsv(r));
  else io.out(formatTable(r));
  if (timing && format === 'table') io.out(`${r.rows.length} row${r.rows.length === 1 ? '' : 's'} in ${r.ms < 10 ? r.ms.toFixed(1) : Math.round(r.ms)} ms\n`);
}

/** Runs statements in order; stops at the first failure. Returns false when one failed. */
async function runAll(shell: Shell, statements: string[], format: Format, io: SqlIo, timing: boolean): Promise<boolean> {
  for (const sql of statements) {
    try {
      printResult(await shell.run(sql), format, io, timing);
    } catch (e) {
      io.err((e instanceof StatementFailure ? e.describe() : e instanceof Error ? e.message : String(e)) + '\n');
      return false;
    }
  }
  return true;
}

async function interactive(shell: Shell, format: Format, io: SqlIo, historyFile: string): Promise<number> {
  let history: string[] = [];
  try {
    history = fs.readFileSync(historyFile, 'utf8').split('\n').filter((l) => l.trim() !== '').reverse();
  } catch {
    // no history yet
  }
  const tty = process.stdin.isTTY === true;
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: tty, history, historySize: 1000, prompt: 'sql> ' });
  io.out(`connected: ${shell.describe()}\nstatements end with ; — exit with Ctrl-D, exit or quit\n`);
  let buffer = '';
  let failed = false;
  const entered: string[] = [];
  rl.prompt();
  for await (const line of rl) {
    if (buffer === '' && /^\s*(exit|quit|\\q)\s*;?\s*$/i.test(line)) break;
    buffer += (buffer ? '\n' : '') + line;
    if (buffer.trim() === '') {
      buffer = '';
      rl.prompt();
      continue;
    }
    if (!isComplete(buffer)) {
      rl.setPrompt('  -> ');
      rl.prompt();
      continue;
    }
    entered.push(buffer.replace(/\s*\n\s*/g, ' '));
    rl.pause();
    if (!(await runAll(shell, splitStatements(buffer), format, io, true))) failed = true;
    buffer = '';
    rl.setPrompt('sql> ');
    rl.resume();
    rl.prompt();
  }
  rl.close();
  if (entered.length > 0) {
    try {
      fs.mkdirSync(path.dirname(historyFile), { recursive: true });
      const kept = [...history.reverse(), ...entered].slice(-1000);
      fs.writeFileSync(historyFile, kept.join('\n') + '\n', { mode: 0o600 });
    } catch {
      // history is a convenience
    }
  }
  return tty ? 0 : failed ? 1 : 0;
}

/** Runs the shell; returns the exit code. Exported for tests. */
export async function sqlMain(argv: string[], io: SqlIo = consoleIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values: { q?: string; f?: string; connection?: string; format?: string; db?: string; help?: boolean };
  try {
    values = parseArgs({
      args: argv,
      options: {
        q: { type: 'string', short: 'q' },
        f: { type: 'string', short: 'f' },
        connection: { type: 'string', short: 'c' },
        format: { type: 'string' },
        db: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (e) {
    io.err(`${(e as Error).message.split('\n')[0]}\n\n${SQL_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(SQL_USAGE);
    return 0;
  }
  const format = (values.format ?? 'table') as Format;
  if (!['table', 'json', 'csv'].includes(format)) {
    io.err(`--format must be table, json or csv, got ${JSON.stringify(values.format)}\n`);
    return 2;
  }
  if (values.q !== undefined && values.f !== undefined) {
    io.err('-q and -f cannot be combined\n');
    return 2;
  }
  let statements: string[] | null = null;
  if (values.q !== undefined) statements = splitStatements(values.q);
  if (values.f !== undefined) {
    try {
      statements = splitStatements(fs.readFileSync(values.f, 'utf8'));
    } catch (e) {
      io.err(`cannot read ${values.f}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  const name = values.connection ?? LOCAL_CONNECTION;
  if (values.db !== undefined && name !== LOCAL_CONNECTION) {
    io.err('--db applies only to the local connection\n');
    return 2;
  }
  let server: LocalServer | null = null;
  let shell: Shell | null = null;
  try {
    let conn: ResolvedConnection;
    if (name === LOCAL_CONNECTION) {
      const target = await reachLocal({ db: values.db ?? null, env });
      server = target.server;
      conn = target.connection;
      if (server && statements === null) io.err(`no local server answered; started one in this process on ${conn.source.replace(/^in-process server on /, '')}\n`);
    } else {
      conn = resolveConnection({ name, env });
    }
    for (const w of conn.warnings) io.err(`warning: ${w}\n`);
    shell = await openShell(conn);
    if (statements === null) return await interactive(shell, format, io, path.join('.hybrid-sync', 'sql_history'));
    return (await runAll(shell, statements, format, io, format === 'table')) ? 0 : 1;
  } catch (e) {
    io.err((e instanceof DeployError || e instanceof Error ? e.message : String(e)) + '\n');
    return 2;
  } finally {
    if (shell) await shell.close();
    if (server) await server.close();
  }
}

const isMain = process.argv[1] !== undefined && /sql\.ts$/.test(process.argv[1]);
if (isMain) {
  sqlMain(process.argv.slice(2)).then((code) => process.exit(code));
}
