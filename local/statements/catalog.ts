/**
 * Sequences, `ALTER TABLE … ADD COLUMN`, `CREATE INDEX` and `DESCRIBE TABLE` (parsed in
 * compat/catalog.ts). https://docs.snowflake.com/en/sql-reference/sql/create-sequence,
 * https://docs.snowflake.com/en/sql-reference/sql/create-index, https://docs.snowflake.com/en/sql-reference/sql/desc-table
 */
import type { WireResult } from '../engine.js';
import { LocalSnowflakeError } from '../errors.js';
import { catalogStatement, describeSql, duckTypeAsSnowflake } from '../compat/catalog.js';
import { transformDdl } from '../compat/transform.js';
import { status, synthetic } from '../result.js';
import type { StatementKind } from './kind.js';
import { implicitCommit } from './transactions.js';

const DESCRIBE_COLUMNS = ['name', 'type', 'kind', 'null?', 'default', 'primary key', 'unique key', 'check', 'expression', 'comment', 'policy name', 'privacy domain'];

export const catalog: StatementKind = {
  name: 'sequences, ADD COLUMN, CREATE INDEX, DESCRIBE TABLE',
  match(s) {
    const plan = catalogStatement(s.sql);
    if (!plan) return undefined;
    return ({ session, host, scope, queryId }) => {
      if (plan.describe !== undefined) {
        const [wire] = session.engineRun([{ sql: describeSql(plan.describe) }], s.sql) as [WireResult];
        if (wire.rows.length === 0) {
          throw new LocalSnowflakeError(2003, '42S02', `SQL compilation error:\nTable '${plan.describe}' does not exist or not authorized.`, s.sql);
        }
        const rows = wire.rows.map((r) => [r[0], r[1] ?? duckTypeAsSnowflake(String(r[2])), ...r.slice(3)]);
        return synthetic(DESCRIBE_COLUMNS.map((name) => ({ name, type: 'TEXT' })), rows as WireResult['rows'], queryId, s.sql);
      }
      implicitCommit(session, host, scope, s.sql);
      session.engineRun([...plan.duck.map((d) => ({ sql: transformDdl(d) })), ...(plan.record ?? [])], s.sql);
      host.catalogChanged();
      return status('Statement executed successfully.', queryId, s.sql);
    };
  },
};
