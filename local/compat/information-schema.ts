/**
 * `INFORMATION_SCHEMA` views in Snowflake's shape (https://docs.snowflake.com/en/sql-reference/info-schema):
 * `TABLES`, `COLUMNS`, `SCHEMATA`, `VIEWS`, `HYBRID_TABLES` and `DATABASES`, of the current
 * database (`INFORMATION_SCHEMA.X`) or a named one (`D.INFORMATION_SCHEMA.X`). DuckDB's own
 * information_schema shows its catalog (`memory`, schema `main`, `INTEGER`), so name resolution
 * (compat/names.ts) turns each reference into a marker, and before the statement runs each marker
 * becomes a temporary table holding the view's rows, built from DuckDB's catalog and the types
 * the runtime recorded at CREATE TABLE (`sf_local.declared_columns`): catalog `LOCAL`, schema
 * `PUBLIC`, `DATA_TYPE` `NUMBER`/`TEXT`/`TIMESTAMP_NTZ`/…, precision, scale and length as declared.
 *
 * Left out: the views of INFORMATION_SCHEMA itself (Snowflake lists them in TABLES and COLUMNS),
 * `CREATED`/`LAST_ALTERED` (NULL: the engine does not keep them), ROW_COUNT is the engine's
 * estimate, COLUMN_DEFAULT is the engine's text of the default, and the other views.
 */
import { LocalSnowflakeError } from '../errors.js';
import type { WireResult } from '../engine.js';
import { quoteString } from '../sql-text.js';
import { synthetic, type StatementResult } from '../result.js';
import { canonicalType, duckTypeAsSnowflake } from './catalog.js';
import { DEFAULT_DATABASE, MAIN_SCHEMA, snowflakeSchemaOf, tableKey } from './names.js';
import { materialize } from './result-scan.js';
import { MARKER } from './information-schema-marker.js';

const OWNER = 'LOCAL_OWNER';
/** Temporary tables the runtime makes for a statement: never shown. */
const INTERNAL_TABLE = /^sf_(result_scan|information_schema)_\d+$/;

/** What the runtime needs to build the views. */
export interface CatalogReader {
  /** Runs catalog queries on the engine. */
  run(statements: Array<{ sql: string }>): WireResult[];
  readonly catalogName: string;
  readonly databases: ReadonlySet<string>;
}

/**
 * Each marker of the statement replaced by a temporary table holding the view's rows (named as
 * the view, unless the statement gave it an alias); the tables to drop afterwards.
 */
export function withInformationSchema(sql: string, reader: CatalogReader, original: string): { sql: string; tables: string[]; statements: ReturnType<typeof materialize> } | undefined {
  const found = [...sql.matchAll(MARKER)];
  if (found.length === 0) return undefined;
  const snapshot = readCatalog(reader);
  const tables: string[] = [];
  const statements: ReturnType<typeof materialize> = [];
  let out = '';
  let at = 0;
  for (const m of found) {
    const database = (m[1] as string).replace(/''/g, "'");
    const view = m[2] as string;
    if (database !== DEFAULT_DATABASE && !reader.databases.has(database)) {
      throw new LocalSnowflakeError(2003, '02000', `SQL compilation error:\nDatabase '${database}' does not exist or not authorized.`, original);
    }
    const table = `sf_information_schema_${tables.length + 1}`;
    tables.push(table);
    statements.push(...materialize(table, viewRows(view, database, snapshot)));
    const end = (m.index as number) + m[0].length;
    const next = /^\s*([A-Za-z_"][\w$]*)/.exec(sql.slice(end))?.[1]?.toUpperCase();
    const aliased = next !== undefined && !/^(WHERE|GROUP|ORDER|LIMIT|JOIN|INNER|LEFT|RIGHT|FULL|CROSS|NATURAL|ON|USING|UNION|INTERSECT|EXCEPT|MINUS|HAVING|QUALIFY|WINDOW|OFFSET|FETCH|SAMPLE|TABLESAMPLE)$/.test(next);
    out += sql.slice(at, m.index) + table + (aliased ? '' : ` AS "${view}"`);
    at = end;
  }
  return { sql: out + sql.slice(at), tables, statements };
}

interface Catalog {
  columns: WireResult;
  tables: WireResult;
  views: WireResult;
  schemas: WireResult;
  declared: Map<string, string>;
  hybrid: Set<string>;
  databases: string[];
}

function readCatalog(reader: CatalogReader): Catalog {
  const inCatalog = `database_name IN (${quoteString(reader.catalogName)}, 'temp') AND schema_name NOT IN ('sf_local', 'information_schema', 'pg_catalog')`;
  const [columns, tables, views, schemas, declared, hybrid] = reader.run([
    { sql: `SELECT database_name, schema_name, table_name, column_name, column_index, column_default, is_nullable, data_type, comment FROM duckdb_columns() WHERE ${inCatalog} AND NOT internal ORDER BY schema_name, table_name, column_index` },
    { sql: `SELECT database_name, schema_name, table_name, temporary, estimated_size, comment FROM duckdb_tables() WHERE ${inCatalog} AND NOT internal ORDER BY schema_name, table_name` },
    { sql: `SELECT database_name, schema_name, view_name, sql, comment FROM duckdb_views() WHERE ${inCatalog} AND NOT internal ORDER BY schema_name, view_name` },
    { sql: `SELECT schema_name, comment FROM duckdb_schemas() WHERE database_name = ${quoteString(reader.catalogName)} AND schema_name NOT IN ('sf_local', 'information_schema', 'pg_catalog') ORDER BY schema_name` },
    { sql: 'SELECT TABLE_NAME, COLUMN_NAME, DECLARED_TYPE FROM sf_local.declared_columns' },
    { sql: 'SELECT NAME FROM sf_local.hybrid_tables' },
  ]) as [WireResult, WireResult, WireResult, WireResult, WireResult, WireResult];
  return {
    columns,
    tables,
    views,
    schemas,
    declared: new Map(declared.rows.map((r) => [`${String(r[0])}\u0000${String(r[1])}`, String(r[2])])),
    hybrid: new Set(hybrid.rows.map((r) => String(r[0]))),
    databases: [DEFAULT_DATABASE, ...[...reader.databases].sort()],
  };
}

/** The Snowflake database and schema of a DuckDB schema (temporary tables live in LOCAL.PUBLIC). */
function place(duckDatabase: unknown, duckSchema: unknown): { database: string; schema: string; key: (name: string) => string } {
  const schema = duckDatabase === 'temp' ? MAIN_SCHEMA : String(duckSchema);
  const where = snowflakeSchemaOf(schema);
  return { ...where, key: (name) => tableKey(schema, name) };
}

/** A declared type's parts, as INFORMATION_SCHEMA.COLUMNS shows them. */
export function typeColumns(declared: string): { dataType: string; length: number | null; octets: number | null; precision: number | null; radix: number | null; scale: number | null; datetime: number | null } {
  const t = canonicalType(declared);
  const none = { length: null, octets: null, precision: null, radix: null, scale: null, datetime: null };
  const num = /^NUMBER\((\d+),(\d+)\)$/.exec(t);
  if (num) return { ...none, dataType: 'NUMBER', precision: Number(num[1]), radix: 10, scale: Number(num[2]) };
  const text = /^VARCHAR\((\d+)\)$/.exec(t);
  if (text) {
    const n = Number(text[1]);
    return { ...none, dataType: 'TEXT', length: n, octets: Math.min(n * 4, 16777216) };
  }
  const ts = /^(TIMESTAMP_(?:NTZ|LTZ|TZ)|TIME)\((\d)\)$/.exec(t);
  if (ts) return { ...none, dataType: ts[1] as string, datetime: Number(ts[2]) };
  const bin = /^(?:BINARY|VARBINARY)(?:\((\d+)\))?$/.exec(t);
  if (bin) {
    const n = Number(bin[1] ?? 8388608);
    return { ...none, dataType: 'BINARY', length: n, octets: n };
  }
  return { ...none, dataType: t };
}

const TEXT = 'TEXT';
const NUM = 'NUMBER';

function viewRows(view: string, database: string, c: Catalog): StatementResult {
  const cols = (names: Array<[string, string]>) => names.map(([name, type]) => ({ name, type }));
  switch (view) {
    case 'COLUMNS': {
      const rows = c.columns.rows.flatMap((r) => {
        const [db, schema, table, column, position, dflt, nullable, engineType, comment] = r;
        if (INTERNAL_TABLE.test(String(table))) return [];
        const p = place(db, schema);
        if (p.database !== database) return [];
        const declared = c.declared.get(`${p.key(String(table))}\u0000${String(column)}`) ?? duckTypeAsSnowflake(String(engineType));
        const t = typeColumns(declared);
        const identity = typeof dflt === 'string' && /^nextval\(/i.test(dflt);
        return [[p.database, p.schema, table, column, position, identity ? null : dflt, nullable ? 'YES' : 'NO', t.dataType, t.length, t.octets, t.precision, t.radix, t.scale, t.datetime, identity ? 'YES' : 'NO', comment ?? null]];
      });
      return synthetic(
        cols([
          ['TABLE_CATALOG', TEXT], ['TABLE_SCHEMA', TEXT], ['TABLE_NAME', TEXT], ['COLUMN_NAME', TEXT], ['ORDINAL_POSITION', NUM], ['COLUMN_DEFAULT', TEXT], ['IS_NULLABLE', TEXT], ['DATA_TYPE', TEXT],
          ['CHARACTER_MAXIMUM_LENGTH', NUM], ['CHARACTER_OCTET_LENGTH', NUM], ['NUMERIC_PRECISION', NUM], ['NUMERIC_PRECISION_RADIX', NUM], ['NUMERIC_SCALE', NUM], ['DATETIME_PRECISION', NUM], ['IS_IDENTITY', TEXT], ['COMMENT', TEXT],
        ]),
        rows as WireResult['rows'],
        '',
        '',
      );
    }
    case 'TABLES': {
      const tables = c.tables.rows.flatMap((r) => {
        const [db, schema, table, temporary, size, comment] = r;
        if (INTERNAL_TABLE.test(String(table))) return [];
        const p = place(db, schema);
        if (p.database !== database) return [];
        const hybrid = c.hybrid.has(p.key(String(table)));
        return [[p.database, p.schema, table, OWNER, temporary ? 'TEMPORARY TABLE' : 'BASE TABLE', 'NO', null, size, null, 1, null, null, comment ?? null, temporary ? 'YES' : 'NO', hybrid ? 'YES' : 'NO']];
      });
      const views = c.views.rows.flatMap((r) => {
        const [db, schema, name, , comment] = r;
        const p = place(db, schema);
        if (p.database !== database) return [];
        return [[p.database, p.schema, name, OWNER, 'VIEW', 'NO', null, null, null, null, null, null, comment ?? null, 'NO', 'NO']];
      });
      return synthetic(
        cols([
          ['TABLE_CATALOG', TEXT], ['TABLE_SCHEMA', TEXT], ['TABLE_NAME', TEXT], ['TABLE_OWNER', TEXT], ['TABLE_TYPE', TEXT], ['IS_TRANSIENT', TEXT], ['CLUSTERING_KEY', TEXT], ['ROW_COUNT', NUM], ['BYTES', NUM],
          ['RETENTION_TIME', NUM], ['CREATED', 'TIMESTAMP_LTZ'], ['LAST_ALTERED', 'TIMESTAMP_LTZ'], ['COMMENT', TEXT], ['IS_TEMPORARY', TEXT], ['IS_HYBRID', TEXT],
        ]),
        [...tables, ...views] as WireResult['rows'],
        '',
        '',
      );
    }
    case 'HYBRID_TABLES': {
      const rows = c.tables.rows.flatMap((r) => {
        const [db, schema, table, , size, comment] = r;
        const p = place(db, schema);
        if (p.database !== database || !c.hybrid.has(p.key(String(table)))) return [];
        return [[p.database, p.schema, table, OWNER, size, null, 1, null, null, comment ?? null]];
      });
      return synthetic(
        cols([['CATALOG', TEXT], ['SCHEMA', TEXT], ['NAME', TEXT], ['OWNER', TEXT], ['ROW_COUNT', NUM], ['BYTES', NUM], ['RETENTION_TIME', NUM], ['CREATED', 'TIMESTAMP_LTZ'], ['LAST_ALTERED', 'TIMESTAMP_LTZ'], ['COMMENT', TEXT]]),
        rows as WireResult['rows'],
        '',
        '',
      );
    }
    case 'VIEWS': {
      const rows = c.views.rows.flatMap((r) => {
        const [db, schema, name, text, comment] = r;
        const p = place(db, schema);
        if (p.database !== database) return [];
        return [[p.database, p.schema, name, OWNER, text, 'NONE', 'NO', 'NO', 'NO', null, null, comment ?? null]];
      });
      return synthetic(
        cols([
          ['TABLE_CATALOG', TEXT], ['TABLE_SCHEMA', TEXT], ['TABLE_NAME', TEXT], ['TABLE_OWNER', TEXT], ['VIEW_DEFINITION', TEXT], ['CHECK_OPTION', TEXT], ['IS_UPDATABLE', TEXT], ['INSERTABLE_INTO', TEXT],
          ['IS_SECURE', TEXT], ['CREATED', 'TIMESTAMP_LTZ'], ['LAST_ALTERED', 'TIMESTAMP_LTZ'], ['COMMENT', TEXT],
        ]),
        rows as WireResult['rows'],
        '',
        '',
      );
    }
    case 'SCHEMATA': {
      const rows = c.schemas.rows.flatMap((r) => {
        const p = place('', r[0]);
        return p.database === database ? [[p.database, p.schema, OWNER, 'NO', 'NO', 1, null, null, r[1] ?? null]] : [];
      });
      rows.push([database, 'INFORMATION_SCHEMA', null, 'NO', 'NO', 1, null, null, 'Views describing the contents of schemas in this database']);
      rows.sort((a, b) => String(a[1]).localeCompare(String(b[1])));
      return synthetic(
        cols([['CATALOG_NAME', TEXT], ['SCHEMA_NAME', TEXT], ['SCHEMA_OWNER', TEXT], ['IS_TRANSIENT', TEXT], ['IS_MANAGED_ACCESS', TEXT], ['RETENTION_TIME', NUM], ['CREATED', 'TIMESTAMP_LTZ'], ['LAST_ALTERED', 'TIMESTAMP_LTZ'], ['COMMENT', TEXT]]),
        rows as WireResult['rows'],
        '',
        '',
      );
    }
    default: {
      // DATABASES
      const rows = c.databases.map((d) => [d, OWNER, 'NO', null, null, null, 1, null]);
      return synthetic(
        cols([['DATABASE_NAME', TEXT], ['DATABASE_OWNER', TEXT], ['IS_TRANSIENT', TEXT], ['COMMENT', TEXT], ['CREATED', 'TIMESTAMP_LTZ'], ['LAST_ALTERED', 'TIMESTAMP_LTZ'], ['RETENTION_TIME', NUM], ['TYPE', TEXT]]),
        rows as WireResult['rows'],
        '',
        '',
      );
    }
  }
}
