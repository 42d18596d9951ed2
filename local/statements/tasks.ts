/**
 * CREATE [OR REPLACE | OR ALTER] TASK, ALTER TASK, DROP TASK, EXECUTE TASK, SHOW TASKS, DESCRIBE
 * TASK: run by the task scheduler (`scheduler.ts`). DDL among them commits an open transaction first.
 * https://docs.snowflake.com/en/sql-reference/sql/create-task
 */
import { procedureKeyed, type StatementKind } from './kind.js';
import { implicitCommit } from './transactions.js';

export const tasks: StatementKind = {
  name: 'tasks',
  match(s) {
    if (!/^(CREATE (OR (REPLACE|ALTER) )?TASK|ALTER TASK|DROP TASK|EXECUTE TASK|SHOW TASKS|DESC(RIBE)? TASK)\b/.test(s.upper)) return undefined;
    return (env) => {
      const { session, host, scope, queryId } = env;
      if (!s.upper.startsWith('SHOW') && !s.upper.startsWith('DESC') && !s.upper.startsWith('EXECUTE')) implicitCommit(session, host, scope, s.sql);
      return host.tasks.statement(procedureKeyed(s, 'TASK', env), queryId, session.names);
    };
  },
};
