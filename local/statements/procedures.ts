/**
 * `CREATE [OR REPLACE] [SECURE] [TEMP[ORARY]] PROCEDURE …` and `DROP PROCEDURE name(types)`; the
 * procedures themselves are kept by the runtime (`host.procedures`).
 * https://docs.snowflake.com/en/sql-reference/sql/create-procedure,
 * https://docs.snowflake.com/en/sql-reference/sql/drop-procedure
 */
import { procedureKeyed, type StatementKind } from './kind.js';
import { implicitCommit } from './transactions.js';

export const procedures: StatementKind = {
  name: 'CREATE / DROP PROCEDURE',
  match(s) {
    if (/^CREATE (OR REPLACE )?(SECURE )?(TEMP(ORARY)? )?PROCEDURE /.test(s.upper)) {
      return (env) => {
        const { session, host, scope, queryId } = env;
        const keyed = procedureKeyed(s, 'PROCEDURE', env);
        implicitCommit(session, host, scope, s.sql);
        return host.procedures.create(keyed, queryId);
      };
    }
    if (/^DROP PROCEDURE /.test(s.upper)) {
      return (env) => {
        const { session, host, scope, queryId } = env;
        const keyed = procedureKeyed(s, 'PROCEDURE', env);
        implicitCommit(session, host, scope, s.sql);
        return host.procedures.drop(keyed, queryId);
      };
    }
    return undefined;
  },
};
