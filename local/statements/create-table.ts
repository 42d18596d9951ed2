/**
 * `CREATE [OR REPLACE] [HYBRID | TRANSIENT | TEMPORARY] TABLE [IF NOT EXISTS] …` (translated in
 * compat/ddl.ts); the declared column types are recorded for DESCRIBE TABLE, and a hybrid
 * table's indexes for the index-eligibility audit.
 * https://docs.snowflake.com/en/sql-reference/sql/create-table,
 * https://docs.snowflake.com/en/sql-reference/sql/create-hybrid-table
 */
import { createTable, isCreateTable, isHybridTable, tableDefinition } from '../compat/ddl.js';
import { declaredColumns, recordColumns } from '../compat/catalog.js';
import { rejectCaseFoldedCreate } from '../compat/identifiers.js';
import { transformDdl } from '../compat/transform.js';
import { status } from '../result.js';
import type { StatementKind } from './kind.js';
import { implicitCommit } from './transactions.js';

export const createTableKind: StatementKind = {
  name: 'CREATE TABLE',
  match(s) {
    if (!/^CREATE /.test(s.upper) || !isCreateTable(s.sql)) return undefined;
    return ({ session, host, scope, queryId }) => {
      implicitCommit(session, host, scope, s.sql);
      const def = tableDefinition(s.sql);
      rejectCaseFoldedCreate(s.sql, def, host.tableNames);
      const statements = createTable(s.sql).map((sql) => ({ sql: transformDdl(sql) }));
      session.engineRun(statements, s.sql);
      if (def) {
        // Keeps the declared types of a new table's columns, for DESCRIBE TABLE.
        const columns = declaredColumns(def.columnList);
        const record = def.ifNotExists
          ? columns.map((c) => ({ sql: 'INSERT OR IGNORE INTO sf_local.declared_columns VALUES (?, ?, ?)', params: [def.table, c.name, c.type] }))
          : recordColumns(def.table, columns, true);
        session.engineRun(record, s.sql);
      }
      const table = def?.table ?? tableDefinition(s.sql)?.table;
      if (table !== undefined && !(def?.ifNotExists && host.tableNames.has(table))) host.setHybrid(table, isHybridTable(s.sql));
      host.catalogChanged();
      return status('Statement executed successfully.', queryId, s.sql);
    };
  },
};
