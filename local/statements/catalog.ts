/**
 * Sequences, `ALTER TABLE … ADD COLUMN`, `CREATE INDEX` and `DESCRIBE TABLE` (parsed in
 * compat/catalog.ts), their names resolved in the session's database and schema
 * (compat/names.ts). https://docs.snowflake.com/en/sql-reference/sql/create-sequence,
 * https://docs.snowflake.com/en/sql-reference/sql/create-index, https://docs.snowflake.com/en/sql-reference/sql/desc-table
 */
import type { WireResult } from '../engine.js';
import { LocalSnowflakeError, notImplemented } from '../errors.js';
import { catalogStatement, describeSql, duckTypeAsSnowflake, type ResolvedObject } from '../compat/catalog.js';
import { duckName, isDefaultContext, MAIN_SCHEMA, nameParts, quoteIdent, resolveName, tableKey } from '../compat/names.js';
import { transformDdl } from '../compat/transform.js';
import { ddlStatus, ddlTarget } from '../compat/ddl-status.js';
import { rebuild, retypeColumn, withoutIndexes } from '../compat/alter-table.js';
import { status, synthetic } from '../result.js';
import type { StatementEnv, StatementKind } from './kind.js';
import { implicitCommit } from './transactions.js';

const DESCRIBE_COLUMNS = ['name', 'type', 'kind', 'null?', 'default', 'primary key', 'unique key', 'check', 'expression', 'comment', 'policy name', 'privacy domain'];

export const catalog: StatementKind = {
  name: 'sequences, ADD COLUMN, CREATE INDEX, DESCRIBE TABLE',
  match(s) {
    const planOf = catalogStatement(s.sql);
    if (!planOf) return undefined;
    return (env) => {
      const { session, host, scope, queryId } = env;
      const plan = planOf(resolver(s.sql, env));
      if (plan.describe !== undefined) {
        const [wire] = session.engineRun([{ sql: describeSql(plan.describe) }], s.sql) as [WireResult];
        if (wire.rows.length === 0) {
          const kind = /^DESC(RIBE)? VIEW /.test(s.upper) ? 'View' : 'Table';
          throw new LocalSnowflakeError(2003, '42S02', `SQL compilation error:\n${kind} '${plan.describe.name}' does not exist or not authorized.`, s.sql);
        }
        const rows = wire.rows.map((r) => [r[0], r[1] ?? duckTypeAsSnowflake(String(r[2])), ...r.slice(3)]);
        return synthetic(DESCRIBE_COLUMNS.map((name) => ({ name, type: 'TEXT' })), rows as WireResult['rows'], queryId, s.sql);
      }
      implicitCommit(session, host, scope, s.sql);
      if (plan.retype || plan.rebuild || plan.reindex) {
        // A rebuild is several statements: one transaction, so a failure leaves the table as it was.
        const run = (statements: Array<{ sql: string; params?: string[] }>) => session.engineRun(statements, s.sql);
        const { retype } = plan;
        const table = retype?.table ?? plan.rebuild ?? (plan.reindex?.table as ResolvedObject);
        const exists = host.catalog.tablesBySchema.get(table.duckSchema)?.has(table.name) === true;
        if (!exists && (retype?.ifExists || /^ALTER\s+TABLE\s+IF\s+EXISTS\b/i.test(s.text))) return status('Statement executed successfully.', queryId, s.sql);
        if (!exists) throw new LocalSnowflakeError(2003, '42S02', `SQL compilation error:\nTable '${table.name}' does not exist or not authorized.`, s.sql);
        run([{ sql: 'BEGIN TRANSACTION' }]);
        try {
          const statements = [...plan.duck.map((d) => ({ sql: transformDdl(d) })), ...(plan.record ?? [])];
          if (plan.reindex) withoutIndexes(run, table, statements, plan.reindex.follow, s.sql);
          else run(statements);
          if (retype) retypeColumn(run, table, retype.column, retype.type, s.sql);
          else if (plan.rebuild) rebuild(run, table);
          run([{ sql: 'COMMIT' }]);
        } catch (e) {
          run([{ sql: 'ROLLBACK' }]);
          // https://docs.snowflake.com/en/sql-reference/sql/alter-table: a NOT NULL column needs a default on a table with rows.
          if (e instanceof Error && /NULL result in a non-nullable column/.test(e.message)) {
            if (/\sADD\s/i.test(s.text)) {
              throw new LocalSnowflakeError(2000, '42000', `SQL compilation error: Non-nullable column cannot be added to non-empty table '${table.name}' unless it has a non-null default value.`, s.sql);
            }
            throw new LocalSnowflakeError(100072, '22000', 'NULL result in a non-nullable column', s.sql);
          }
          throw e;
        } finally {
          host.catalogChanged();
        }
        return status('Statement executed successfully.', queryId, s.sql);
      }
      session.engineRun([...plan.duck.map((d) => ({ sql: transformDdl(d) })), ...(plan.record ?? [])], s.sql);
      host.catalogChanged();
      // Sequences answer `Sequence S successfully created.` / `S successfully dropped.`
      // (whether an IF [NOT] EXISTS found one is not tracked); ADD COLUMN and CREATE INDEX the generic line.
      const target = ddlTarget(s.text);
      return status(target ? ddlStatus(target, target.verb === 'DROP') : 'Statement executed successfully.', queryId, s.sql);
    };
  },
};

/** Resolves a name of the statement: as it always was in LOCAL.PUBLIC, fully qualified elsewhere. */
function resolver(sql: string, { session, host }: StatementEnv): (name: string) => ResolvedObject {
  return (text) => {
    const parts = nameParts(text);
    if (!parts) throw notImplemented(`the name ${text}`, sql);
    if (parts.length === 1 && isDefaultContext(session.names)) {
      const name = parts[0] as string;
      return { text: quoteIdent(name), key: name, duckSchema: MAIN_SCHEMA, name };
    }
    const r = resolveName(parts, session.names, host.catalog, sql);
    return { text: duckName(host.catalog, r), key: tableKey(r.duckSchema, r.name), duckSchema: r.duckSchema, name: r.name };
  };
}
