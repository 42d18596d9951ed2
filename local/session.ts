/**
 * A session: one DuckDB connection, its transaction state, and the dispatch of each Snowflake
 * statement to a rewrite, to DuckDB, or to the runtime's own handling.
 */
import { EngineError, type WireBind, type WireResult } from './engine.js';
import { fromDuckDB, LocalSnowflakeError, notImplemented } from './errors.js';
import { createTable, isCreateTable, tableDefinition } from './compat/ddl.js';
import { catalogStatement, declaredColumns, describeSql, duckTypeAsSnowflake, recordColumns } from './compat/catalog.js';
import { canonicalIdentifier } from './sql-text.js';
import { isMerge, mergeResult, mergeReturningAction } from './compat/merge.js';
import { transform, transformDdl } from './compat/transform.js';
import { hasSubMicroseconds } from './compat/functions.js';
import { rejectCaseFoldedTables } from './compat/identifiers.js';
import { materialize, resultScans, rewriteLastQueryId, unknownQuery } from './compat/result-scan.js';
import { mentionsVariables, parseSet, parseUnset, substituteVariables, type VariableValue } from './compat/variables.js';
import { normalized, segments } from './sql-text.js';
import { fromWire, status, synthetic, type StatementResult } from './result.js';
import { SfDate } from './values.js';
import { HostMicros } from './sandbox.js';
import { KilledError } from './instruments.js';
import type { RuntimeHost } from './runtime.js';

/** How a statement came to run: from a client, or from inside a procedure. */
export interface ExecContext {
  /** 0 for a client statement, n inside the n-th nested CALL. */
  callDepth: number;
  /** Set while a procedure runs. */
  procedure?: {
    name: string;
    executeAs: string;
    /** Epoch ms after which statements fail with a timeout. */
    deadline: number;
    /** The time limit the deadline came from, for the error message. */
    limitMs: number;
    /** Set when an injected kill ended this CALL: every later statement fails with it. */
    killed?: LocalSnowflakeError;
  };
}

const CLIENT: ExecContext = { callDepth: 0 };

/**
 * One open transaction. Snowflake scopes transactions to the CALL that began them: a BEGIN in a
 * procedure while a transaction of another scope is open starts a separate ("autonomous scoped")
 * transaction, which here runs on a connection of its own; statements go to the innermost open
 * transaction. https://docs.snowflake.com/en/sql-reference/transactions#scoped-transactions
 */
interface OpenTransaction {
  /** The CALL (its `ExecContext.procedure`) or client that began it. */
  scope: object;
  connection: number;
  /** A statement in it failed, so DuckDB has aborted it (or a failed CALL wrote in it). */
  aborted: boolean;
  /** DML statements run in it so far. */
  writes: number;
}

/** Snowflake's text for ending, or implicitly committing, a transaction of another scope. */
const DIFFERENT_SCOPE = 'Modifying a transaction that has started at a different scope is not allowed.';

/**
 * A connection to the local Snowflake. `execute` is synchronous, as the procedure API needs.
 *
 * @example
 * const s = sf.session({ name: 'writer' });
 * s.execute('INSERT INTO T (ID) VALUES (?)', [1]).rowsInserted; // 1
 */
export class LocalSession {
  /** Longest a CALL from this session may run (tasks set their USER_TASK_TIMEOUT_MS here). */
  timeoutMs: number | undefined;
  /** Open transactions, innermost last. */
  private readonly transactions: OpenTransaction[] = [];
  /** The scope of statements a client sends. */
  private readonly clientScope = {};
  /** Session variables (`SET name = …`), by name. */
  private readonly variables = new Map<string, VariableValue>();
  /** Recent statements and their results, oldest first, for LAST_QUERY_ID and RESULT_SCAN. */
  private readonly history: Array<{ queryId: string; result: StatementResult }> = [];
  private closed = false;

  constructor(
    private readonly host: RuntimeHost,
    private readonly connection: number,
    /** The name shown in the statement log. */
    readonly name: string,
  ) {}

  /**
   * Runs one statement with positional binds (`?` or `:1`). Throws {@link LocalSnowflakeError}
   * with Snowflake's code, state and message when it fails.
   */
  execute(sql: string, binds: unknown[] = []): StatementResult {
    return this.run(sql, binds, CLIENT);
  }

  /** Whether an explicit transaction (BEGIN) is open. */
  get inTransaction(): boolean {
    return this.transactions.length > 0;
  }

  /** Closes the connection; an open transaction is rolled back. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.transactions) if (t.connection !== this.connection) this.host.engine.disconnect(t.connection);
    this.transactions.length = 0;
    this.host.engine.disconnect(this.connection);
  }

  /** What a CALL needs to settle its transactions when it ends. @internal */
  callStarted(): Array<[OpenTransaction, number]> {
    return this.transactions.map((t) => [t, t.writes]);
  }

  /**
   * Settles the transactions when a CALL ends. A transaction the procedure began and left open
   * is rolled back, and is an error when the body itself succeeded. When the CALL failed, the
   * enclosing transactions it wrote in cannot keep half of it: DuckDB has no savepoints, so they
   * are marked failed (COMMIT then rolls back and says so) rather than committing those writes.
   * https://docs.snowflake.com/en/sql-reference/transactions#stored-procedures-and-transactions
   * @internal
   */
  callEnded(scope: object, started: Array<[OpenTransaction, number]>, failed: boolean): LocalSnowflakeError | undefined {
    let leftOpen = false;
    while (this.transactions.some((t) => t.scope === scope)) {
      const top = this.transactions[this.transactions.length - 1] as OpenTransaction;
      leftOpen = true;
      this.endTransaction(top, false, 'ROLLBACK');
    }
    if (failed) {
      for (const [t, writes] of started) if (this.transactions.includes(t) && t.writes > writes) t.aborted = true;
      return undefined;
    }
    return leftOpen
      ? new LocalSnowflakeError(
          100132,
          'P0000',
          'A transaction begun in the stored procedure was still open when it returned; it has been rolled back. ' +
            'Each BEGIN in a procedure needs its COMMIT or ROLLBACK in the same procedure.',
        )
      : undefined;
  }

  /** Runs a statement in a context (the sandbox passes its call depth). @internal */
  run(sql: string, binds: unknown[], ctx: ExecContext): StatementResult {
    const started = performance.now();
    const queryId = this.host.nextQueryId();
    let result: StatementResult | undefined;
    let failure: LocalSnowflakeError | undefined;
    try {
      if (this.closed) throw new LocalSnowflakeError(390114, '08001', `Session ${this.name} is closed.`, sql);
      if (ctx.procedure?.killed) throw ctx.procedure.killed;
      try {
        this.host.faults.check(sql);
      } catch (e) {
        if (e instanceof KilledError && ctx.procedure) ctx.procedure.killed = e;
        throw e;
      }
      result = this.dispatch(sql, binds, ctx, queryId);
      this.history.push({ queryId, result });
      if (this.history.length > 100) this.history.shift();
      return result;
    } catch (e) {
      failure = e instanceof LocalSnowflakeError ? e : new LocalSnowflakeError(100000, 'XX000', e instanceof Error ? e.message : String(e), sql);
      if (failure.sqlText === undefined) failure.sqlText = sql;
      throw failure;
    } finally {
      const entry = {
        session: this.name,
        sql,
        binds: [...binds],
        rows: result?.rows.length ?? 0,
        rowsAffected: result?.rowsAffected ?? 0,
        durationMs: performance.now() - started,
        callDepth: ctx.callDepth,
        queryId,
      };
      this.host.log.add(failure ? { ...entry, error: { code: failure.code, state: failure.state, message: failure.message } } : entry);
    }
  }

  private dispatch(sql: string, binds: unknown[], ctx: ExecContext, queryId: string): StatementResult {
    if (ctx.procedure && Date.now() > ctx.procedure.deadline) {
      throw new LocalSnowflakeError(630, '57014', `Statement reached its statement or warehouse timeout of ${Math.round(ctx.procedure.limitMs / 1000)} second(s) and was canceled.`, sql);
    }
    // A trailing semicolon is part of no statement kind (`BEGIN;` is BEGIN).
    const text = normalized(sql).replace(/(?:\s*;)+$/, '');
    const upper = text.toUpperCase();
    const scope = ctx.procedure ?? this.clientScope;

    // Session variables. An owner's-rights procedure cannot see or set the caller's.
    // https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-rights
    const ownersRights = ctx.procedure?.executeAs === 'OWNER';
    if (/^(SET|UNSET) /.test(upper)) {
      if (ownersRights) {
        throw new LocalSnowflakeError(3001, '42501', `Stored procedure execution error: Unsupported statement type '${upper.startsWith('SET') ? 'SET' : 'UNSET'}'.`, sql);
      }
      return this.setVariables(sql, binds, queryId);
    }
    if (mentionsVariables(sql)) sql = substituteVariables(sql, (name) => (ownersRights ? undefined : this.variables.get(name)));
    if (/LAST_QUERY_ID/i.test(sql)) sql = rewriteLastQueryId(sql, this.history.map((h) => h.queryId));

    // Transactions. https://docs.snowflake.com/en/sql-reference/transactions
    if (/^(BEGIN( WORK| TRANSACTION)?( NAME \S+)?|START TRANSACTION( NAME \S+)?)$/.test(upper)) {
      const top = this.transactions[this.transactions.length - 1];
      // A BEGIN inside an open transaction of the same scope is ignored.
      if (top && top.scope === scope) return status('Statement executed successfully.', queryId, sql);
      // Otherwise it starts a scoped transaction: the enclosing one stays open, untouched.
      const connection = top ? this.openConnection() : this.connection;
      try {
        this.host.engine.exec(connection, [{ sql: 'BEGIN TRANSACTION' }], this.host.nowMicros());
      } catch (e) {
        if (connection !== this.connection) this.host.engine.disconnect(connection);
        throw e instanceof EngineError ? fromDuckDB(e.message, sql) : e;
      }
      this.transactions.push({ scope, connection, aborted: false, writes: 0 });
      return status('Statement executed successfully.', queryId, sql);
    }
    if (/^(COMMIT|ROLLBACK)( WORK)?$/.test(upper)) {
      const top = this.transactions[this.transactions.length - 1];
      if (!top) return status('Statement executed successfully.', queryId, sql);
      if (top.scope !== scope) throw new LocalSnowflakeError(90232, '25001', DIFFERENT_SCOPE, sql);
      this.endTransaction(top, upper.startsWith('COMMIT'), sql);
      return status('Statement executed successfully.', queryId, sql);
    }

    if (/^CREATE (OR REPLACE )?(SECURE )?(TEMP(ORARY)? )?PROCEDURE /.test(upper)) {
      this.implicitCommit(scope, sql);
      return this.host.procedures.create(sql, queryId);
    }
    if (/^DROP PROCEDURE /.test(upper)) {
      this.implicitCommit(scope, sql);
      return this.host.procedures.drop(sql, queryId);
    }
    if (/^CALL SYSTEM\$/.test(upper)) return this.host.callSystem(this, sql, binds, queryId);
    if (/^CALL /.test(upper)) return this.host.callProcedure(this, sql, binds, ctx, queryId);
    if (/^WITH \S+ AS PROCEDURE\b/.test(upper)) return this.host.callAnonymous(this, sql, binds, ctx, queryId);
    if (/^(CREATE (OR (REPLACE|ALTER) )?TASK|ALTER TASK|DROP TASK|EXECUTE TASK|SHOW TASKS|DESC(RIBE)? TASK)\b/.test(upper)) {
      if (!upper.startsWith('SHOW') && !upper.startsWith('DESC') && !upper.startsWith('EXECUTE')) this.implicitCommit(scope, sql);
      return this.host.tasks.statement(sql, queryId);
    }
    if (/^(CREATE (OR REPLACE )?ALERT|ALTER ALERT|DROP ALERT|EXECUTE ALERT|SHOW ALERTS|DESC(RIBE)? ALERT)\b/.test(upper)) {
      if (/^(CREATE|ALTER|DROP) /.test(upper)) this.implicitCommit(scope, sql);
      return this.host.alerts.statement(sql, queryId);
    }
    if (/^USE /.test(upper)) return status('Statement executed successfully.', queryId, sql);
    if (/^ALTER SESSION /.test(upper)) return this.alterSession(sql, upper, ctx, queryId);
    const catalog = catalogStatement(sql);
    if (catalog) return this.catalog(sql, catalog, queryId, scope);
    if (/^(SHOW|DESC|DESCRIBE|LIST|PUT|GET|COPY|GRANT|REVOKE|UNDROP) /.test(upper)) {
      throw notImplemented(upper.split(' ').slice(0, 2).join(' '), sql);
    }
    const unsupportedObject = /^(CREATE|ALTER|DROP) (?:OR REPLACE )?(?:SECURE )?(STREAM|STAGE|PIPE|FILE FORMAT|WAREHOUSE|DATABASE|SCHEMA|ROLE|USER|FUNCTION|NOTIFICATION INTEGRATION|INTEGRATION|DYNAMIC TABLE|MATERIALIZED VIEW|EXTERNAL TABLE|SEQUENCE)\b/.exec(upper);
    if (unsupportedObject) throw notImplemented(`${unsupportedObject[1]} ${unsupportedObject[2]}`, sql);

    const isDdl = /^(CREATE|DROP|ALTER|TRUNCATE|COMMENT) /.test(upper) && !/^TRUNCATE/.test(upper);
    if (isDdl) this.implicitCommit(scope, sql);

    if (isCreateTable(sql)) {
      const statements = createTable(sql).map((s) => ({ sql: transformDdl(s) }));
      this.engineRun(statements, sql);
      this.recordCreateTable(sql);
      this.host.catalogChanged();
      return status('Statement executed successfully.', queryId, sql);
    }

    for (const b of binds) {
      if (typeof b === 'string' && hasSubMicroseconds(b)) {
        throw notImplemented(`binding a timestamp with non-zero digits below the microsecond ('${b}'): the local engine keeps microseconds`, sql);
      }
    }
    const scanned = /RESULT_SCAN/i.test(sql) ? this.scanResults(sql) : undefined;
    if (scanned) sql = scanned.sql;
    rejectCaseFoldedTables(sql, this.host.tableNames);
    const merge = isMerge(sql);
    let duck = transform(sql);
    if (merge) duck = mergeReturningAction(duck);
    let wire: WireResult;
    try {
      wire = this.engineRun([{ sql: duck, params: binds.map(toWireBind) }], sql)[0] as WireResult;
    } finally {
      if (scanned) for (const t of scanned.tables) this.engineRun([{ sql: `DROP TABLE IF EXISTS ${t}` }], sql);
    }
    if (isDdl) {
      const dropped = /^DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(\S+)/i.exec(normalized(sql));
      if (dropped) this.engineRun([{ sql: 'DELETE FROM sf_local.declared_columns WHERE TABLE_NAME = ?', params: [canonicalIdentifier(dropped[1] as string)] }], sql);
      this.host.catalogChanged();
    }
    const top = this.transactions[this.transactions.length - 1];
    if (top && (merge || wire.statementType === 2 || wire.statementType === 3 || wire.statementType === 5)) top.writes++;
    return this.shape(sql, wire, merge, queryId);
  }

  /** Sequences, ADD COLUMN, CREATE INDEX and DESCRIBE TABLE (see compat/catalog.ts). */
  private catalog(sql: string, plan: NonNullable<ReturnType<typeof catalogStatement>>, queryId: string, scope: object): StatementResult {
    if (plan.describe !== undefined) {
      const [wire] = this.engineRun([{ sql: describeSql(plan.describe) }], sql) as [WireResult];
      if (wire.rows.length === 0) {
        throw new LocalSnowflakeError(2003, '42S02', `SQL compilation error:\nTable '${plan.describe}' does not exist or not authorized.`, sql);
      }
      const names = ['name', 'type', 'kind', 'null?', 'default', 'primary key', 'unique key', 'check', 'expression', 'comment', 'policy name', 'privacy domain'];
      const rows = wire.rows.map((r) => [r[0], r[1] ?? duckTypeAsSnowflake(String(r[2])), ...r.slice(3)]);
      return synthetic(names.map((name) => ({ name, type: 'TEXT' })), rows as WireResult['rows'], queryId, sql);
    }
    this.implicitCommit(scope, sql);
    this.engineRun([...plan.duck.map((d) => ({ sql: transformDdl(d) })), ...(plan.record ?? [])], sql);
    this.host.catalogChanged();
    return status('Statement executed successfully.', queryId, sql);
  }

  /** Keeps the declared types of a new table's columns, for DESCRIBE TABLE. */
  private recordCreateTable(sql: string): void {
    const def = tableDefinition(sql);
    if (!def) return;
    const columns = declaredColumns(def.columnList);
    const record = def.ifNotExists
      ? columns.map((c) => ({ sql: 'INSERT OR IGNORE INTO sf_local.declared_columns VALUES (?, ?, ?)', params: [def.table, c.name, c.type] }))
      : recordColumns(def.table, columns, true);
    this.engineRun(record, sql);
  }

  /** Each `RESULT_SCAN('<id>')` of the statement replaced by a temporary table holding that result. */
  private scanResults(sql: string): { sql: string; tables: string[] } | undefined {
    const scans = resultScans(sql);
    if (scans.length === 0) return undefined;
    const tables: string[] = [];
    let out = sql;
    // From the last, so earlier positions stay valid.
    for (const scan of [...scans].reverse()) {
      const found = this.history.find((h) => h.queryId === scan.id);
      if (!found) throw unknownQuery(scan.id, sql);
      const table = `sf_result_scan_${tables.length + 1}`;
      this.engineRun(materialize(table, found.result), sql);
      tables.push(table);
      out = out.slice(0, scan.from) + table + out.slice(scan.to);
    }
    return { sql: out, tables };
  }

  /** `SET` / `UNSET` of session variables: each value is computed once, now. */
  private setVariables(sql: string, binds: unknown[], queryId: string): StatementResult {
    const unset = parseUnset(sql);
    if (unset) {
      for (const name of unset) this.variables.delete(name);
      return status('Statement executed successfully.', queryId, sql);
    }
    const assignments = parseSet(sql) ?? [];
    const values = assignments.map(({ expr }) => {
      const e = mentionsVariables(expr) ? substituteVariables(expr, (name) => this.variables.get(name)) : expr;
      const wire = this.engineRun([{ sql: transform(`SELECT CAST((${e}) AS "VARCHAR"), typeof((${e}))`), params: binds.map(toWireBind) }], sql)[0];
      const row = wire?.rows[0] ?? [];
      const type = String(row[1] ?? 'VARCHAR');
      return { text: row[0] === null || row[0] === undefined ? null : String(row[0]), type: type === 'NULL' ? 'VARCHAR' : type };
    });
    assignments.forEach(({ name }, i) => this.variables.set(name, values[i] as VariableValue));
    return status('Statement executed successfully.', queryId, sql);
  }

  /**
   * Snowflake commits an open transaction before DDL (DuckDB would keep DDL inside it); inside a
   * procedure, a transaction of another scope cannot be committed that way.
   */
  private implicitCommit(scope: object, sql: string): void {
    const top = this.transactions[this.transactions.length - 1];
    if (!top) return;
    if (top.scope !== scope) throw new LocalSnowflakeError(90232, '25001', DIFFERENT_SCOPE, sql);
    this.endTransaction(top, true, sql);
  }

  /** A new connection of this session, for a scoped transaction (same time zone). */
  private openConnection(): number {
    const id = this.host.engine.connect();
    this.host.engine.exec(id, [{ sql: `SET SESSION TimeZone = '${this.timezone.replace(/'/g, "''")}'` }], this.host.nowMicros());
    return id;
  }

  /** Commits or rolls back the innermost transaction (DuckDB cannot commit one it aborted). */
  private endTransaction(t: OpenTransaction, commit: boolean, sql: string): void {
    this.transactions.pop();
    let failed = false;
    try {
      this.host.engine.exec(t.connection, [{ sql: commit && !t.aborted ? 'COMMIT' : 'ROLLBACK' }], this.host.nowMicros());
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      const error = fromDuckDB(e.message, sql);
      if (error.state !== '25P02') throw error;
      failed = true;
      try {
        this.host.engine.exec(t.connection, [{ sql: 'ROLLBACK' }], this.host.nowMicros());
      } catch {
        // Already ended by DuckDB.
      }
    } finally {
      if (t.connection !== this.connection) this.host.engine.disconnect(t.connection);
    }
    if (commit && (t.aborted || failed)) {
      // DuckDB cannot commit a transaction in which a statement failed: it was rolled back.
      throw new LocalSnowflakeError(
        100000,
        '25P02',
        'The transaction was rolled back, not committed: a statement in it failed earlier. ' +
          'Snowflake would have committed the statements that succeeded; the local engine (DuckDB) cannot. ' +
          'Roll back explicitly after a failure inside BEGIN … COMMIT.',
        sql,
      );
    }
  }

  private alterSession(sql: string, upper: string, ctx: ExecContext, queryId: string): StatementResult {
    if (ctx.procedure && ctx.procedure.executeAs === 'OWNER') {
      // https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-rights
      throw new LocalSnowflakeError(3001, '42501', 'Stored procedure execution error: Unsupported statement type \'ALTER_SESSION\'.', sql);
    }
    const tz = /^ALTER SESSION SET TIMEZONE\s*=\s*'([^']+)'$/i.exec(normalized(sql));
    if (tz) {
      this.setTimezone(tz[1] as string);
      return status('Statement executed successfully.', queryId, sql);
    }
    if (/^ALTER SESSION (UN)?SET (QUERY_TAG|AUTOCOMMIT = TRUE|STATEMENT_TIMEOUT_IN_SECONDS|LOCK_TIMEOUT)\b/.test(upper)) {
      return status('Statement executed successfully.', queryId, sql);
    }
    throw notImplemented(`ALTER SESSION parameter in "${normalized(sql)}"`, sql);
  }

  /** The session time zone (Snowflake's TIMEZONE parameter). */
  timezone = 'UTC';

  /** Sets the session time zone (Snowflake's TIMEZONE parameter). */
  setTimezone(timezone: string): void {
    this.engineRun([{ sql: `SET SESSION TimeZone = '${timezone.replace(/'/g, "''")}'` }], `ALTER SESSION SET TIMEZONE = '${timezone}'`);
    this.timezone = timezone;
  }

  /** Runs statements on DuckDB, in the innermost open transaction, translating its errors to Snowflake's. @internal */
  engineRun(statements: Array<{ sql: string; params?: WireBind[] }>, original: string): WireResult[] {
    const top = this.transactions[this.transactions.length - 1];
    try {
      return this.host.engine.exec(top ? top.connection : this.connection, statements, this.host.nowMicros());
    } catch (e) {
      if (e instanceof EngineError) {
        const error = fromDuckDB(e.message, original);
        // DuckDB aborts an explicit transaction when a statement fails while executing (errors
        // found while parsing or binding leave it alone); COMMIT must then roll back.
        if (top && !/^(Parser|Binder|Catalog) Error/.test(e.message)) top.aborted = true;
        throw error;
      }
      throw e;
    }
  }

  private shape(sql: string, wire: WireResult, merge: boolean, queryId: string): StatementResult {
    const n = (v: unknown): number => Number(v ?? 0);
    if (merge) {
      const counts = { inserted: 0, updated: 0, deleted: 0 };
      for (const [action] of wire.rows) {
        if (action === 'INSERT') counts.inserted++;
        else if (action === 'UPDATE') counts.updated++;
        else if (action === 'DELETE') counts.deleted++;
      }
      const { names, row } = mergeResult(sql, counts);
      return synthetic(names.map((name) => ({ name, type: 'NUMBER' })), [row], queryId, sql, counts);
    }
    switch (wire.statementType) {
      case 2: {
        const count = n(wire.rows[0]?.[0]);
        return synthetic([{ name: 'number of rows inserted', type: 'NUMBER' }], [[count]], queryId, sql, { inserted: count, updated: 0, deleted: 0 });
      }
      case 3: {
        const count = n(wire.rows[0]?.[0]);
        return synthetic(
          [
            { name: 'number of rows updated', type: 'NUMBER' },
            { name: 'number of multi-joined rows updated', type: 'NUMBER' },
          ],
          [[count, 0]],
          queryId,
          sql,
          { inserted: 0, updated: count, deleted: 0 },
        );
      }
      case 5: {
        const count = n(wire.rows[0]?.[0]);
        return synthetic([{ name: 'number of rows deleted', type: 'NUMBER' }], [[count]], queryId, sql, { inserted: 0, updated: 0, deleted: count });
      }
      case 1:
      case 4:
      case 22:
        return fromWire(wire, resultNames(sql, wire, this.host.mixedCaseColumns), { inserted: 0, updated: 0, deleted: 0 }, queryId, sql);
      default:
        return status('Statement executed successfully.', queryId, sql);
    }
  }
}

/**
 * Snowflake upper-cases unquoted identifiers, so result columns come back upper-case unless the
 * statement spelled them in double quotes, or they are table columns created with a quoted
 * mixed-case name (`SELECT *`). DuckDB keeps the case as written.
 */
function resultNames(sql: string, wire: WireResult, mixedCase: ReadonlySet<string>): string[] {
  const quoted = new Set(
    segments(sql)
      .filter((s) => s.kind === 'ident')
      .map((s) => s.text.slice(1, -1).replace(/""/g, '"')),
  );
  return wire.columns.map((c) => {
    if (quoted.has(c.name) || mixedCase.has(c.name)) return c.name;
    // DuckDB names an unaliased COUNT(*) count_star(); Snowflake names it COUNT(*).
    return c.name.replace(/count_star\(\)/gi, 'COUNT(*)').toUpperCase();
  });
}

/** A bind as the engine takes it. Host code may also bind booleans, bigints and Dates. */
export function toWireBind(value: unknown): WireBind {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (value instanceof HostMicros) return { micros: value.micros, kind: value.kind };
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value;
  if (value instanceof SfDate) return { micros: value.micros, kind: value.kind };
  if (value instanceof Date || Object.prototype.toString.call(value) === '[object Date]') {
    const d = value as Date & { getNanoSeconds?: () => number; getEpochSeconds?: () => number };
    if (typeof d.getNanoSeconds === 'function' && typeof d.getEpochSeconds === 'function') {
      return { micros: BigInt(d.getEpochSeconds()) * 1_000_000n + BigInt(Math.floor(d.getNanoSeconds() / 1000)) };
    }
    return { micros: BigInt(d.getTime()) * 1000n };
  }
  throw new LocalSnowflakeError(100000, '22000', `Unsupported bind value of type ${typeof value}: bind numbers, strings, dates or null.`);
}
