/**
 * Errors users will hit, each with what went wrong and what to do. Driver errors (snowflake-sdk's
 * `OperationFailedError`, `NetworkError`, …) and local runtime errors are mapped here, at the
 * client boundary, by their Snowflake error code and message
 * (https://docs.snowflake.com/en/developer-guide/node-js/nodejs-driver-errors).
 */
import { redact } from './secrets.js';

/** What kind of problem; the CLI prints it and tests assert on it. */
export type ErrorKind =
  | 'input' // a flag or config value is invalid; nothing was sent
  | 'config' // connections.toml / config.toml missing, unsafe, unparsable, or names an unknown connection
  | 'auth' // credentials rejected
  | 'unreachable' // the account could not be reached
  | 'privilege' // the role lacks a privilege
  | 'missing-object' // database, schema, warehouse or object does not exist (or is invisible to the role)
  | 'no-warehouse' // no warehouse in the session
  | 'no-context' // no current database / schema
  | 'task-resume' // the task was created but could not be resumed
  | 'verify' // deploy ran but the end state is not what it should be
  | 'dist' // dist/ is missing, edited by hand, or older than its sources; nothing was sent
  | 'preflight' // an existing object is not what the sync relies on; nothing was changed
  | 'timeout' // no answer in time
  | 'sql'; // any other statement failure

/** A failure with a message that names the problem and the fix. Never contains a secret. */
export class DeployError extends Error {
  readonly kind: ErrorKind;
  readonly fix: string;
  /** Snowflake or driver error code, when there is one. */
  readonly code: string | null;

  constructor(kind: ErrorKind, problem: string, fix: string, code: string | number | null = null) {
    super(redact(fix ? `${problem}\n  fix: ${fix}` : problem));
    this.name = 'DeployError';
    this.kind = kind;
    this.fix = redact(fix);
    this.code = code === null ? null : String(code);
  }
}

/** What the mapper knows about where an error happened. */
export interface ErrorContext {
  /** The statement that failed, if any. */
  sql?: string;
  /** The role the connection uses, for GRANT advice. */
  role?: string | null;
  /** Account identifier, for unreachable-account advice. */
  account?: string | null;
  /** Connection name and file, for advice on what to edit. */
  connection?: string | null;
  file?: string | null;
  /** `statement` once logged in: a network failure then is not a wrong account name. */
  phase?: 'login' | 'statement';
}

interface RawError {
  code?: unknown;
  sqlState?: unknown;
  state?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: { code?: unknown; message?: unknown };
  response?: { statusCode?: unknown };
}

const roleName = (ctx: ErrorContext): string => (ctx.role ? ctx.role : '<your deploy role>');
const firstLine = (sql: string): string => sql.trim().split('\n')[0]!.slice(0, 160);

/** The privilege a failed statement needed, as a GRANT statement. */
export function grantFor(sql: string, ctx: ErrorContext): string | null {
  const s = sql.trim().replace(/\s+/g, ' ').toUpperCase();
  const role = roleName(ctx);
  if (/^USE WAREHOUSE /.test(s)) return `GRANT USAGE ON WAREHOUSE ${s.slice(14).replace(/;$/, '')} TO ROLE ${role};`;
  if (/^USE (DATABASE )?/.test(s) && /^USE DATABASE /.test(s)) return `GRANT USAGE ON DATABASE ${s.slice(13).replace(/;$/, '')} TO ROLE ${role};`;
  if (/^USE SCHEMA /.test(s)) return `GRANT USAGE ON SCHEMA ${s.slice(11).replace(/;$/, '')} TO ROLE ${role};`;
  // https://docs.snowflake.com/en/release-notes/bcr-bundles/2026_02/bcr-2157: a hybrid table needs its own privilege.
  if (/^CREATE (OR REPLACE )?HYBRID TABLE /.test(s)) return `GRANT CREATE HYBRID TABLE ON SCHEMA <db>.<schema> TO ROLE ${role};`;
  if (/^CREATE (OR REPLACE )?TABLE /.test(s)) return `GRANT CREATE TABLE ON SCHEMA <db>.<schema> TO ROLE ${role};`;
  if (/^ALTER TABLE /.test(s)) return `-- the role must own the table: GRANT OWNERSHIP ON TABLE <table> TO ROLE ${role} COPY CURRENT GRANTS;`;
  if (/^CREATE (OR REPLACE )?INDEX /.test(s)) return `-- CREATE INDEX needs OWNERSHIP of the hybrid table: GRANT OWNERSHIP ON TABLE <table> TO ROLE ${role} COPY CURRENT GRANTS;`;
  if (/^CREATE (OR (REPLACE|ALTER) )?SEQUENCE /.test(s)) return `GRANT CREATE SEQUENCE ON SCHEMA <db>.<schema> TO ROLE ${role};`;
  if (/^CREATE (OR REPLACE )?PROCEDURE /.test(s)) return `GRANT CREATE PROCEDURE ON SCHEMA <db>.<schema> TO ROLE ${role};`;
  if (/^CREATE (OR REPLACE )?VIEW /.test(s)) return `GRANT CREATE VIEW ON SCHEMA <db>.<schema> TO ROLE ${role};`;
  if (/^CREATE (OR (REPLACE|ALTER) )?TASK /.test(s)) {
    return /USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE/.test(s)
      ? `GRANT CREATE TASK ON SCHEMA <db>.<schema> TO ROLE ${role}; USE ROLE ACCOUNTADMIN; GRANT EXECUTE MANAGED TASK ON ACCOUNT TO ROLE ${role};`
      : `GRANT CREATE TASK ON SCHEMA <db>.<schema> TO ROLE ${role}; GRANT USAGE ON WAREHOUSE <warehouse> TO ROLE ${role};`;
  }
  // Account-level privileges are granted by ACCOUNTADMIN (https://docs.snowflake.com/en/user-guide/tasks-intro#task-security).
  if (/^CREATE (OR REPLACE )?ALERT /.test(s)) return `GRANT CREATE ALERT ON SCHEMA <db>.<schema> TO ROLE ${role}; USE ROLE ACCOUNTADMIN; GRANT EXECUTE ALERT ON ACCOUNT TO ROLE ${role};`;
  if (/^ALTER ALERT .* RESUME/.test(s)) return `USE ROLE ACCOUNTADMIN; GRANT EXECUTE ALERT ON ACCOUNT TO ROLE ${role};  -- plus EXECUTE MANAGED ALERT ON ACCOUNT for a serverless alert`;
  if (/^(ALTER TASK .* RESUME|EXECUTE TASK )/.test(s)) return `USE ROLE ACCOUNTADMIN; GRANT EXECUTE TASK ON ACCOUNT TO ROLE ${role};  -- plus EXECUTE MANAGED TASK ON ACCOUNT for a serverless task`;
  if (/^ALTER TASK /.test(s)) return `GRANT OPERATE ON TASK <task> TO ROLE ${role};  -- or own the task`;
  if (/^DROP PROCEDURE /.test(s)) return `-- the role must own the procedure: GRANT OWNERSHIP ON PROCEDURE ... TO ROLE ${role};`;
  if (/^(SELECT|SHOW)/.test(s)) return `GRANT SELECT ON ALL TABLES IN SCHEMA <db>.<schema> TO ROLE ${role}; GRANT MONITOR ON TASK <task> TO ROLE ${role};`;
  if (/^CALL /.test(s)) return `GRANT USAGE ON PROCEDURE <procedure>() TO ROLE ${role};`;
  return null;
}

/**
 * A DeployError for any error a client threw (driver, local runtime, or other), with advice.
 * Already-mapped DeployErrors pass through unchanged.
 */
export function mapSqlError(err: unknown, ctx: ErrorContext = {}): DeployError {
  if (err instanceof DeployError) return err;
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as RawError;
  const message = typeof e.message === 'string' ? e.message : String(err);
  const rawCode = e.code;
  const code = typeof rawCode === 'number' || (typeof rawCode === 'string' && /^\d+$/.test(rawCode)) ? Number(rawCode) : null;
  const shownCode = code === null ? (typeof rawCode === 'string' ? rawCode : null) : String(rawCode).padStart(6, '0');
  const sql = ctx.sql ?? '';
  const stmt = sql ? ` while running: ${firstLine(sql)}` : '';
  const where = ctx.connection ? `connection '${ctx.connection}'${ctx.file ? ` in ${ctx.file}` : ''}` : 'the connection';
  const text = message.replace(/^SQL compilation error:\s*/i, '').replace(/\s+/g, ' ').trim();
  const tag = shownCode ? ` (${shownCode})` : '';

  // Login failures (https://docs.snowflake.com/en/user-guide/errors-login): the user or secret is wrong.
  if (code === 390100) {
    return new DeployError('auth', `Snowflake rejected the user name or password of ${where}${tag}.`, `check 'user' and 'password' of ${where}, or set SNOWFLAKE_CONNECTIONS_<NAME>_PASSWORD; for a PAT set 'authenticator = "PROGRAMMATIC_ACCESS_TOKEN"' and 'token'`, shownCode);
  }
  if (code === 390144 || /JWT token is invalid/i.test(message)) {
    return new DeployError('auth', `Snowflake rejected the key-pair login of ${where}${tag}: ${text}`, "check that 'private_key_file' is the key whose public half is set on the user (DESC USER <user>: RSA_PUBLIC_KEY_FP) and that 'user' and 'account' match", shownCode);
  }
  if (code === 390303 || code === 390318 || code === 394400 || (code !== null && code >= 390000 && code < 395000 && /token/i.test(message))) {
    return new DeployError('auth', `Snowflake rejected the token of ${where}${tag}: ${text}`, "get a new OAuth token or programmatic access token and update 'token' (or 'token_file_path') of the connection", shownCode);
  }
  if (code === 390189 || /role .* (does not exist|not authorized|is not granted)/i.test(message)) {
    return new DeployError('auth', `The role of ${where} cannot be used${tag}: ${text}`, `set 'role' to a role granted to the user (SHOW GRANTS TO USER <user>), or GRANT ROLE ${roleName(ctx)} TO USER <user>;`, shownCode);
  }
  if (code !== null && code >= 390000 && code < 391000) {
    const obj = /(warehouse|database|schema)/i.exec(message)?.[1]?.toLowerCase();
    if (obj) {
      return new DeployError('missing-object', `Login failed for ${where}${tag}: ${text}`, `check '${obj}' of the connection: the ${obj} must exist and ${roleName(ctx)} needs USAGE on it (GRANT USAGE ON ${obj.toUpperCase()} <name> TO ROLE ${roleName(ctx)};)`, shownCode);
    }
    return new DeployError('auth', `Login failed for ${where}${tag}: ${text}`, `check 'user', 'authenticator' and the credentials of ${where}`, shownCode);
  }
  // The driver's own error codes: an HTTP error answer (401002 carries the status).
  const http = typeof e.response?.statusCode === 'number' ? e.response.statusCode : null;
  if (code === 401002 && http !== null) {
    const during = ctx.phase === 'statement' && sql ? ` while running: ${firstLine(sql)}` : ' to the login';
    const kind = ctx.phase === 'statement' ? 'sql' : 'unreachable';
    if (http >= 500) {
      return new DeployError(kind, `Snowflake account '${ctx.account ?? '?'}' answered${during} with HTTP ${http}, a server error (on Snowflake's side or in a proxy between)${tag}.`, `try again in a few minutes; if it persists, check https://status.snowflake.com and the 'host' and proxy (HTTPS_PROXY) settings of ${where}`, shownCode);
    }
    return new DeployError(kind, `Snowflake account '${ctx.account ?? '?'}' answered${during} with HTTP ${http}${tag}.`, `HTTP ${http} usually means the request did not reach your account: check 'account' and 'host' of ${where}, a network policy that blocks this machine's IP, and the proxy (HTTPS_PROXY)`, shownCode);
  }
  // Network failures after login: the account name was right, the connection broke.
  if (ctx.phase === 'statement' && (code === 401001 || e.name === 'NetworkError' || /ECONNRESET|ECONNREFUSED|ETIMEDOUT|socket hang up/i.test(message))) {
    return new DeployError('unreachable', `The connection to Snowflake account '${ctx.account ?? '?'}' failed${stmt}${tag}: ${text}.`, 'check the network (VPN, proxy) and re-run the same command', shownCode);
  }
  // The driver's own error codes: network failures, invalid options.
  if (code === 401001 || e.name === 'NetworkError' || /ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|getaddrinfo/i.test(message)) {
    const cause = e.cause && typeof e.cause.message === 'string' && e.cause.message !== message ? ` (${e.cause.message})` : '';
    return new DeployError('unreachable', `Could not reach Snowflake account '${ctx.account ?? '?'}'${tag}: ${text}${cause}.`, "check 'account' (orgname-accountname, or the locator with its region such as xy12345.eu-west-1; no '.snowflakecomputing.com'), 'host' if set, and your network or proxy (HTTPS_PROXY)", shownCode);
  }
  if (code !== null && code >= 404001 && code < 405000) {
    return new DeployError('config', `The driver rejected the options of ${where}${tag}: ${text}`, `fix that option of ${where} (names as in the Snowflake CLI: account, user, password, authenticator, private_key_file, private_key_file_pwd, token, role, warehouse, database, schema)`, shownCode);
  }
  if (code === 606 || /No active warehouse selected/i.test(message)) {
    return new DeployError('no-warehouse', `No warehouse is in use${stmt}${tag}.`, `pass --warehouse NAME (or set 'warehouse' in the connection) and GRANT USAGE ON WAREHOUSE <name> TO ROLE ${roleName(ctx)};`, shownCode);
  }
  if (code === 90105 || code === 90106 || /does not have a current (database|schema)/i.test(message)) {
    return new DeployError('no-context', `The session has no current database or schema${stmt}${tag}.`, "pass --database NAME --schema NAME, or set 'database' and 'schema' in the connection", shownCode);
  }
  if (/^\s*USE WAREHOUSE/i.test(sql) && (code === 2043 || code === 2003 || /does not exist/i.test(message))) {
    return new DeployError('missing-object', `Warehouse ${sql.trim().slice(14).replace(/;$/, '')} does not exist or ${roleName(ctx)} cannot use it${tag}.`, `check --warehouse (SHOW WAREHOUSES), or GRANT USAGE ON WAREHOUSE ${sql.trim().slice(14).replace(/;$/, '')} TO ROLE ${roleName(ctx)};`, shownCode);
  }
  if (code === 2003 || code === 2043 || /does not exist or not authorized/i.test(message)) {
    const m = /(Database|Schema|Warehouse|Task|Procedure|Object|Table|View)\s+'([^']+)'\s+does not exist/i.exec(message);
    const kind = (m?.[1] ?? 'object').toLowerCase();
    const name = m?.[2] ?? '';
    const fix =
      kind === 'database' || kind === 'schema'
        ? `check --${kind} (or '${kind}' in the connection): SHOW ${kind.toUpperCase()}S; if it exists, GRANT USAGE ON ${kind.toUpperCase()} ${name} TO ROLE ${roleName(ctx)};`
        : `run 'npm run deploy' first if it was never deployed, check --database/--schema point where it was deployed, or grant ${roleName(ctx)} access to it`;
    return new DeployError('missing-object', `${kind === 'object' ? 'An object' : kind[0]!.toUpperCase() + kind.slice(1)}${name ? ` ${name}` : ''} does not exist or is not visible to ${roleName(ctx)}${stmt}${tag}.`, fix, shownCode);
  }
  if (/^\s*ALTER TASK .*RESUME/is.test(sql)) {
    const grant = code === 3001 || /privilege/i.test(message) ? ` ${grantFor(sql, ctx) ?? ''}` : '';
    return new DeployError('task-resume', `The task was created but could not be resumed${tag}: ${text}. It stays suspended.`, `fix the cause${grant ? ':' + grant : ''} then re-run deploy (or ALTER TASK <task> RESUME)`, shownCode);
  }
  if (code === 3001 || code === 3540 || /Insufficient privileges|access control error|privilege must be granted/i.test(message)) {
    const grant = sql ? grantFor(sql, ctx) : null;
    return new DeployError('privilege', `${roleName(ctx)} lacks a privilege${stmt}${tag}: ${text}`, grant ? `as an administrator run: ${grant}  (npm run deploy -- --print-grants prints the whole role setup)` : 'run npm run deploy -- --print-grants for the least-privilege role setup', shownCode);
  }
  return new DeployError('sql', `Statement failed${stmt}${tag}: ${text}`, '', shownCode);
}
