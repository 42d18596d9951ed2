/**
 * A session: one DuckDB connection, its transaction state, and the dispatch of each Snowflake
 * statement to a rewrite, to DuckDB, or to the runtime's own handling.
 */
import { EngineError, type WireBind, type WireResult } from './engine.js';
import { fromDuckDB, LocalSnowflakeError } from './errors.js';
import type { CallStart, ExecContext, HybridAccess, OpenTransaction, RuntimeHost, SessionInternals, VariableValue } from './host.js';
import { rewriteLastQueryId } from './compat/result-scan.js';
import { refuseUnknownLastTransaction } from './compat/functions/transaction-context.js';
import { mentionsVariables, substituteVariables } from './compat/variables.js';
import { nameSelectItems } from './compat/select-names.js';
import { recognise, splitStatements, type Statement } from './sql-text.js';
import { DEFAULT_CONTEXT, isDefaultContext, qualify, type NameContext, type Qualified } from './compat/names.js';
import type { StatementResult } from './result.js';
import { KilledError } from './instruments.js';
import { STATEMENT_KINDS } from './statements/registry.js';
import { afterFailure, beginTransaction, endTransaction, failedTransaction, restore } from './statements/transactions.js';
import { auditHybridAccess } from './index-eligibility.js';

export type { ExecContext } from './host.js';
export { toWireBind } from './binds.js';

const CLIENT: ExecContext = { callDepth: 0 };

/**
 * A connection to the local Snowflake. `execute` is synchronous, as the procedure API needs.
 *
 * @example
 * const s = sf.session({ name: 'writer' });
 * s.execute('INSERT INTO T (ID) VALUES (?)', [1]).rowsInserted; // 1
 */
export class LocalSession implements SessionInternals {
  /** Longest a CALL from this session may run (tasks set their USER_TASK_TIMEOUT_MS here). */
  timeoutMs: number | undefined;
  /** Open transactions, innermost last. @internal */
  readonly transactions: OpenTransaction[] = [];
  /** The scope of statements a client sends. @internal */
  readonly clientScope = {};
  /** Session variables (`SET name = …`), by name. @internal */
  readonly variables = new Map<string, VariableValue>();
  /** Recent statements and their results, oldest first, for LAST_QUERY_ID and RESULT_SCAN. @internal */
  readonly history: Array<{ queryId: string; result: StatementResult }> = [];
  /** The current database and schema (USE, CREATE DATABASE/SCHEMA). @internal */
  names: NameContext = DEFAULT_CONTEXT;
  /** Snowflake's AUTOCOMMIT session parameter (`ALTER SESSION SET AUTOCOMMIT = FALSE`). @internal */
  autocommit = true;
  /** See SessionInternals.lastTransactionKnown. @internal */
  lastTransactionKnown = true;
  /** Snowflake's TRANSACTION_ABORT_ON_ERROR session parameter. @internal */
  transactionAbortOnError = false;
  private closed = false;
  /** The current statement's accesses to hybrid tables, for its log entry. */
  private audit: HybridAccess[] | undefined;

  constructor(
    private readonly host: RuntimeHost,
    /** The session's own DuckDB connection. @internal */
    readonly connection: number,
    /** The name shown in the statement log. */
    readonly name: string,
    /** The session's number in the runtime (SHOW TRANSACTIONS). @internal */
    readonly id: number = 0,
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
    this.host.sessionClosed(this);
  }

  /** What a CALL needs to settle its transactions when it ends. @internal */
  callStarted(): CallStart {
    return this.transactions.map((t) => ({ transaction: t, journaled: t.journal.length, failed: t.failed !== undefined }));
  }

  /**
   * Settles the transactions when a CALL ends. A transaction the procedure began and left open
   * is rolled back, and is an error when the body itself succeeded. When the CALL failed, the
   * enclosing transactions lose what it did in them and nothing else ("When a DML statement or
   * CALL statement in a transaction fails, the changes made by that failed statement are rolled
   * back"): their journals are replayed up to where the CALL began (or, where that cannot be
   * exact, they are marked failed: COMMIT then rolls back and says so).
   * https://docs.snowflake.com/en/sql-reference/transactions#failed-statements-within-a-transaction
   * @internal
   */
  callEnded(scope: object, started: CallStart, failed: boolean): LocalSnowflakeError | undefined {
    let leftOpen = false;
    while (this.transactions.some((t) => t.scope === scope)) {
      const top = this.transactions[this.transactions.length - 1] as OpenTransaction;
      leftOpen = true;
      endTransaction(this, this.host, top, false, 'ROLLBACK');
    }
    // With TRANSACTION_ABORT_ON_ERROR a failed CALL aborts the transaction instead (run()).
    if (failed && !this.transactionAbortOnError) {
      for (const { transaction: t, journaled, failed: before } of started) {
        if (!this.transactions.includes(t) || before) continue;
        if (t.journal.length > journaled || t.failed !== undefined) restore(this.host, t, journaled);
      }
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
    this.audit = undefined;
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
      // TRANSACTION_ABORT_ON_ERROR = TRUE: "The non-autocommit transaction is aborted."
      const open = this.transactions[this.transactions.length - 1];
      if (this.transactionAbortOnError && open && open.failed === undefined) {
        open.failed = 'TRANSACTION_ABORT_ON_ERROR is TRUE';
        open.abortedByParameter = true;
      }
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
        ...(this.audit ? { hybridAccess: this.audit } : {}),
      };
      this.audit = undefined;
      this.host.log.add(failure ? { ...entry, error: { code: failure.code, state: failure.state, message: failure.message } } : entry);
    }
  }

  /**
   * Recognises the statement once (one tokenizer) and runs it as the first statement kind of
   * `statements/registry.ts` that matches it.
   */
  private dispatch(sql: string, binds: unknown[], ctx: ExecContext, queryId: string): StatementResult {
    if (ctx.procedure && Date.now() > ctx.procedure.deadline) {
      throw new LocalSnowflakeError(630, '57014', `Statement reached its statement or warehouse timeout of ${Math.round(ctx.procedure.limitMs / 1000)} second(s) and was canceled.`, sql);
    }
    let statement = recognise(sql);
    // One statement per call, as Snowflake's API without MULTI_STATEMENT_COUNT (the local server
    // says the same): DuckDB would run every statement of the text and answer with one of them.
    // Snowflake Scripting blocks (DECLARE …, BEGIN … END) are one statement, refused by their kind.
    if (statement.tokens.some((t) => t.text === ';' && t.kind === 'op') && !/^(DECLARE\b|BEGIN\s+(?!TRANSACTION\b|WORK\b|NAME\b))/.test(statement.upper)) {
      const count = splitStatements(statement.sql).length;
      if (count > 1) throw new LocalSnowflakeError(8, '0A000', `Actual statement count ${count} did not match the desired statement count 1.`, sql);
    }
    const env = { session: this, host: this.host, ctx, scope: ctx.procedure ?? this.clientScope, queryId, binds };
    let prepared = false;
    for (const kind of STATEMENT_KINDS) {
      if (!kind.raw && !prepared) {
        statement = this.prepare(statement, ctx);
        prepared = true;
        // The index-eligibility audit of the statement's accesses to hybrid tables (StatementLog),
        // which reads unqualified names as tables of LOCAL.PUBLIC.
        if (this.host.hybridTables.size > 0 && isDefaultContext(this.names)) this.audit = auditHybridAccess(statement, this.host.hybridTables);
      }
      const run = kind.match(statement);
      if (!run) continue;
      // AUTOCOMMIT = FALSE: the first DML or query statement (SELECT, CALL) after a transaction
      // ended opens one. https://docs.snowflake.com/en/sql-reference/transactions#autocommit
      if (!this.autocommit && this.transactions.length === 0 && ctx.callDepth === 0 && OPENS_IMPLICIT.test(statement.upper)) {
        beginTransaction(this, this.host, this.clientScope, sql);
      }
      return run(env);
    }
    throw new LocalSnowflakeError(100000, 'XX000', 'No statement kind took the statement (the registry ends with a catch-all).', sql);
  }

  /**
   * Session variables (`$name`, `IDENTIFIER($name)`) and `LAST_QUERY_ID()` replaced by their
   * values; an owner's-rights procedure sees no variable of the caller's.
   */
  private prepare(statement: Statement, ctx: ExecContext): Statement {
    let sql = statement.sql;
    const ownersRights = ctx.procedure?.executeAs === 'OWNER';
    // Result columns are named from the text as written (`SELECT $X` is `$X`), before the values go in.
    if (mentionsVariables(sql) || /LAST_QUERY_ID/i.test(sql)) sql = nameSelectItems(sql);
    if (mentionsVariables(sql)) sql = substituteVariables(sql, (name) => (ownersRights ? undefined : this.variables.get(name)));
    if (/LAST_QUERY_ID/i.test(sql)) sql = rewriteLastQueryId(sql, this.history.map((h) => h.queryId));
    if (!this.lastTransactionKnown && /LAST_TRANSACTION/i.test(sql)) refuseUnknownLastTransaction(sql);
    return sql === statement.sql ? statement : { ...statement, sql };
  }

  /** The statement's table names resolved in the session's current database and schema (compat/names.ts). @internal */
  qualify(sql: string): Qualified {
    return qualify(sql, this.names, this.host.catalog);
  }

  /**
   * Makes a database and schema current. CURRENT_DATABASE() and CURRENT_SCHEMA() read them from
   * DuckDB variables of each connection the session uses (compat/functions/context.ts). @internal
   */
  setNames(names: NameContext): void {
    const statements = this.namesSql(names).map((sql) => ({ sql }));
    for (const connection of new Set([this.connection, ...this.transactions.map((t) => t.connection)])) {
      this.host.engine.exec(connection, statements, this.host.nowMicros());
    }
    this.names = names;
  }

  /** The statements that give a new connection of this session its current database and schema. @internal */
  namesSql(names: NameContext = this.names): string[] {
    const text = (v: string | null): string => `'${(v ?? '').replace(/'/g, "''")}'`;
    return [
      `SET VARIABLE sf_current_database = ${text(names.database)}`,
      `SET VARIABLE sf_current_schema = ${text(names.schema)}`,
      // The output formats ALTER SESSION set (compat/functions.ts SF_TEXT reads them).
      ...[...this.outputFormats].map(([variable, format]) => `SET VARIABLE ${variable} = ${text(format)}`),
    ];
  }

  /** The session time zone (Snowflake's TIMEZONE parameter). */
  timezone = 'UTC';

  /** Output formats set by ALTER SESSION, as DuckDB variables (name → strftime format). @internal */
  readonly outputFormats = new Map<string, string>();

  /** Runs statements on every DuckDB connection of the session (its own and its open transactions'). */
  private everyConnection(statements: string[], original: string): void {
    const top = this.transactions[this.transactions.length - 1];
    for (const connection of new Set([this.connection, ...this.transactions.map((t) => t.connection)])) {
      try {
        this.host.engine.exec(connection, statements.map((sql) => ({ sql })), this.host.nowMicros());
      } catch (e) {
        if (e instanceof EngineError) {
          const error = fromDuckDB(e.message, original);
          // As for any failed statement in a transaction: undo only it (statements/transactions.ts).
          if (top) afterFailure(this.host, top, false);
          throw error;
        }
        throw e;
      }
    }
  }

  /**
   * Sets the session time zone (Snowflake's TIMEZONE parameter) on every connection of the
   * session, so it holds after an open transaction ends too.
   */
  setTimezone(timezone: string): void {
    this.everyConnection([`SET SESSION TimeZone = '${timezone.replace(/'/g, "''")}'`], `ALTER SESSION SET TIMEZONE = '${timezone}'`);
    this.timezone = timezone;
  }

  /** Sets (or, with null, unsets) an output format variable on every connection. @internal */
  setOutputFormat(variable: string, format: string | null, original: string): void {
    this.everyConnection([format === null ? `RESET VARIABLE ${variable}` : `SET VARIABLE ${variable} = '${format.replace(/'/g, "''")}'`], original);
    if (format === null) this.outputFormats.delete(variable);
    else this.outputFormats.set(variable, format);
  }

  /**
   * Runs statements on DuckDB, in the innermost open transaction, translating its errors to
   * Snowflake's. In a transaction, what succeeded is journaled and a failure undoes only itself
   * (statements/transactions.ts). @internal
   */
  engineRun(statements: Array<{ sql: string; params?: WireBind[] }>, original: string): WireResult[] {
    const top = this.transactions[this.transactions.length - 1];
    if (top?.failed !== undefined) throw failedTransaction(top, original);
    const now = this.host.nowMicros();
    let results: WireResult[];
    try {
      results = this.host.engine.exec(top ? top.connection : this.connection, statements, now);
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      const error = fromDuckDB(e.message, original);
      // With TRANSACTION_ABORT_ON_ERROR the failure aborts the transaction (run() marks it).
      if (top && !this.transactionAbortOnError) afterFailure(this.host, top, e.index > 0);
      else if (e.index > 0) {
        this.host.committed();
        this.lastTransactionKnown = false;
      }
      throw error;
    }
    const changes = results.some((r, i) => !reads(r, statements[i]?.sql ?? ''));
    if (top) {
      results.forEach((r, i) => {
        const st = statements[i] as { sql: string; params?: WireBind[] };
        if (reads(r, st.sql)) return;
        const hazard = this.host.replayHazard(st.sql);
        top.journal.push({ sql: st.sql, ...(st.params && st.params.length > 0 ? { params: st.params } : {}), now, changed: Number(r.rowsChanged), ...(hazard ? { hazard } : {}) });
      });
    } else if (changes) {
      this.host.committed();
      this.lastTransactionKnown = false;
    }
    return results;
  }
}

/** The DML and query statements, which open a transaction while AUTOCOMMIT is FALSE. */
const OPENS_IMPLICIT = /^\(*\s*(SELECT|WITH|INSERT|UPDATE|DELETE|MERGE|TRUNCATE|CALL)\b/;

/**
 * Whether a statement changed nothing a ROLLBACK undoes: DuckDB's statement type SET (20), or
 * SELECT (1) when its text is a query (a write that answers rows, `… RETURNING`, is journaled
 * whatever type it reports).
 */
function reads(result: WireResult, sql: string): boolean {
  return result.statementType === 20 || (result.statementType === 1 && /^\s*(?:\(\s*)*(?:SELECT|WITH|VALUES|FROM)\b/i.test(sql) && !/\bRETURNING\b/i.test(sql));
}
