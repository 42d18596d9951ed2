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

/** The owner the local catalog shows for every object. */
export const OWNER = 'LOCAL_OWNER';
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

/** A table of the catalog, placed in its Snowflake database and schema. */
export interface CatalogTable {
  database: string;
  schema: string;
  name: string;
  temporary: boolean;
  hybrid: boolean;
  rows: number;
  comment: string | null;
}
export interface CatalogView {
  database: string;
  schema: string;
  name: string;
  text: string;
  comment: string | null;
}
export interface CatalogColumn {
  database: string;
  schema: string;
  table: string;
  name: string;
  position: number;
  default: string | null;
  nullable: boolean;
  /** The declared type, as DESCRIBE TABLE shows it (`NUMBER(38,0)`, `VARCHAR(10)`, …). */
  type: string;
  comment: string | null;
}
/** The runtime's catalog in Snowflake's terms: what INFORMATION_SCHEMA and SHOW read. */
export interface Catalog {
  tables: CatalogTable[];
  views: CatalogView[];
  columns: CatalogColumn[];
  schemas: Array<{ database: string; schema: string; comment: string | null }>;
  databases: string[];
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Reads the catalog (tables, views, columns with their declared types, schemas, databases). */
export function readCatalog(reader: CatalogReader): Catalog {
  const inCatalog = `database_name IN (${quoteString(reader.catalogName)}, 'temp') AND schema_name NOT IN ('sf_local', 'information_schema', 'pg_catalog')`;
  const [columns, tables, views, schemas, declaredRows, hybridRows] = reader.run([
    { sql: `SELECT database_name, schema_name, table_name, column_name, column_index, column_default, is_nullable, data_type, comment FROM duckdb_columns() WHERE ${inCatalog} AND NOT internal ORDER BY schema_name, table_name, column_index` },
    { sql: `SELECT database_name, schema_name, table_name, temporary, estimated_size, comment FROM duckdb_tables() WHERE ${inCatalog} AND NOT internal ORDER BY schema_name, table_name` },
    { sql: `SELECT database_name, schema_name, view_name, sql, comment FROM duckdb_views() WHERE ${inCatalog} AND NOT internal ORDER BY schema_name, view_name` },
    { sql: `SELECT schema_name, comment FROM duckdb_schemas() WHERE database_name = ${quoteString(reader.catalogName)} AND schema_name NOT IN ('sf_local', 'information_schema', 'pg_catalog') ORDER BY schema_name` },
    { sql: 'SELECT TABLE_NAME, COLUMN_NAME, DECLARED_TYPE FROM sf_local.declared_columns' },
    { sql: 'SELECT NAME FROM sf_local.hybrid_tables' },
  ]) as [WireResult, WireResult, WireResult, WireResult, WireResult, WireResult];
  const declared = new Map(declaredRows.rows.map((r) => [`${String(r[0])}\u0000${String(r[1])}`, String(r[2])]));
  const hybrid = new Set(hybridRows.rows.map((r) => String(r[0])));
  return {
    tables: tables.rows.flatMap((r) => {
      if (INTERNAL_TABLE.test(String(r[2]))) return [];
      const p = place(r[0], r[1]);
      return [{ database: p.database, schema: p.schema, name: String(r[2]), temporary: r[3] === true, hybrid: hybrid.has(p.key(String(r[2]))), rows: Number(r[4] ?? 0), comment: text(r[5]) }];
    }),
    views: views.rows.map((r) => {
      const p = place(r[0], r[1]);
      return { database: p.database, schema: p.schema, name: String(r[2]), text: String(r[3] ?? '').replace(/;\s*$/, ''), comment: text(r[4]) };
    }),
    columns: columns.rows.flatMap((r) => {
      if (INTERNAL_TABLE.test(String(r[2]))) return [];
      const p = place(r[0], r[1]);
      const type = declared.get(`${p.key(String(r[2]))}\u0000${String(r[3])}`) ?? duckTypeAsSnowflake(String(r[7]));
      return [{ database: p.database, schema: p.schema, table: String(r[2]), name: String(r[3]), position: Number(r[4]), default: text(r[5]), nullable: r[6] === true, type, comment: text(r[8]) }];
    }),
    schemas: schemas.rows.map((r) => ({ ...place('', r[0]), comment: text(r[1]) })),
    databases: [DEFAULT_DATABASE, ...[...reader.databases].sort()],
  };
}

/** The Snowflake database and schema of a DuckDB schema (temporary tables live in LOCAL.PUBLIC). */
function place(duckDatabase: unknown, duckSchema: unknown): { database: string; schema: string; key: (name: string) => string } {
  const schema = duckDatabase === 'temp' ? MAIN_SCHEMA : String(duckSchema);
  const where = snowflakeSchemaOf(schema);
  return { database: where.database, schema: where.schema, key: (name) => tableKey(schema, name) };
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
const LTZ = 'TIMESTAMP_LTZ';

type Cells = WireResult['rows'];

function viewRows(view: string, database: string, c: Catalog): StatementResult {
  const result = (names: Array<[string, string]>, rows: unknown[][]) => synthetic(names.map(([name, type]) => ({ name, type })), rows as Cells, '', '');
  const inDb = <T extends { database: string }>(list: T[]): T[] => list.filter((x) => x.database === database);
  switch (view) {
    case 'COLUMNS':
      return result(
        [
          ['TABLE_CATALOG', TEXT], ['TABLE_SCHEMA', TEXT], ['TABLE_NAME', TEXT], ['COLUMN_NAME', TEXT], ['ORDINAL_POSITION', NUM], ['COLUMN_DEFAULT', TEXT], ['IS_NULLABLE', TEXT], ['DATA_TYPE', TEXT],
          ['CHARACTER_MAXIMUM_LENGTH', NUM], ['CHARACTER_OCTET_LENGTH', NUM], ['NUMERIC_PRECISION', NUM], ['NUMERIC_PRECISION_RADIX', NUM], ['NUMERIC_SCALE', NUM], ['DATETIME_PRECISION', NUM], ['IS_IDENTITY', TEXT], ['COMMENT', TEXT],
        ],
        inDb(c.columns).map((col) => {
          const t = typeColumns(col.type);
          const identity = col.default !== null && /^nextval\(/i.test(col.default);
          return [col.database, col.schema, col.table, col.name, col.position, identity ? null : col.default, col.nullable ? 'YES' : 'NO', t.dataType, t.length, t.octets, t.precision, t.radix, t.scale, t.datetime, identity ? 'YES' : 'NO', col.comment];
        }),
      );
    case 'TABLES':
      return result(
        [
          ['TABLE_CATALOG', TEXT], ['TABLE_SCHEMA', TEXT], ['TABLE_NAME', TEXT], ['TABLE_OWNER', TEXT], ['TABLE_TYPE', TEXT], ['IS_TRANSIENT', TEXT], ['CLUSTERING_KEY', TEXT], ['ROW_COUNT', NUM], ['BYTES', NUM],
          ['RETENTION_TIME', NUM], ['CREATED', LTZ], ['LAST_ALTERED', LTZ], ['COMMENT', TEXT], ['IS_TEMPORARY', TEXT], ['IS_HYBRID', TEXT],
        ],
        [
          ...inDb(c.tables).map((t) => [t.database, t.schema, t.name, OWNER, t.temporary ? 'TEMPORARY TABLE' : 'BASE TABLE', 'NO', null, t.rows, null, 1, null, null, t.comment, t.temporary ? 'YES' : 'NO', t.hybrid ? 'YES' : 'NO']),
          ...inDb(c.views).map((v) => [v.database, v.schema, v.name, OWNER, 'VIEW', 'NO', null, null, null, null, null, null, v.comment, 'NO', 'NO']),
        ],
      );
    case 'HYBRID_TABLES':
      return result(
        [['CATALOG', TEXT], ['SCHEMA', TEXT], ['NAME', TEXT], ['OWNER', TEXT], ['ROW_COUNT', NUM], ['BYTES', NUM], ['RETENTION_TIME', NUM], ['CREATED', LTZ], ['LAST_ALTERED', LTZ], ['COMMENT', TEXT]],
        inDb(c.tables)
          .filter((t) => t.hybrid)
          .map((t) => [t.database, t.schema, t.name, OWNER, t.rows, null, 1, null, null, t.comment]),
      );
    case 'VIEWS':
      return result(
        [
          ['TABLE_CATALOG', TEXT], ['TABLE_SCHEMA', TEXT], ['TABLE_NAME', TEXT], ['TABLE_OWNER', TEXT], ['VIEW_DEFINITION', TEXT], ['CHECK_OPTION', TEXT], ['IS_UPDATABLE', TEXT], ['INSERTABLE_INTO', TEXT],
          ['IS_SECURE', TEXT], ['CREATED', LTZ], ['LAST_ALTERED', LTZ], ['COMMENT', TEXT],
        ],
        inDb(c.views).map((v) => [v.database, v.schema, v.name, OWNER, v.text, 'NONE', 'NO', 'NO', 'NO', null, null, v.comment]),
      );
    case 'SCHEMATA': {
      const rows: unknown[][] = inDb(c.schemas).map((x) => [x.database, x.schema, OWNER, 'NO', 'NO', 1, null, null, x.comment]);
      rows.push([database, 'INFORMATION_SCHEMA', null, 'NO', 'NO', 1, null, null, 'Views describing the contents of schemas in this database']);
      rows.sort((a, b) => String(a[1]).localeCompare(String(b[1])));
      return result(
        [['CATALOG_NAME', TEXT], ['SCHEMA_NAME', TEXT], ['SCHEMA_OWNER', TEXT], ['IS_TRANSIENT', TEXT], ['IS_MANAGED_ACCESS', TEXT], ['RETENTION_TIME', NUM], ['CREATED', LTZ], ['LAST_ALTERED', LTZ], ['COMMENT', TEXT]],
        rows,
      );
    }
    default:
      // DATABASES
      return result(
        [['DATABASE_NAME', TEXT], ['DATABASE_OWNER', TEXT], ['IS_TRANSIENT', TEXT], ['COMMENT', TEXT], ['CREATED', LTZ], ['LAST_ALTERED', LTZ], ['RETENTION_TIME', NUM], ['TYPE', TEXT]],
        c.databases.map((d) => [d, OWNER, 'NO', null, null, null, 1, 'STANDARD']),
      );
  }
}
