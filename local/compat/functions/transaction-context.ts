/**
 * Transaction context functions. CURRENT_TRANSACTION() is the id of the session's open
 * transaction (https://docs.snowflake.com/en/sql-reference/functions/current_transaction: "Returns
 * the transaction id of an open transaction in the current session"), a string of digits like the
 * page's `1661899308790000000`, and NULL with none open (the Snowpark reference of the same
 * function: "or NULL if no transaction is active"). The runtime keeps it in a DuckDB variable of
 * the transaction's connection (statements/transactions.ts); a statement outside an explicit
 * transaction (or one AUTOCOMMIT = FALSE opened) sees NULL.
 *
 * LAST_TRANSACTION() is refused: its page ("the last transaction that was either committed or
 * rolled back in the current session", https://docs.snowflake.com/en/sql-reference/functions/last_transaction)
 * does not say whether AUTOCOMMIT's single-statement transactions count, so the runtime cannot
 * know which id Snowflake would give.
 */
import { notImplemented } from '../../errors.js';
import { mask } from '../rewrite.js';
import type { FunctionFamily } from './family.js';

export const transactionContext: FunctionFamily = {
  name: 'transaction context (CURRENT_TRANSACTION)',
  setup: [`CREATE OR REPLACE MACRO current_transaction() AS CAST(getvariable('sf_current_transaction') AS VARCHAR)`],
  rewrite(sql) {
    if (/\bLAST_TRANSACTION\s*\(/i.test(mask(sql))) throw notImplemented('LAST_TRANSACTION()', sql);
    return sql;
  },
};
