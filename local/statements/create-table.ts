/**
 * `CREATE [OR REPLACE] [HYBRID | TRANSIENT | TEMPORARY] TABLE [IF NOT EXISTS] …` (translated in
 * compat/ddl.ts), in the schema its name resolves to (compat/names.ts); the declared column types
 * are recorded for DESCRIBE TABLE, and a hybrid table's indexes for the index-eligibility audit.
 * https://docs.snowflake.com/en/sql-reference/sql/create-table,
 * https://docs.snowflake.com/en/sql-reference/sql/create-hybrid-table
 */
import { notImplemented } from '../errors.js';
import { createTable, isCreateTable, isHybridTable, tableDefinition } from '../compat/ddl.js';
import { declaredColumns, recordColumns } from '../compat/catalog.js';
import { rejectCaseFoldedCreate } from '../compat/identifiers.js';
import { MAIN_SCHEMA, tableKey } from '../compat/names.js';
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
      const qualified = session.qualify(s.sql);
      const schema = qualified.tables[0]?.duckSchema ?? MAIN_SCHEMA;
      if (schema !== MAIN_SCHEMA && /^CREATE (OR REPLACE )?((LOCAL|GLOBAL) )?(TEMP|TEMPORARY|VOLATILE) /.test(s.upper)) {
        throw notImplemented('a temporary table outside LOCAL.PUBLIC', s.sql);
      }
      const existing = host.catalog.tablesBySchema.get(schema) ?? new Set<string>();
      const def = tableDefinition(qualified.sql);
      rejectCaseFoldedCreate(s.sql, def, existing);
      const statements = createTable(qualified.sql).map((sql) => ({ sql: transformDdl(sql) }));
      session.engineRun(statements, s.sql);
      if (def) {
        // Keeps the declared types of a new table's columns, for DESCRIBE TABLE.
        const key = tableKey(schema, def.table);
        const columns = declaredColumns(def.columnList);
        const record = def.ifNotExists
          ? columns.map((c) => ({ sql: 'INSERT OR IGNORE INTO sf_local.declared_columns VALUES (?, ?, ?)', params: [key, c.name, c.type] }))
          : recordColumns(key, columns, true);
        session.engineRun(record, s.sql);
      }
      const table = def?.table;
      if (table !== undefined && !(def?.ifNotExists && existing.has(table))) host.setHybrid(tableKey(schema, table), isHybridTable(s.sql));
      host.catalogChanged();
      return status('Statement executed successfully.', queryId, s.sql);
    };
  },
};
