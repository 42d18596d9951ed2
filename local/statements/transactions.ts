/**
 * BEGIN [TRANSACTION | WORK] [NAME n], START TRANSACTION, COMMIT [WORK], ROLLBACK [WORK], the
 * implicit commit before DDL, the implicit BEGIN while AUTOCOMMIT is FALSE, Snowflake's scoped
 * transactions across procedure calls, and a failed statement rolling back alone.
 * https://docs.snowflake.com/en/sql-reference/transactions
 *
 * A failed statement: Snowflake rolls back that statement only, and the transaction stays open
 * and committable; DuckDB aborts the whole transaction. So every engine statement that succeeds
 * in an open transaction and may have changed something is journaled (host.ts `JournalEntry`:
 * the text as sent to DuckDB, its binds and its clock), and when a failure aborted the DuckDB
 * transaction, the runtime rolls back, begins again and replays the journal: only the failed
 * statement is lost. Where a replay could not give back exactly what the client saw — a journaled
 * write used a sequence, a random value or DuckDB's own clock, or another transaction committed
 * since this one began (the new snapshot would see its rows) — or where the replay itself fails
 * or changes another number of rows, the transaction is marked failed instead: every later
 * statement fails saying why, and COMMIT rolls back and says so.
 */
import { EngineError } from '../engine.js';
import { fromDuckDB, LocalSnowflakeError, NOT_IMPLEMENTED } from '../errors.js';
import type { OpenTransaction, RuntimeHost, SessionInternals } from '../host.js';
import { status, synthetic, type StatementResult } from '../result.js';
import type { WireCell } from '../engine.js';
import { canonicalIdentifier } from '../sql-text.js';
import { randomUUID } from 'node:crypto';
import type { StatementKind } from './kind.js';

/** Snowflake's text for ending, or implicitly committing, a transaction of another scope. */
export const DIFFERENT_SCOPE = 'Modifying a transaction that has started at a different scope is not allowed.';

const BEGIN = /^(?:BEGIN(?: WORK| TRANSACTION)?|START TRANSACTION)(?: NAME (\S+))?$/i;
const END = /^(COMMIT|ROLLBACK)( WORK)?$/;

export const transactions: StatementKind = {
  name: 'transaction control',
  match(s) {
    const begin = BEGIN.exec(s.text);
    if (begin) {
      return ({ session, host, scope, queryId }) => {
        const top = session.transactions[session.transactions.length - 1];
        // "If a transaction is already active, then any BEGIN TRANSACTION statements are ignored",
        // except in a procedure called inside it (scoped transactions, below).
        if (top && top.scope === scope) return status('Statement executed successfully.', queryId, s.sql);
        beginTransaction(session, host, scope, s.sql, begin[1] === undefined ? undefined : canonicalIdentifier(begin[1]));
        return status('Statement executed successfully.', queryId, s.sql);
      };
    }
    if (END.test(s.upper)) {
      return ({ session, host, scope, queryId }) => {
        const top = session.transactions[session.transactions.length - 1];
        if (!top) return status('Statement executed successfully.', queryId, s.sql);
        if (top.scope !== scope) throw new LocalSnowflakeError(90232, '25001', DIFFERENT_SCOPE, s.sql);
        endTransaction(session, host, top, s.upper.startsWith('COMMIT'), s.sql);
        return status('Statement executed successfully.', queryId, s.sql);
      };
    }
    if (/^SHOW TRANSACTIONS( IN ACCOUNT)?$/.test(s.upper)) return ({ host, queryId }) => showTransactions(host, queryId, s.sql);
    return undefined;
  },
};

/**
 * SHOW TRANSACTIONS [IN ACCOUNT] (https://docs.snowflake.com/en/sql-reference/sql/show-transactions):
 * the transactions open now, in every session of the runtime (all of one local user), with the
 * page's columns: `id` (a signed 64-bit integer), `user`, `session`, `name` (the BEGIN's NAME or
 * a UUID), `started_on`, `state` (`running`), `scope` (0 for a transaction a client began; one
 * number per CALL for those begun in a procedure, shared by the transactions of that CALL).
 * `user` is `LOCAL_USER` and `session` the session's number in the runtime: neither exists
 * locally as Snowflake has it.
 */
function showTransactions(host: RuntimeHost, queryId: string, sql: string): StatementResult {
  const rows: WireCell[][] = [];
  for (const session of host.sessions) {
    for (const t of session.transactions) {
      rows.push([t.id, 'LOCAL_USER', String(session.id), t.name, t.startedOn, 'running', t.scope === session.clientScope ? '0' : String(scopeNumber(t.scope))]);
    }
  }
  const columns = [
    { name: 'id', type: 'NUMBER' },
    { name: 'user', type: 'TEXT' },
    { name: 'session', type: 'NUMBER' },
    { name: 'name', type: 'TEXT' },
    { name: 'started_on', type: 'TIMESTAMP_LTZ' },
    { name: 'state', type: 'TEXT' },
    { name: 'scope', type: 'NUMBER' },
  ];
  return synthetic(columns, rows, queryId, sql);
}

const scopeNumbers = new WeakMap<object, number>();
let scopeCount = 0;

/** A number for a CALL's scope, the same for each of its transactions. */
function scopeNumber(scope: object): number {
  let n = scopeNumbers.get(scope);
  if (n === undefined) {
    n = ++scopeCount;
    scopeNumbers.set(scope, n);
  }
  return n;
}

/**
 * Opens a transaction of `scope`. With a transaction of another scope open it is a scoped
 * transaction (a BEGIN in a procedure), on a DuckDB connection of its own, leaving the enclosing
 * one untouched.
 */
export function beginTransaction(session: SessionInternals, host: RuntimeHost, scope: object, sql: string, name: string = randomUUID()): void {
  const top = session.transactions[session.transactions.length - 1];
  const connection = top ? openConnection(session, host) : session.connection;
  const epoch = host.commits;
  // CURRENT_TRANSACTION() (compat/functions/transaction-context.ts). Snowflake's id is the
  // transaction's start time in milliseconds (https://docs.snowflake.com/en/sql-reference/transactions.html,
  // "a unique start time (includes milliseconds), which serves as the ID for the transaction"),
  // printed as 1661899308790000000; the low digits count transactions here, to keep ids unique.
  const now = host.nowMicros();
  const id = ((now / 1000n) * 1_000_000n + BigInt(++transactionCount % 1_000_000)).toString();
  try {
    host.engine.exec(connection, [{ sql: 'BEGIN TRANSACTION' }, { sql: `SET VARIABLE sf_current_transaction = '${id}'` }], now);
  } catch (e) {
    if (connection !== session.connection) host.engine.disconnect(connection);
    throw e instanceof EngineError ? fromDuckDB(e.message, sql) : e;
  }
  session.transactions.push({ scope, connection, journal: [], epoch, id, name, startedOn: now });
}

/**
 * Snowflake commits an open transaction before DDL (DuckDB would keep DDL inside it); inside a
 * procedure, a transaction of another scope cannot be committed that way.
 */
export function implicitCommit(session: SessionInternals, host: RuntimeHost, scope: object, sql: string): void {
  const top = session.transactions[session.transactions.length - 1];
  if (!top) return;
  if (top.scope !== scope) throw new LocalSnowflakeError(90232, '25001', DIFFERENT_SCOPE, sql);
  endTransaction(session, host, top, true, sql);
}

let transactionCount = 0;

/** A new connection of this session, for a scoped transaction (same time zone, database and schema). */
function openConnection(session: SessionInternals, host: RuntimeHost): number {
  const id = host.engine.connect();
  host.engine.exec(id, [`SET SESSION TimeZone = '${session.timezone.replace(/'/g, "''")}'`, ...session.namesSql()].map((sql) => ({ sql })), host.nowMicros());
  return id;
}

/** Commits or rolls back the innermost transaction (one marked failed is rolled back, and COMMIT says so). */
export function endTransaction(session: SessionInternals, host: RuntimeHost, t: OpenTransaction, commit: boolean, sql: string): void {
  session.transactions.pop();
  let failed = t.failed;
  // The ids CURRENT_TRANSACTION()/LAST_TRANSACTION() read go in the same round trip when the
  // session's own connection ends its transaction (the usual case).
  let idsSet = false;
  try {
    const end = { sql: commit && failed === undefined ? 'COMMIT' : 'ROLLBACK' };
    const own = t.connection === session.connection && session.transactions.length === 0;
    host.engine.exec(t.connection, own ? [end, ...endedIds(t, true)] : [end], host.nowMicros());
    idsSet = own;
    if (commit && failed === undefined) host.committed();
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    if (e.index > 0) {
      // The COMMIT or ROLLBACK went through; only setting the ids did not (set again below).
      if (commit && failed === undefined) host.committed();
    } else if (commit && failed === undefined) {
      const error = fromDuckDB(e.message, sql);
      rollbackQuietly(host, t.connection);
      if (error.state !== '25P02') throw error;
      failed = 'DuckDB had aborted it';
    }
    // A ROLLBACK DuckDB refuses: the transaction had already ended there.
  } finally {
    if (t.connection !== session.connection) host.engine.disconnect(t.connection);
    session.lastTransactionKnown = true;
    if (!idsSet) transactionEnded(session, host, t);
  }
  if (commit && failed !== undefined && t.abortedByParameter) {
    throw new LocalSnowflakeError(100000, '25P02', 'The transaction was rolled back, not committed: a statement in it failed while TRANSACTION_ABORT_ON_ERROR is TRUE, which aborted it.', sql);
  }
  if (commit && failed !== undefined) {
    throw new LocalSnowflakeError(
      100000,
      '25P02',
      `The transaction was rolled back, not committed: a statement in it failed and the local runtime could not undo ` +
        `that statement alone (${failed}). Snowflake would have committed the statements that succeeded. ` +
        'Roll back explicitly after such a failure inside BEGIN … COMMIT.',
      sql,
    );
  }
}

/** The error of every statement sent to a transaction marked failed. */
export function failedTransaction(t: OpenTransaction, sql: string): LocalSnowflakeError {
  if (t.abortedByParameter) {
    // "All statements issued inside that transaction will fail until a commit or rollback
    // statement is executed to close that transaction." (Snowflake's text was not found.)
    return new LocalSnowflakeError(
      100000,
      '25P02',
      'Current transaction is aborted: a statement in it failed while TRANSACTION_ABORT_ON_ERROR is TRUE. End it with COMMIT or ROLLBACK.',
      sql,
    );
  }
  return new LocalSnowflakeError(
    NOT_IMPLEMENTED.code,
    '25P02',
    'Current transaction is aborted: a statement in it failed. Snowflake rolls back only the failed statement; the local ' +
      'runtime (DuckDB aborts the whole transaction) replays the statements that succeeded, but cannot here: ' +
      `${t.failed ?? 'they cannot be replayed'}. Going on in a transaction after such a failure is not implemented in the ` +
      'local Snowflake runtime: issue ROLLBACK (COMMIT rolls back too).',
    sql,
  );
}

/**
 * After a statement failed in transaction `t`: when DuckDB aborted the transaction (or the failed
 * batch had run part of itself, `partial`), undo only that statement by replaying the journal.
 */
export function afterFailure(host: RuntimeHost, t: OpenTransaction, partial: boolean): void {
  if (!partial) {
    try {
      // Errors found while parsing or binding leave DuckDB's transaction alone.
      host.engine.exec(t.connection, [{ sql: 'SELECT 1' }], host.nowMicros());
      return;
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
    }
  }
  restore(host, t, t.journal.length);
}

/**
 * Rolls `t` back in DuckDB and replays the first `keep` statements of its journal, so that it
 * holds exactly what they did; or marks it failed, saying why, when that cannot be exact.
 */
export function restore(host: RuntimeHost, t: OpenTransaction, keep: number): void {
  t.journal.length = Math.min(keep, t.journal.length);
  const hazard = t.journal.find((entry) => entry.hazard !== undefined)?.hazard;
  if (hazard !== undefined) {
    t.failed = hazard;
    return;
  }
  // With nothing to replay a new snapshot is no difference: later statements see later commits,
  // as Snowflake's READ COMMITTED statements would.
  if (t.journal.length > 0 && host.commits !== t.epoch) {
    t.failed = 'another transaction has committed since this one began (run again, its statements would see those changes)';
    return;
  }
  // Failed until the replay is through: a procedure's time limit can stop JavaScript halfway
  // (CALL's end then restores again, outside the procedure).
  t.failed = 'its replay was interrupted';
  t.epoch = host.commits;
  rollbackQuietly(host, t.connection);
  try {
    host.engine.exec(t.connection, [{ sql: 'BEGIN TRANSACTION' }], host.nowMicros());
    for (const entry of t.journal) {
      const [result] = host.engine.exec(t.connection, [{ sql: entry.sql, ...(entry.params ? { params: entry.params } : {}) }], entry.now);
      if (Number(result?.rowsChanged ?? 0) !== entry.changed) {
        t.failed = `run again, its statement ${entry.sql} changed ${String(result?.rowsChanged ?? 0)} rows instead of ${entry.changed}`;
        return;
      }
    }
    t.failed = undefined;
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    t.failed = `run again, its statements failed (${fromDuckDB(e.message).message.split('\n')[0] ?? ''})`;
  }
}

/**
 * CURRENT_TRANSACTION() is NULL again on the session's connection, and LAST_TRANSACTION() is the
 * ended transaction's id on every connection the session's statements may run on
 * (compat/functions/transaction-context.ts).
 */
function transactionEnded(session: SessionInternals, host: RuntimeHost, t: OpenTransaction): void {
  for (const connection of new Set([session.connection, ...session.transactions.map((open) => open.connection)])) {
    try {
      host.engine.exec(connection, endedIds(t, connection === t.connection), host.nowMicros());
    } catch {
      // Only a closed connection refuses it.
    }
  }
}

/** The variables a connection's statements read after `t` ended (on its own connection, no current one). */
function endedIds(t: OpenTransaction, own: boolean): Array<{ sql: string }> {
  const last = { sql: `SET VARIABLE sf_last_transaction = '${t.id}'` };
  return own ? [{ sql: 'SET VARIABLE sf_current_transaction = NULL' }, last] : [last];
}

function rollbackQuietly(host: RuntimeHost, connection: number): void {
  try {
    host.engine.exec(connection, [{ sql: 'ROLLBACK' }], host.nowMicros());
  } catch {
    // No transaction was active any more.
  }
}
