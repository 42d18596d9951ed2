/**
 * CREATE [OR REPLACE] ALERT, ALTER ALERT, DROP ALERT, EXECUTE ALERT, SHOW ALERTS, DESCRIBE ALERT:
 * run by the alert scheduler (`alerts.ts`). CREATE, ALTER and DROP commit an open transaction first.
 * https://docs.snowflake.com/en/sql-reference/sql/create-alert
 */
import { procedureKeyed, type StatementKind } from './kind.js';
import { implicitCommit } from './transactions.js';

export const alerts: StatementKind = {
  name: 'alerts',
  match(s) {
    if (!/^(CREATE (OR REPLACE )?ALERT|ALTER ALERT|DROP ALERT|EXECUTE ALERT|SHOW ALERTS|DESC(RIBE)? ALERT)\b/.test(s.upper)) return undefined;
    return (env) => {
      const { session, host, scope, queryId } = env;
      if (/^(CREATE|ALTER|DROP) /.test(s.upper)) implicitCommit(session, host, scope, s.sql);
      return host.alerts.statement(procedureKeyed(s, 'ALERT', env), queryId, session.names);
    };
  },
};
