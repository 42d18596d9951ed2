/**
 * `CREATE [OR REPLACE] [SECURE] [TEMP[ORARY]] PROCEDURE …` and `DROP PROCEDURE name(types)`; the
 * procedures themselves are kept by the runtime (`host.procedures`).
 * https://docs.snowflake.com/en/sql-reference/sql/create-procedure,
 * https://docs.snowflake.com/en/sql-reference/sql/drop-procedure
 */
import { inLocalPublic, type StatementKind } from './kind.js';
import { implicitCommit } from './transactions.js';

export const procedures: StatementKind = {
  name: 'CREATE / DROP PROCEDURE',
  match(s) {
    if (/^CREATE (OR REPLACE )?(SECURE )?(TEMP(ORARY)? )?PROCEDURE /.test(s.upper)) {
      return (env) => {
        const { session, host, scope, queryId } = env;
        inLocalPublic(s, ['PROCEDURE'], env, 'a procedure');
        implicitCommit(session, host, scope, s.sql);
        return host.procedures.create(s.sql, queryId);
      };
    }
    if (/^DROP PROCEDURE /.test(s.upper)) {
      return (env) => {
        const { session, host, scope, queryId } = env;
        inLocalPublic(s, ['PROCEDURE'], env, 'a procedure');
        implicitCommit(session, host, scope, s.sql);
        return host.procedures.drop(s.sql, queryId);
      };
    }
    return undefined;
  },
};
