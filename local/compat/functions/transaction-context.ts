/**
 * Transaction context functions. CURRENT_TRANSACTION() is the id of the session's open
 * transaction (https://docs.snowflake.com/en/sql-reference/functions/current_transaction: "Returns
 * the transaction id of an open transaction in the current session"), a string of digits like the
 * page's `1661899308790000000`, and NULL with none open (the Snowpark reference of the same
 * function: "or NULL if no transaction is active"). The runtime keeps it in a DuckDB variable of
 * the transaction's connection (statements/transactions.ts); a statement outside an explicit
 * transaction (or one AUTOCOMMIT = FALSE opened) sees NULL.
 *
 * LAST_TRANSACTION() is the id of the session's last transaction that ended by COMMIT or ROLLBACK
 * (https://docs.snowflake.com/en/sql-reference/functions/last_transaction: "the last transaction
 * that was either committed or rolled back in the current session"; the COMMIT page's example,
 * https://docs.snowflake.com/en/sql-reference/sql/commit, gives it after COMMIT and a SELECT), NULL
 * before any. Whether a statement that commits on its own (AUTOCOMMIT DML, DDL) counts is not
 * documented: after one, LAST_TRANSACTION() is refused until a transaction ends again
 * (`refuseUnknownLastTransaction`, called by the session, which knows).
 */
import { notImplemented } from '../../errors.js';
import { mask } from '../rewrite.js';
import type { FunctionFamily } from './family.js';

export const transactionContext: FunctionFamily = {
  name: 'transaction context (CURRENT_TRANSACTION, LAST_TRANSACTION)',
  setup: [
    `CREATE OR REPLACE MACRO current_transaction() AS CAST(getvariable('sf_current_transaction') AS VARCHAR)`,
    `CREATE OR REPLACE MACRO last_transaction() AS CAST(getvariable('sf_last_transaction') AS VARCHAR)`,
  ],
};

/** Throws when the statement calls LAST_TRANSACTION() (the session's id for it is not known). */
export function refuseUnknownLastTransaction(sql: string): void {
  if (/\bLAST_TRANSACTION\s*\(/i.test(mask(sql))) {
    throw notImplemented('LAST_TRANSACTION() after a statement that committed on its own (AUTOCOMMIT DML or DDL; Snowflake does not document whether it counts)', sql);
  }
}
