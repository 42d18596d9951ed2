/**
 * The local Snowflake as a server that snowflake-sdk (and clients built on it) connects to:
 * Snowflake's REST endpoints for login, statements, asynchronous results, heartbeat, token
 * renewal, abort, logout and telemetry, on Node's `http`. Each login gets its own
 * {@link LocalSession} (its own DuckDB connection); the task and alert schedulers run in the
 * server. It listens on 127.0.0.1 unless told otherwise (`allowRemote`).
 *
 * Statements run synchronously on the server's thread (the runtime is synchronous), one session's
 * statements in the order they arrived.
 *
 * @example
 * const server = await startServer({ port: 0 });
 * const conn = snowflake.createConnection({ account: 'local', username: 'dev', password: 'dev', accessUrl: server.url });
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as zlib from 'node:zlib';
import { LocalSnowflake, LocalSnowflakeError, splitStatements, type LocalSession, type StatementResult } from '../index.js';
import { bindRows, errorBody, resultData, sessionParameters, type SessionContext, type WireBind } from './wire.js';

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** The runtime to serve; when absent one is opened on `path` and closed with the server. */
  sf?: LocalSnowflake;
  /** DuckDB file for the runtime the server opens (default `:memory:`). */
  path?: string;
  /** Port; 0 (the default) picks a free one. */
  port?: number;
  /** Address to listen on (default 127.0.0.1). Anything but a loopback address needs `allowRemote`. */
  host?: string;
  /** Listen on a non-loopback address. The server checks no real credentials: anyone who reaches it can log in. */
  allowRemote?: boolean;
  /** Run the task and alert schedulers in real time (`sf.tasks.start`); default true. */
  schedule?: boolean;
  /** Divides interval schedules (`'1 MINUTE'` fires every 60/N s); default 1. */
  speedup?: number;
  /** When set, logins must give this user and password (or any key pair for this user). */
  credentials?: { user: string; password?: string };
  /** Session token validity in seconds (default 3600); the driver renews it with the master token. */
  sessionValiditySeconds?: number;
  /**
   * Statements answered "in progress" (333333) first and run right after the answer; the driver
   * then fetches the result from `getResultUrl`, as it does for a Snowflake statement that outlasts
   * the request. Default: CALL and EXECUTE TASK. `null`: none.
   */
  detach?: RegExp | null;
}

/** A running server. */
export interface LocalServer {
  readonly port: number;
  readonly host: string;
  /** `http://127.0.0.1:PORT`: the driver's `accessUrl`. */
  readonly url: string;
  /** The runtime it serves. */
  readonly sf: LocalSnowflake;
  /** Open sessions (logged in, not logged out). */
  sessionCount(): number;
  /** Marks every session token expired, as time would (the driver then renews it). */
  expireSessionTokens(): void;
  /** Closes every session and stops listening; closes the runtime when the server opened it. */
  close(): Promise<void>;
}

/** Query status names of Snowflake's monitoring API (constants/query_status.js of the driver). */
type QueryStatus = 'QUEUED' | 'RUNNING' | 'SUCCESS' | 'FAILED_WITH_ERROR' | 'ABORTED';

interface QueryRecord {
  id: string;
  sessionId: number;
  requestId: string | null;
  sql: string;
  status: QueryStatus;
  /** The response body once finished. */
  body: Record<string, unknown> | null;
  startedMs: number;
  endedMs: number | null;
  /** Resolves when it finished. */
  done: Promise<void>;
  /** Set by an abort before it started. */
  aborted: boolean;
  error: { code: string; message: string; state: string } | null;
}

interface ServerSession {
  id: number;
  token: string;
  tokenExpiresMs: number;
  masterToken: string;
  local: LocalSession;
  ctx: SessionContext;
  user: string;
  /** The end of the last statement queued: statements of one session run in order. */
  tail: Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
/** Query ids the server makes (async and failed statements) have this prefix; the runtime's start with 01c0ffee. */
const QUERY_ID_PREFIX = '01b10ca1';
/** Finished queries kept for `/queries/{id}/result` and `/monitoring/queries/{id}`. */
const KEEP_QUERIES = 1000;
/** The longest a result request waits for a statement before answering 333333 again. */
const RESULT_WAIT_MS = 30_000;

/** Thrown for a request the server refuses; answered in the driver's error shape. */
class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly state = '08001',
    readonly httpStatus = 200,
  ) {
    super(message);
  }
}

/**
 * Starts the server. Rejects a non-loopback `host` unless `allowRemote` is set.
 */
export async function startServer(opts: ServerOptions = {}): Promise<LocalServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host) && !opts.allowRemote) {
    throw new Error(
      `Refusing to listen on ${host}: the local Snowflake server accepts any login and runs any statement, so it listens on 127.0.0.1 only. ` +
        'Pass allowRemote (npm run serve -- --host ADDRESS --allow-remote) to listen there anyway.',
    );
  }
  const ownsRuntime = opts.sf === undefined;
  const sf = opts.sf ?? LocalSnowflake.open({ path: opts.path ?? ':memory:' });
  const validityMs = (opts.sessionValiditySeconds ?? 3600) * 1000;
  const detach = opts.detach === undefined ? /^\s*(CALL|EXECUTE\s+TASK)\b/i : opts.detach;
  const sessions = new Map<string, ServerSession>();
  const byMaster = new Map<string, ServerSession>();
  const queries = new Map<string, QueryRecord>();
  const byRequest = new Map<string, QueryRecord>();
  let sessionCount = 0;
  let queryCount = 0;

  const newQueryId = (): string => {
    queryCount++;
    return `${QUERY_ID_PREFIX}-0000-4000-8000-${queryCount.toString(16).padStart(12, '0')}`;
  };
  const token = (): string => randomBytes(24).toString('base64url');

  const remember = (q: QueryRecord): void => {
    queries.set(q.id, q);
    if (q.requestId) byRequest.set(q.requestId, q);
    if (queries.size > KEEP_QUERIES) {
      for (const [id, old] of queries) {
        if (queries.size <= KEEP_QUERIES) break;
        if (old.status === 'QUEUED' || old.status === 'RUNNING') continue;
        queries.delete(id);
        if (old.requestId) byRequest.delete(old.requestId);
      }
    }
  };

  // ---- login, tokens, logout ----------------------------------------------------------------

  const login = (body: LoginBody, query: URLSearchParams): Record<string, unknown> => {
    const data = body.data ?? {};
    const user = String(data.LOGIN_NAME ?? '');
    const authenticator = String(data.AUTHENTICATOR ?? 'SNOWFLAKE').toUpperCase();
    if (user === '') throw new Refusal('390100', 'Incorrect username or password was specified.');
    if (authenticator === 'SNOWFLAKE' || authenticator === 'USERNAME_PASSWORD_MFA') {
      if (opts.credentials && (opts.credentials.user.toUpperCase() !== user.toUpperCase() || (opts.credentials.password !== undefined && data.PASSWORD !== opts.credentials.password))) {
        throw new Refusal('390100', 'Incorrect username or password was specified.');
      }
    } else if (authenticator === 'SNOWFLAKE_JWT') {
      // The key pair is accepted as given: the local server keeps no public keys.
      if (typeof data.TOKEN !== 'string' || data.TOKEN === '') throw new Refusal('390144', 'JWT token is invalid.');
      if (opts.credentials && opts.credentials.user.toUpperCase() !== user.toUpperCase()) throw new Refusal('390144', 'JWT token is invalid.');
    } else {
      throw new Refusal(
        '390100',
        `The local Snowflake server accepts password and key-pair (SNOWFLAKE_JWT) logins only, not authenticator ${authenticator}.`,
      );
    }
    sessionCount++;
    const params = data.SESSION_PARAMETERS ?? {};
    const local = sf.session({ name: `client-${sessionCount}:${user}`, ...(typeof params.TIMEZONE === 'string' ? { timezone: params.TIMEZONE } : {}) });
    const s: ServerSession = {
      id: sessionCount,
      token: token(),
      tokenExpiresMs: Date.now() + validityMs,
      masterToken: token(),
      local,
      user,
      ctx: {
        database: local.names.database,
        schema: local.names.schema,
        warehouse: (query.get('warehouse') ?? '').toUpperCase(),
        role: (query.get('roleName') ?? 'LOCAL_OWNER').toUpperCase(),
        timezone: local.timezone,
      },
      tail: Promise.resolve(),
    };
    // The connection's database and schema become the session's current ones; one that does not
    // exist leaves the session without a current database (or schema), so unqualified names fail.
    const database = query.get('databaseName');
    const schema = query.get('schemaName');
    if (database !== null) useAtLogin(local, `USE DATABASE ${quoteName(database)}`, { database: null, schema: null });
    if (schema !== null) useAtLogin(local, `USE SCHEMA ${quoteName(schema)}`, { database: local.names.database, schema: null });
    s.ctx.database = local.names.database;
    s.ctx.schema = local.names.schema;
    sessions.set(s.token, s);
    byMaster.set(s.masterToken, s);
    return {
      success: true,
      code: null,
      message: null,
      data: {
        token: s.token,
        masterToken: s.masterToken,
        validityInSeconds: validityMs / 1000,
        masterValidityInSeconds: 4 * 3600,
        sessionId: s.id,
        displayUserName: user,
        serverVersion: 'local',
        firstLogin: false,
        healthCheckInterval: 45,
        newClientForUpgrade: null,
        idToken: null,
        idTokenValidityInSeconds: 0,
        responseData: null,
        mfaToken: null,
        mfaTokenValidityInSeconds: 0,
        parameters: sessionParameters(s.ctx),
        sessionInfo: { databaseName: s.ctx.database, schemaName: s.ctx.schema, warehouseName: s.ctx.warehouse || null, roleName: s.ctx.role },
      },
    };
  };

  const authorizationToken = (req: http.IncomingMessage): string | null => {
    const m = /Snowflake Token="([^"]*)"/.exec(req.headers.authorization ?? '');
    return m ? (m[1] as string) : null;
  };

  /** The session a request's token names; refuses a missing, unknown or expired token. */
  const sessionOf = (req: http.IncomingMessage): ServerSession => {
    const t = authorizationToken(req);
    const s = t === null ? undefined : sessions.get(t);
    if (!s) throw new Refusal('390104', 'User must login again to access the service.', '08001', t === null ? 401 : 200);
    if (Date.now() > s.tokenExpiresMs) throw new Refusal('390112', 'Your session has expired. Please login again.');
    return s;
  };

  const renew = (req: http.IncomingMessage, body: { requestType?: string; oldSessionToken?: string }): Record<string, unknown> => {
    const t = authorizationToken(req);
    const s = t === null ? undefined : byMaster.get(t);
    if (!s) throw new Refusal('390114', 'Authentication token has expired.  The user must authenticate again.');
    if (body.requestType !== 'RENEW') throw new Refusal('390101', `Token request type ${String(body.requestType)} is not supported by the local server.`);
    sessions.delete(s.token);
    s.token = token();
    s.tokenExpiresMs = Date.now() + validityMs;
    sessions.set(s.token, s);
    return {
      success: true,
      code: null,
      message: null,
      data: { sessionToken: s.token, validityInSecondsST: validityMs / 1000, masterToken: s.masterToken, validityInSecondsMT: 4 * 3600 },
    };
  };

  const logout = (s: ServerSession): void => {
    sessions.delete(s.token);
    byMaster.delete(s.masterToken);
    // Statements still queued finish first; then the session (and an open transaction) ends.
    void s.tail.then(() => s.local.close());
  };

  // ---- statements -----------------------------------------------------------------------------

  /** Runs one request's statement (all rows of an array bind) and returns its response body. */
  const execute = (s: ServerSession, q: QueryRecord, body: QueryBody): Record<string, unknown> => {
    if (body.bindStage) throw new LocalSnowflakeError(9999, '0A000', 'Binding through a stage (bindStage: array binds above CLIENT_STAGE_ARRAY_BINDING_THRESHOLD) is not implemented in the local Snowflake server.');
    if (body.describeOnly) throw new LocalSnowflakeError(9999, '0A000', 'describeOnly statements are not implemented in the local Snowflake server.');
    const count = Number(body.parameters?.MULTI_STATEMENT_COUNT ?? 1);
    const statements = splitStatements(q.sql);
    if (count !== 1) throw new LocalSnowflakeError(9999, '0A000', 'Multi-statement requests (MULTI_STATEMENT_COUNT other than 1) are not implemented in the local Snowflake server.');
    if (statements.length > 1) {
      throw new LocalSnowflakeError(8, '0A000', `Actual statement count ${statements.length} did not match the desired statement count 1.`);
    }
    const rows = bindRows(body.bindings);
    const results: StatementResult[] = [];
    for (const binds of rows) {
      results.push(s.local.execute(q.sql, binds));
    }
    s.ctx.timezone = s.local.timezone;
    s.ctx.database = s.local.names.database;
    s.ctx.schema = s.local.names.schema;
    const last = results[results.length - 1] as StatementResult;
    const data = resultData(last, s.ctx);
    if (results.length > 1 && data.statementTypeId >= 0x3000 && data.statementTypeId < 0x4000) {
      // An array bind: one result whose counts are the sums.
      data.rowset = [data.rowset[0]?.map((_, i) => String(results.reduce((sum, r) => sum + Number(r.raw[0]?.[i] ?? 0), 0))) ?? []];
    }
    return { success: true, code: null, message: null, data };
  };

  /** Queues a statement on its session and settles its record when it has run. */
  const enqueue = (s: ServerSession, q: QueryRecord, body: QueryBody): void => {
    let settle!: () => void;
    q.done = new Promise<void>((r) => (settle = r));
    const run = (): void => {
      if (q.aborted) {
        q.status = 'ABORTED';
        q.error = { code: '000604', message: 'SQL execution canceled', state: '57014' };
        q.body = errorBody(604, '57014', 'SQL execution canceled', q.id);
      } else {
        q.status = 'RUNNING';
        try {
          q.body = execute(s, q, body);
          const data = q.body.data as { queryId: string };
          // The runtime's id (what LAST_QUERY_ID and RESULT_SCAN know) replaces the server's.
          // The server's id stays valid too: an async caller holds it.
          if (data.queryId !== q.id) {
            queries.set(data.queryId, q);
            q.id = data.queryId;
          }
          q.status = 'SUCCESS';
        } catch (e) {
          const err = e instanceof LocalSnowflakeError ? e : new LocalSnowflakeError(100000, 'XX000', e instanceof Error ? e.message : String(e));
          q.status = 'FAILED_WITH_ERROR';
          q.body = errorBody(err.code, err.state, err.message, q.id);
          q.error = { code: String(err.code).padStart(6, '0'), message: err.message, state: err.state };
        }
      }
      q.endedMs = Date.now();
      settle();
    };
    // After the previous statement of the session, and after the answer of a detached one.
    s.tail = s.tail.then(() => new Promise<void>((r) => setImmediate(() => (run(), r()))));
  };

  const inProgress = (q: QueryRecord, async: boolean): Record<string, unknown> => ({
    success: true,
    code: async ? '333334' : '333333',
    message: async ? 'Asynchronous execution in progress. Use provided query id to perform query monitoring and management.' : 'Query execution in progress. Use getResultUrl to fetch the result.',
    data: { queryId: q.id, getResultUrl: `/queries/${q.id}/result`, queryAbortsAfterSecs: 300, progressDesc: null },
  });

  const queryRequest = async (s: ServerSession, body: QueryBody, requestId: string | null): Promise<Record<string, unknown>> => {
    const q: QueryRecord = {
      id: newQueryId(),
      sessionId: s.id,
      requestId,
      sql: String(body.sqlText ?? ''),
      status: 'QUEUED',
      body: null,
      startedMs: Date.now(),
      endedMs: null,
      done: Promise.resolve(),
      aborted: false,
      error: null,
    };
    remember(q);
    enqueue(s, q, body);
    if (body.asyncExec) return inProgress(q, true);
    if (detach && detach.test(q.sql)) return inProgress(q, false);
    await q.done;
    return q.body as Record<string, unknown>;
  };

  const findQuery = (s: ServerSession, id: string): QueryRecord => {
    const q = queries.get(id);
    if (!q || q.sessionId !== s.id) throw new Refusal('000709', `Statement ${id} not found`, '02000');
    return q;
  };

  const resultOf = async (s: ServerSession, id: string): Promise<Record<string, unknown>> => {
    const q = findQuery(s, id);
    if (q.body === null) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([q.done, new Promise<void>((r) => (timer = setTimeout(r, RESULT_WAIT_MS)))]);
      if (timer) clearTimeout(timer);
    }
    return q.body ?? inProgress(q, false);
  };

  const monitoring = (s: ServerSession, id: string): Record<string, unknown> => {
    const q = findQuery(s, id);
    const entry: Record<string, unknown> = {
      id: q.id,
      status: q.status,
      state: q.status === 'SUCCESS' ? 'SUCCEEDED' : q.status,
      sqlText: q.sql,
      startTime: q.startedMs,
      endTime: q.endedMs ?? 0,
      totalDuration: (q.endedMs ?? Date.now()) - q.startedMs,
      sessionId: q.sessionId,
    };
    if (q.error) Object.assign(entry, { errorCode: q.error.code, errorMessage: q.error.message });
    return { success: true, code: null, message: null, data: { queries: [entry], sqlState: q.error?.state ?? null } };
  };

  const abort = (s: ServerSession, id: string | null, requestId: string | null): Record<string, unknown> => {
    const q = id !== null ? queries.get(id) : requestId !== null ? byRequest.get(requestId) : undefined;
    // A statement that has not started is canceled; one that has run (statements run to the end
    // on the server's one thread) is left as it is, as Snowflake does for a finished statement.
    if (q && q.sessionId === s.id && q.status === 'QUEUED') q.aborted = true;
    return { success: true, code: null, message: null, data: null };
  };

  // ---- HTTP -----------------------------------------------------------------------------------

  const route = async (req: http.IncomingMessage, url: URL, raw: Buffer): Promise<Record<string, unknown>> => {
    const path = url.pathname;
    const json = <T>(): T => (raw.length === 0 ? ({} as T) : (JSON.parse(raw.toString('utf8')) as T));
    if (req.method === 'POST' && path === '/session/v1/login-request') return login(json<LoginBody>(), url.searchParams);
    if (req.method === 'POST' && path === '/session/token-request') return renew(req, json());
    if (req.method === 'POST' && path === '/session' && url.searchParams.get('delete') === 'true') {
      const t = authorizationToken(req);
      const s = t === null ? undefined : sessions.get(t);
      if (!s) throw new Refusal('390111', 'Session no longer exists.  New login required to access the service.');
      logout(s);
      return { success: true, code: null, message: null, data: null };
    }
    if (req.method === 'POST' && path === '/telemetry/send') {
      sessionOf(req);
      return { success: true, code: null, message: null, data: 'Log Received' };
    }
    const s = sessionOf(req);
    if (req.method === 'POST' && path === '/session/heartbeat') return { success: true, code: null, message: null, data: null };
    if (req.method === 'POST' && path === '/queries/v1/query-request') return queryRequest(s, json<QueryBody>(), url.searchParams.get('requestId'));
    if (req.method === 'POST' && path === '/queries/v1/abort-request') return abort(s, null, json<{ requestId?: string }>().requestId ?? null);
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && (m = /^\/queries\/([^/]+)\/abort-request$/.exec(path))) return abort(s, decodeURIComponent(m[1] as string), null);
    if (req.method === 'GET' && (m = /^\/queries\/([^/]+)\/result$/.exec(path))) return resultOf(s, decodeURIComponent(m[1] as string));
    if (req.method === 'GET' && (m = /^\/monitoring\/queries\/([^/]+)$/.exec(path))) return monitoring(s, decodeURIComponent(m[1] as string));
    throw new Refusal('000404', `${req.method ?? 'GET'} ${path} is not an endpoint of the local Snowflake server.`, '0A000', 404);
  };

  const send = (req: http.IncomingMessage, res: http.ServerResponse, status: number, body: Record<string, unknown>): void => {
    const text = Buffer.from(JSON.stringify(body), 'utf8');
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    if (text.length > 1024 && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      res.setHeader('content-encoding', 'gzip');
      res.end(zlib.gzipSync(text));
    } else {
      res.end(text);
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let raw = Buffer.concat(chunks);
      // The driver gzips request bodies (Content-Encoding: gzip); the magic bytes decide.
      if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) raw = zlib.gunzipSync(raw);
      const url = new URL(req.url ?? '/', 'http://local');
      route(req, url, raw).then(
        (body) => send(req, res, 200, body),
        (e: unknown) => {
          if (e instanceof Refusal) send(req, res, e.httpStatus, errorBody(e.code, e.state, e.message, null));
          else if (e instanceof SyntaxError) send(req, res, 400, errorBody('000400', '08P01', `The request body is not JSON: ${e.message}`, null));
          else send(req, res, 500, errorBody(100000, 'XX000', e instanceof Error ? e.message : String(e), null));
        },
      );
    });
  });
  server.keepAliveTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (opts.schedule !== false) sf.tasks.start({ speedup: opts.speedup ?? 1 });
  const port = (server.address() as { port: number }).port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;

  return {
    port,
    host,
    url: `http://${urlHost}:${port}`,
    sf,
    sessionCount: () => byMaster.size,
    expireSessionTokens: () => {
      for (const s of byMaster.values()) s.tokenExpiresMs = 0;
    },
    close: async () => {
      sf.tasks.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      const open = [...byMaster.values()];
      await Promise.all(open.map((s) => s.tail));
      for (const s of open) {
        sessions.delete(s.token);
        byMaster.delete(s.masterToken);
        s.local.close();
      }
      if (ownsRuntime) sf.close();
    },
  };
}

interface LoginBody {
  data?: {
    LOGIN_NAME?: unknown;
    PASSWORD?: unknown;
    AUTHENTICATOR?: unknown;
    TOKEN?: unknown;
    SESSION_PARAMETERS?: Record<string, unknown>;
  };
}

interface QueryBody {
  sqlText?: unknown;
  bindings?: Record<string, WireBind>;
  bindStage?: unknown;
  describeOnly?: unknown;
  asyncExec?: unknown;
  parameters?: Record<string, unknown>;
}


/** A database or schema name from the login request, as an identifier: unquoted names as written (Snowflake upper-cases them), others quoted. */
function quoteName(name: string): string {
  if (/^[A-Za-z_][\w$]*$/.test(name) || /^"(?:[^"]|"")+"$/.test(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** Runs a login's USE on the runtime session; when the object does not exist, the session keeps `otherwise` as its context. */
function useAtLogin(local: LocalSession, sql: string, otherwise: { database: string | null; schema: string | null }): void {
  try {
    local.execute(sql);
  } catch (e) {
    if (!(e instanceof LocalSnowflakeError) || e.code !== 2003) throw e;
    local.setNames(otherwise);
  }
}
