/**
 * `USE ROLE | WAREHOUSE | SECONDARY ROLES …` (accepted, no effect; USE of a database or schema is
 * statements/databases.ts), `ALTER SESSION SET TIMEZONE = '…'` / `UNSET TIMEZONE`, the output
 * formats `TIMESTAMP_OUTPUT_FORMAT`, `TIMESTAMP_NTZ_OUTPUT_FORMAT`, `DATE_OUTPUT_FORMAT` and
 * `TIME_OUTPUT_FORMAT` (SET/UNSET)
 * (QUERY_TAG, STATEMENT_TIMEOUT_IN_SECONDS, LOCK_TIMEOUT accepted, no effect), and
 * `ALTER SESSION SET AUTOCOMMIT = TRUE | FALSE` / `UNSET AUTOCOMMIT`, which commits an open
 * transaction ("regardless of whether the new value is TRUE or FALSE, and regardless of whether
 * or not the new value is different from the previous value") and is refused in a procedure
 * (https://docs.snowflake.com/en/sql-reference/transactions#autocommit). An owner's-rights
 * procedure cannot ALTER SESSION. `TRANSACTION_ABORT_ON_ERROR = TRUE | FALSE`: TRUE makes a failed
 * statement abort the open transaction (https://docs.snowflake.com/en/sql-reference/parameters).
 * https://docs.snowflake.com/en/sql-reference/sql/alter-session,
 * https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-rights
 */
import { LocalSnowflakeError, notImplemented } from '../errors.js';
import { status } from '../result.js';
import { convertFormat } from '../compat/functions.js';
import { unquoteString } from '../sql-text.js';

/** The output-format parameters ALTER SESSION takes, and the DuckDB variable SF_TEXT reads for each. */
const OUTPUT_FORMATS: Record<string, string> = {
  TIMESTAMP_OUTPUT_FORMAT: 'sf_fmt_timestamp',
  TIMESTAMP_NTZ_OUTPUT_FORMAT: 'sf_fmt_timestamp_ntz',
  DATE_OUTPUT_FORMAT: 'sf_fmt_date',
  TIME_OUTPUT_FORMAT: 'sf_fmt_time',
};
import type { StatementKind } from './kind.js';
import { implicitCommit } from './transactions.js';

export const use: StatementKind = {
  name: 'USE',
  match(s) {
    return /^USE /.test(s.upper) ? ({ queryId }) => status('Statement executed successfully.', queryId, s.sql) : undefined;
  },
};

export const alterSession: StatementKind = {
  name: 'ALTER SESSION',
  match(s) {
    if (!/^ALTER SESSION /.test(s.upper)) return undefined;
    return ({ session, host, scope, ctx, queryId }) => {
      if (ctx.procedure && ctx.procedure.executeAs === 'OWNER') {
        throw new LocalSnowflakeError(3001, '42501', "Stored procedure execution error: Unsupported statement type 'ALTER_SESSION'.", s.sql);
      }
      const tz = /^ALTER SESSION SET TIMEZONE\s*=\s*'([^']+)'$/i.exec(s.text);
      if (tz) {
        session.setTimezone(tz[1] as string);
        return status('Statement executed successfully.', queryId, s.sql);
      }
      if (/^ALTER SESSION UNSET TIMEZONE$/.test(s.upper)) {
        session.setTimezone(host.timezone);
        return status('Statement executed successfully.', queryId, s.sql);
      }
      // Output formats (https://docs.snowflake.com/en/sql-reference/parameters): what TO_CHAR,
      // TO_VARCHAR and ::VARCHAR print without a format.
      const format = /^ALTER SESSION (SET|UNSET) (TIMESTAMP_OUTPUT_FORMAT|TIMESTAMP_NTZ_OUTPUT_FORMAT|DATE_OUTPUT_FORMAT|TIME_OUTPUT_FORMAT)\b\s*(?:=\s*('(?:[^']|'')*'))?$/i.exec(s.text);
      if (format) {
        const variable = OUTPUT_FORMATS[(format[2] as string).toUpperCase()] as string;
        const value = format[3] === undefined ? null : unquoteString(format[3]);
        if ((format[1] as string).toUpperCase() === 'SET' && value === null) throw notImplemented(`ALTER SESSION parameter in "${s.text}"`, s.sql);
        // An empty value or AUTO is the default.
        const strftime = value === null || value === '' || /^AUTO$/i.test(value) ? null : convertFormat(value, 'print');
        // Offsets (TZH/TZM) print only for LTZ/TZ values (TIMESTAMP_OUTPUT_FORMAT).
        if (strftime !== null && strftime.includes('\u0001') && variable !== 'sf_fmt_timestamp') {
          throw notImplemented(`the format elements TZH/TZM in ${(format[2] as string).toUpperCase()} (values without a time zone)`, s.sql);
        }
        session.setOutputFormat(variable, strftime, s.sql);
        return status('Statement executed successfully.', queryId, s.sql);
      }
      const autocommit = /^ALTER SESSION (?:SET AUTOCOMMIT ?= ?(TRUE|FALSE)|UNSET AUTOCOMMIT)$/.exec(s.upper);
      if (autocommit) {
        // "Do not change AUTOCOMMIT settings inside a stored procedure. You will get an error
        // message." (Snowflake's text was not found; this wording is local.)
        if (ctx.procedure) throw new LocalSnowflakeError(100132, 'P0000', 'AUTOCOMMIT cannot be changed inside a stored procedure; set it in the session before the CALL.', s.sql);
        implicitCommit(session, host, scope, s.sql);
        session.autocommit = autocommit[1] !== 'FALSE';
        return status('Statement executed successfully.', queryId, s.sql);
      }
      const abort = /^ALTER SESSION (?:SET TRANSACTION_ABORT_ON_ERROR ?= ?(TRUE|FALSE)|UNSET TRANSACTION_ABORT_ON_ERROR)$/.exec(s.upper);
      if (abort) {
        session.transactionAbortOnError = abort[1] === 'TRUE';
        return status('Statement executed successfully.', queryId, s.sql);
      }
      if (/^ALTER SESSION (UN)?SET (QUERY_TAG|STATEMENT_TIMEOUT_IN_SECONDS|LOCK_TIMEOUT)\b/.test(s.upper)) {
        return status('Statement executed successfully.', queryId, s.sql);
      }
      throw notImplemented(`ALTER SESSION parameter in "${s.text}"`, s.sql);
    };
  },
};
