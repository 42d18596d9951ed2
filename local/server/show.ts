/**
 * SHOW statements the local runtime does not answer itself but clients (deploy's pre-flight,
 * status) send: `SHOW [USER] PROCEDURES [LIKE …]`,
 * `SHOW INDEXES IN TABLE [db.][schema.]t`,
 * `SHOW NOTIFICATION INTEGRATIONS`. Answered from the runtime's own catalog through the session's
 * public API, with the columns Snowflake documents that those clients read
 * (https://docs.snowflake.com/en/sql-reference/sql/show-procedures, …/show-tables, …/show-indexes).
 */
import type { ColumnInfo, LocalSession, StatementResult } from '../index.js';
import { keyParts } from '../compat/names.js';
import { showScope } from '../scheduled-objects.js';

type Cell = string | number | null;

/** A result made here, in the shape `LocalSession.execute` returns. */
export function staticResult(names: string[], rows: Cell[][], queryId: string, sqlText: string): StatementResult {
  const columns: ColumnInfo[] = names.map((name, i) => ({ name, type: rows.some((r) => typeof r[i] === 'number') ? 'NUMBER' : 'TEXT', scale: 0, nullable: true }));
  return {
    columns,
    rows,
    raw: rows,
    rowsAffected: 0,
    rowsInserted: 0,
    rowsUpdated: 0,
    rowsDeleted: 0,
    queryId,
    sqlText,
    text: (r, c) => {
      const v = rows[r]?.[c];
      return v === null || v === undefined ? null : String(v);
    },
    objects: () => rows.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i] ?? null]))),
  };
}

const esc = (v: string): string => v.replace(/'/g, "''");
const likePattern = (like: string): RegExp =>
  new RegExp('^' + like.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.') + '$', 'i');

/** The answer to one of the SHOW statements above, or null for any other statement. */
export function answerShow(session: LocalSession, sql: string, queryId: string): StatementResult | null {
  const text = sql.replace(/^(?:\s*--[^\n]*\n)*/, '').trim().replace(/;$/, '').trim();
  if (!/^SHOW\s/i.test(text)) return null;

  const procedures = /^SHOW\s+(?:USER\s+)?PROCEDURES(?:\s+LIKE\s+'((?:[^']|'')*)')?(\s+IN\b[\s\S]*)?$/i.exec(text);
  if (procedures) {
    const pattern = procedures[1] === undefined ? null : likePattern(procedures[1].replace(/''/g, "'"));
    const defs = session
      .execute('SELECT DEF FROM sf_local.procedures ORDER BY NAME, ARITY')
      .rows.map((r) => JSON.parse(String(r[0])) as { name: string; args: Array<{ type: string; defaultSql?: string }>; returns: string; comment?: string });
    const baseType = (t: string): string => t.replace(/\(.*$/, '').trim().toUpperCase();
    // The procedures in SHOW's scope (without IN: the current database's, every schema). The
    // runtime keys LOCAL.PUBLIC's by bare name, another schema's as "SCHEMA.NAME" and another
    // database's as "DATABASE.SCHEMA.NAME" (statements/kind.ts procedureKeyed).
    const current = session.execute('SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()').rows[0] ?? [];
    const context = { database: (current[0] as string | null) ?? null, schema: (current[1] as string | null) ?? null };
    const scope = showScope(`SHOW PROCEDURES${(procedures[2] ?? '').replace(/\s+/g, ' ')}`, context, sql, 'PROCEDURES');
    const rows = defs
      .filter((d) => scope(d.name))
      .map((d) => ({ ...d, key: keyParts(d.name), name: keyParts(d.name).name }))
      .filter((d) => pattern === null || pattern.test(d.name))
      .map((d): Cell[] => {
        const args = d.args.map((a) => baseType(a.type) + (a.defaultSql !== undefined ? ' DEFAULT' : '')).join(', ');
        return [
          null,
          d.name,
          d.key.schema,
          'N',
          d.args.filter((a) => a.defaultSql === undefined).length,
          d.args.length,
          `${d.name}(${args}) RETURN ${baseType(d.returns)}`,
          d.comment ?? 'user-defined procedure',
          d.key.database,
        ];
      });
    return staticResult(['created_on', 'name', 'schema_name', 'is_builtin', 'min_num_arguments', 'max_num_arguments', 'arguments', 'description', 'catalog_name'], rows, queryId, sql);
  }

  // The local runtime has no integrations: none is visible, as to a role without USAGE on one.
  if (/^SHOW\s+NOTIFICATION\s+INTEGRATIONS(?:\s+LIKE\s+'(?:[^']|'')*')?$/i.test(text)) {
    return staticResult(['name', 'type', 'category', 'enabled', 'comment', 'created_on'], [], queryId, sql);
  }

  const indexes = /^SHOW\s+INDEXES\s+IN\s+TABLE\s+((?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)(?:\.(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)){0,2})$/i.exec(text);
  if (indexes) {
    const table = session.resolveTableName(indexes[1] as string);
    const t = table.name;
    const rows = session
      .execute(
        `SELECT index_name, sql FROM duckdb_indexes() WHERE database_name = '${esc(table.catalogName)}' AND schema_name = '${esc(table.duckSchema)}' AND table_name = '${esc(t)}' ORDER BY index_name`,
      )
      .rows.map((r): Cell[] => {
        const cols = /\(([^)]*)\)\s*;?\s*$/.exec(String(r[1]))?.[1] ?? '';
        return [
          String(r[0]).replace(new RegExp(`^${t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}__`), ''),
          'N',
          `[${cols.split(',').map((c) => c.trim().replace(/^"|"$/g, '')).join(', ')}]`,
          t,
        ];
      });
    return staticResult(['name', 'is_unique', 'columns', 'table'], rows, queryId, sql);
  }
  return null;
}
