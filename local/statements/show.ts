/**
 * `SHOW TABLES | HYBRID TABLES | VIEWS | SCHEMAS | DATABASES | COLUMNS [LIKE '…'] [IN …]`, answered
 * from the runtime's catalog (compat/information-schema.ts readCatalog) with the columns
 * Snowflake documents (https://docs.snowflake.com/en/sql-reference/sql/show-tables,
 * …/show-hybrid-tables, …/show-views, …/show-schemas, …/show-databases, …/show-columns). LIKE is
 * case-insensitive with `%` and `_`; the scope is `IN ACCOUNT`, `IN DATABASE [d]`,
 * `IN [SCHEMA] [[d.]s]` (and for COLUMNS `IN TABLE | VIEW t`), without `IN` the current database
 * (scheduled-objects.ts showPlaceScope). The result is the statement's result like any other, so
 * `RESULT_SCAN(LAST_QUERY_ID())` reads it. Not kept locally, so NULL or a constant: `created_on`,
 * `bytes`, `owner` (`LOCAL_OWNER`), `retention_time` (1). `TERSE`, `STARTS WITH`, `LIMIT` and
 * `HISTORY` fail as not implemented.
 */
import { LocalSnowflakeError, notImplemented } from '../errors.js';
import { OWNER, readCatalog, typeColumns, type Catalog, type CatalogColumn } from '../compat/information-schema.js';
import { indexColumnsOf } from '../compat/alter-table.js';
import { keyParts, nameParts, resolveName } from '../compat/names.js';
import { canonicalIdentifier, quoteString, unquoteString } from '../sql-text.js';
import type { WireResult } from '../engine.js';
import { synthetic, type StatementResult } from '../result.js';
import { showLikeMatcher, showPlaceScope, showScope } from '../scheduled-objects.js';
import type { StatementEnv, StatementKind } from './kind.js';

const SHOW = /^SHOW (TABLES|HYBRID TABLES|VIEWS|SCHEMAS|DATABASES|COLUMNS)(?: LIKE ('(?:[^']|'')*'))?(?: (IN .*))?$/i;

export const show: StatementKind = {
  name: 'SHOW TABLES | HYBRID TABLES | VIEWS | SCHEMAS | DATABASES | COLUMNS | PROCEDURES | INDEXES | NOTIFICATION INTEGRATIONS',
  match(s) {
    if (/^SHOW (USER )?PROCEDURES\b/.test(s.upper)) return (env) => showProcedures(s.text.replace(/\s+/g, ' '), env, s.sql);
    if (/^SHOW INDEXES\b/.test(s.upper)) return (env) => showIndexes(s.text.replace(/\s+/g, ' '), env, s.sql);
    if (/^SHOW NOTIFICATION INTEGRATIONS\b/.test(s.upper)) {
      // The local runtime has no integrations: none is visible, as to a role without USAGE on one.
      return (env) => synthetic(['name', 'type', 'category', 'enabled', 'comment', 'created_on'].map((name) => ({ name, type: 'TEXT' })), [], env.queryId, s.sql);
    }
    if (!/^SHOW (TERSE )?(TABLES|HYBRID TABLES|VIEWS|SCHEMAS|DATABASES|COLUMNS)\b/.test(s.upper)) return undefined;
    return (env) => {
      const text = s.text.replace(/\s+/g, ' ');
      const m = SHOW.exec(text);
      if (!m) throw notImplemented(`the SHOW clause in "${text}" (only LIKE and IN)`, s.sql);
      const what = (m[1] as string).toUpperCase();
      const like = m[2] === undefined ? () => true : showLikeMatcher(unquoteString(m[2]));
      const scopeText = `SHOW ${what}${m[3] ? ` ${m[3]}` : ''}`;
      const catalog = readCatalog({ run: (statements) => env.session.engineRun(statements, s.sql), catalogName: env.host.catalog.catalogName, databases: env.host.catalog.databases });
      if (m[3] && what !== 'SCHEMAS' && what !== 'DATABASES') checkNamedScope(m[3], env.session.names, catalog, s.sql);
      return answer(what, { like, scopeText, catalog, env, sql: s.sql, inClause: m[3] });
    };
  },
};

interface Request {
  like: (name: string) => boolean;
  scopeText: string;
  catalog: Catalog;
  env: StatementEnv;
  sql: string;
  inClause: string | undefined;
}

function answer(what: string, r: Request): StatementResult {
  const { env, sql, catalog } = r;
  const context = env.session.names;
  const result = (names: string[], rows: unknown[][], numbers: readonly string[] = []): StatementResult =>
    synthetic(
      names.map((name) => ({ name, type: name === 'created_on' ? 'TIMESTAMP_LTZ' : numbers.includes(name) ? 'NUMBER' : 'TEXT' })),
      rows as Parameters<typeof synthetic>[1],
      env.queryId,
      sql,
    );
  const byName = <T extends { database: string; schema?: string; name: string }>(list: T[]): T[] =>
    [...list].sort((a, b) => a.name.localeCompare(b.name) || a.database.localeCompare(b.database) || (a.schema ?? '').localeCompare(b.schema ?? ''));
  switch (what) {
    case 'DATABASES': {
      if (r.inClause) throw notImplemented(`SHOW DATABASES ${r.inClause}`, sql);
      const rows = [...catalog.databases].sort().filter(r.like).map((d) => [null, d, 'N', d === context.database ? 'Y' : 'N', '', OWNER, '', '', 1, 'STANDARD', 'ROLE']);
      return result(['created_on', 'name', 'is_default', 'is_current', 'origin', 'owner', 'comment', 'options', 'retention_time', 'kind', 'owner_role_type'], rows, ['retention_time']);
    }
    case 'SCHEMAS': {
      const inScope = schemaScope(r.inClause, context.database, sql);
      const schemas = [...catalog.schemas, ...catalog.databases.map((d) => ({ database: d, schema: 'INFORMATION_SCHEMA', comment: 'Views describing the contents of schemas in this database' }))]
        .filter((x) => inScope(x.database) && r.like(x.schema))
        .map((x) => ({ ...x, name: x.schema }));
      const rows = byName(schemas).map((x) => [null, x.name, 'N', x.database === context.database && x.name === context.schema ? 'Y' : 'N', x.database, OWNER, x.comment ?? '', '', 1, 'ROLE']);
      return result(['created_on', 'name', 'is_default', 'is_current', 'database_name', 'owner', 'comment', 'options', 'retention_time', 'owner_role_type'], rows, ['retention_time']);
    }
    case 'TABLES':
    case 'HYBRID TABLES': {
      const inScope = showPlaceScope(r.scopeText, context, sql, what);
      const tables = byName(catalog.tables.filter((t) => inScope(t.database, t.schema) && r.like(t.name) && (what === 'TABLES' || t.hybrid)));
      if (what === 'HYBRID TABLES') {
        const rows = tables.map((t) => [null, t.name, t.database, t.schema, OWNER, t.rows, null, t.comment ?? '', 'ROLE']);
        return result(['created_on', 'name', 'database_name', 'schema_name', 'owner', 'rows', 'bytes', 'comment', 'owner_role_type'], rows, ['rows', 'bytes']);
      }
      const rows = tables.map((t) => [
        null, t.name, t.database, t.schema, t.temporary ? 'TEMPORARY' : 'TABLE', t.comment ?? '', '', t.rows, null, OWNER, 1, 'OFF', 'OFF', 'N', 'ROLE', 'N', t.hybrid ? 'Y' : 'N', 'N', 'N',
      ]);
      return result(
        ['created_on', 'name', 'database_name', 'schema_name', 'kind', 'comment', 'cluster_by', 'rows', 'bytes', 'owner', 'retention_time', 'automatic_clustering', 'change_tracking', 'is_external', 'owner_role_type', 'is_event', 'is_hybrid', 'is_iceberg', 'is_dynamic'],
        rows,
        ['rows', 'bytes', 'retention_time'],
      );
    }
    case 'VIEWS': {
      const inScope = showPlaceScope(r.scopeText, context, sql, what);
      const rows = byName(catalog.views.filter((v) => inScope(v.database, v.schema) && r.like(v.name))).map((v) => [
        null, v.name, '', v.database, v.schema, OWNER, v.comment ?? '', v.text, 'false', 'false', 'ROLE', 'OFF',
      ]);
      return result(['created_on', 'name', 'reserved', 'database_name', 'schema_name', 'owner', 'comment', 'text', 'is_secure', 'is_materialized', 'owner_role_type', 'change_tracking'], rows);
    }
    default: {
      // COLUMNS
      const table = /^IN (?:TABLE|VIEW) (.+)$/i.exec(r.inClause ?? '');
      let inScope: (c: CatalogColumn) => boolean;
      if (table) {
        const parts = nameParts(table[1] as string);
        if (!parts) throw notImplemented(`the name ${table[1] as string}`, sql);
        const t = resolveName(parts, context, env.host.catalog, sql);
        inScope = (c) => c.database === t.database && c.schema === t.schema && c.table === t.name;
      } else {
        const place = showPlaceScope(r.scopeText, context, sql, what);
        inScope = (c) => place(c.database, c.schema);
      }
      const rows = catalog.columns
        .filter((c) => inScope(c) && r.like(c.name))
        .sort((a, b) => a.table.localeCompare(b.table) || a.schema.localeCompare(b.schema) || a.position - b.position)
        .map((c) => [c.table, c.schema, c.name, dataTypeJson(c), c.nullable ? 'true' : 'false', c.default ?? '', 'COLUMN', '', c.comment ?? '', c.database, '']);
      return result(['table_name', 'schema_name', 'column_name', 'data_type', 'null?', 'default', 'kind', 'expression', 'comment', 'database_name', 'autoincrement'], rows);
    }
  }
}

/** A database or schema named after IN must exist, as in Snowflake (2003). */
function checkNamedScope(clause: string, context: { database: string | null; schema: string | null }, catalog: Catalog, sql: string): void {
  const m = /^IN (ACCOUNT|DATABASE|SCHEMA)?(?: (\S+))?$/i.exec(clause);
  if (!m || m[2] === undefined) return;
  const named = m[2].split('.').map((p) => canonicalIdentifier(p));
  const missing = (what: string, name: string): LocalSnowflakeError =>
    new LocalSnowflakeError(2003, '02000', `SQL compilation error:\n${what} '${name}' does not exist or not authorized.`, sql);
  if ((m[1] ?? '').toUpperCase() === 'DATABASE') {
    if (!catalog.databases.includes(named[0] as string)) throw missing('Database', named[0] as string);
    return;
  }
  const [database, schema] = named.length === 1 ? [context.database, named[0]] : [named[0], named[1]];
  if (database === null || !catalog.databases.includes(database)) throw missing('Database', String(database));
  if (schema !== 'INFORMATION_SCHEMA' && !catalog.schemas.some((x) => x.database === database && x.schema === schema)) throw missing('Schema', `${database}.${String(schema)}`);
}

/** SHOW SCHEMAS' scope: `IN ACCOUNT`, `IN DATABASE [d]` / `IN d`; without it the current database. */
function schemaScope(clause: string | undefined, current: string | null, sql: string): (database: string) => boolean {
  if (!clause) return current === null ? () => true : (d) => d === current;
  const m = /^IN (?:(ACCOUNT)|(?:DATABASE)?(?: (\S+))?)$/i.exec(clause);
  if (!m) throw notImplemented(`SHOW SCHEMAS ${clause}`, sql);
  if (m[1]) return () => true;
  const named = m[2] === undefined ? current : canonicalIdentifier(m[2]);
  return (d) => d === named;
}

/** SHOW COLUMNS' `data_type`: the type as JSON, as Snowflake prints it. */
function dataTypeJson(c: CatalogColumn): string {
  const t = typeColumns(c.type);
  const nullable = c.nullable;
  switch (t.dataType) {
    case 'NUMBER':
      return JSON.stringify({ type: 'FIXED', precision: t.precision, scale: t.scale, nullable });
    case 'TEXT':
      return JSON.stringify({ type: 'TEXT', length: t.length, byteLength: t.octets, nullable, fixed: false });
    case 'FLOAT':
      return JSON.stringify({ type: 'REAL', nullable });
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
    case 'TIME':
      return JSON.stringify({ type: t.dataType, precision: 0, scale: t.datetime, nullable });
    case 'BINARY':
      return JSON.stringify({ type: 'BINARY', length: t.length, byteLength: t.octets, nullable, fixed: false });
    default:
      return JSON.stringify({ type: t.dataType, nullable });
  }
}


/**
 * `SHOW [USER] PROCEDURES [LIKE '…'] [IN …]` (https://docs.snowflake.com/en/sql-reference/sql/show-procedures):
 * the user procedures in scope (the runtime has no built-in ones), with `arguments` as
 * `NAME(TYPE, TYPE DEFAULT) RETURN TYPE`.
 */
function showProcedures(text: string, env: StatementEnv, sql: string): StatementResult {
  const m = /^SHOW (?:USER )?PROCEDURES(?: LIKE ('(?:[^']|'')*'))?( IN .*)?$/i.exec(text);
  if (!m) throw notImplemented(`the SHOW clause in "${text}" (only LIKE and IN)`, sql);
  const like = m[1] === undefined ? () => true : showLikeMatcher(unquoteString(m[1]));
  const scope = showScope(`SHOW PROCEDURES${m[2] ?? ''}`, env.session.names, sql, 'PROCEDURES');
  const [wire] = env.session.engineRun([{ sql: 'SELECT DEF FROM sf_local.procedures ORDER BY NAME, ARITY' }], sql) as [WireResult];
  const baseType = (t: string): string => t.replace(/\(.*$/, '').trim().toUpperCase();
  const rows = wire.rows
    .map((r) => JSON.parse(String(r[0])) as { name: string; args: Array<{ type: string; defaultSql?: string }>; returns: string; comment?: string })
    .filter((d) => scope(d.name))
    .map((d) => ({ ...d, key: keyParts(d.name) }))
    .filter((d) => like(d.key.name))
    .map((d) => {
      const args = d.args.map((a) => baseType(a.type) + (a.defaultSql !== undefined ? ' DEFAULT' : '')).join(', ');
      const required = d.args.filter((a) => a.defaultSql === undefined).length;
      return [null, d.key.name, d.key.schema, 'N', 'N', 'N', required, d.args.length, `${d.key.name}(${args}) RETURN ${baseType(d.returns)}`, d.comment ?? 'user-defined procedure', d.key.database, 'N', 'N', 'N'];
    });
  const numbers = ['min_num_arguments', 'max_num_arguments'];
  const names = ['created_on', 'name', 'schema_name', 'is_builtin', 'is_aggregate', 'is_ansi', 'min_num_arguments', 'max_num_arguments', 'arguments', 'description', 'catalog_name', 'is_table_function', 'valid_for_clustering', 'is_secure'];
  return synthetic(names.map((name) => ({ name, type: name === 'created_on' ? 'TIMESTAMP_LTZ' : numbers.includes(name) ? 'NUMBER' : 'TEXT' })), rows as Parameters<typeof synthetic>[1], env.queryId, sql);
}

/**
 * `SHOW INDEXES IN TABLE [d.][s.]t` (https://docs.snowflake.com/en/sql-reference/sql/show-indexes):
 * the table's secondary indexes (`INDEX name (cols)` or `CREATE INDEX`), with `columns` as `[A, B]`.
 * The primary key's own index is not listed.
 */
function showIndexes(text: string, env: StatementEnv, sql: string): StatementResult {
  const m = /^SHOW INDEXES IN TABLE (.+)$/i.exec(text);
  const parts = m ? nameParts(m[1] as string) : undefined;
  if (!parts) throw notImplemented(`"${text}" (only SHOW INDEXES IN TABLE name)`, sql);
  const t = resolveName(parts, env.session.names, env.host.catalog, sql);
  const [wire] = env.session.engineRun(
    [{ sql: `SELECT index_name, sql FROM duckdb_indexes() WHERE database_name = ${quoteString(env.host.catalog.catalogName)} AND schema_name = ${quoteString(t.duckSchema)} AND table_name = ${quoteString(t.name)} ORDER BY index_name` }],
    sql,
  ) as [WireResult];
  const prefix = `${t.name}__`;
  const rows = wire.rows.map((r) => {
    const name = String(r[0]);
    return [null, name.startsWith(prefix) ? name.slice(prefix.length) : name, 'N', `[${indexColumnsOf(String(r[1])).join(', ')}]`, '', t.name, t.database, t.schema, OWNER, 'ROLE'];
  });
  const names = ['created_on', 'name', 'is_unique', 'columns', 'included_columns', 'table', 'database_name', 'schema_name', 'owner', 'owner_role_type'];
  return synthetic(names.map((name) => ({ name, type: name === 'created_on' ? 'TIMESTAMP_LTZ' : 'TEXT' })), rows as Parameters<typeof synthetic>[1], env.queryId, sql);
}
