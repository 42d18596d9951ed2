/**
 * `USE ROLE | WAREHOUSE | SECONDARY ROLES …` (accepted, no effect; USE of a database or schema is
 * statements/databases.ts) and `ALTER SESSION SET TIMEZONE = '…'`
 * (QUERY_TAG, STATEMENT_TIMEOUT_IN_SECONDS, LOCK_TIMEOUT, AUTOCOMMIT = TRUE accepted, no
 * effect). An owner's-rights procedure cannot ALTER SESSION.
 * https://docs.snowflake.com/en/sql-reference/sql/alter-session,
 * https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-rights
 */
import { LocalSnowflakeError, notImplemented } from '../errors.js';
import { status } from '../result.js';
import type { StatementKind } from './kind.js';

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
    return ({ session, ctx, queryId }) => {
      if (ctx.procedure && ctx.procedure.executeAs === 'OWNER') {
        throw new LocalSnowflakeError(3001, '42501', "Stored procedure execution error: Unsupported statement type 'ALTER_SESSION'.", s.sql);
      }
      const tz = /^ALTER SESSION SET TIMEZONE\s*=\s*'([^']+)'$/i.exec(s.text);
      if (tz) {
        session.setTimezone(tz[1] as string);
        return status('Statement executed successfully.', queryId, s.sql);
      }
      if (/^ALTER SESSION (UN)?SET (QUERY_TAG|AUTOCOMMIT = TRUE|STATEMENT_TIMEOUT_IN_SECONDS|LOCK_TIMEOUT)\b/.test(s.upper)) {
        return status('Statement executed successfully.', queryId, s.sql);
      }
      throw notImplemented(`ALTER SESSION parameter in "${s.text}"`, s.sql);
    };
  },
};
