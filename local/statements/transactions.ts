/**
 * BEGIN [TRANSACTION | WORK] [NAME n], START TRANSACTION, COMMIT [WORK], ROLLBACK [WORK], and the
 * implicit commit before DDL, with Snowflake's scoped transactions across procedure calls.
 * https://docs.snowflake.com/en/sql-reference/transactions
 */
import { EngineError } from '../engine.js';
import { fromDuckDB, LocalSnowflakeError } from '../errors.js';
import type { OpenTransaction, RuntimeHost, SessionInternals } from '../host.js';
import { status } from '../result.js';
import type { StatementKind } from './kind.js';

/** Snowflake's text for ending, or implicitly committing, a transaction of another scope. */
export const DIFFERENT_SCOPE = 'Modifying a transaction that has started at a different scope is not allowed.';

const BEGIN = /^(BEGIN( WORK| TRANSACTION)?( NAME \S+)?|START TRANSACTION( NAME \S+)?)$/;
const END = /^(COMMIT|ROLLBACK)( WORK)?$/;

export const transactions: StatementKind = {
  name: 'transaction control',
  match(s) {
    if (BEGIN.test(s.upper)) {
      return ({ session, host, scope, queryId }) => {
        const top = session.transactions[session.transactions.length - 1];
        // A BEGIN inside an open transaction of the same scope is ignored.
        if (top && top.scope === scope) return status('Statement executed successfully.', queryId, s.sql);
        // Otherwise it starts a scoped transaction: the enclosing one stays open, untouched.
        const connection = top ? openConnection(session, host) : session.connection;
        try {
          host.engine.exec(connection, [{ sql: 'BEGIN TRANSACTION' }], host.nowMicros());
        } catch (e) {
          if (connection !== session.connection) host.engine.disconnect(connection);
          throw e instanceof EngineError ? fromDuckDB(e.message, s.sql) : e;
        }
        session.transactions.push({ scope, connection, aborted: false, writes: 0 });
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
    return undefined;
  },
};

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

/** A new connection of this session, for a scoped transaction (same time zone, database and schema). */
function openConnection(session: SessionInternals, host: RuntimeHost): number {
  const id = host.engine.connect();
  host.engine.exec(id, [`SET SESSION TimeZone = '${session.timezone.replace(/'/g, "''")}'`, ...session.namesSql()].map((sql) => ({ sql })), host.nowMicros());
  return id;
}

/** Commits or rolls back the innermost transaction (DuckDB cannot commit one it aborted). */
export function endTransaction(session: SessionInternals, host: RuntimeHost, t: OpenTransaction, commit: boolean, sql: string): void {
  session.transactions.pop();
  let failed = false;
  try {
    host.engine.exec(t.connection, [{ sql: commit && !t.aborted ? 'COMMIT' : 'ROLLBACK' }], host.nowMicros());
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    const error = fromDuckDB(e.message, sql);
    if (error.state !== '25P02') throw error;
    failed = true;
    try {
      host.engine.exec(t.connection, [{ sql: 'ROLLBACK' }], host.nowMicros());
    } catch {
      // Already ended by DuckDB.
    }
  } finally {
    if (t.connection !== session.connection) host.engine.disconnect(t.connection);
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
