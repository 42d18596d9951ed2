/**
 * Catalog statements the sync relies on: sequences, `DESCRIBE TABLE`, `ALTER TABLE … ADD
 * COLUMN`, `CREATE INDEX`, and the declared column types they need.
 *
 * DuckDB forgets what Snowflake keeps: `VARCHAR(255)` is a plain VARCHAR, `TIMESTAMP_TZ` and
 * `TIMESTAMP_LTZ` are both TIMESTAMPTZ, `TIMESTAMP_NTZ(9)` has no precision. So every CREATE TABLE
 * and ADD COLUMN records the declared type in `sf_local.declared_columns`, and `DESCRIBE TABLE`
 * answers from it (falling back to DuckDB's type for a column created some other way).
 */
import { notImplemented } from '../errors.js';
import { canonicalIdentifier, normalized, quoteString } from '../sql-text.js';
import { mask, replaceInCode, splitTopLevel } from './rewrite.js';

/** The metadata table, created with the runtime's other `sf_local` tables. */
export const DECLARED_COLUMNS_SQL =
  'CREATE TABLE IF NOT EXISTS sf_local.declared_columns (TABLE_NAME VARCHAR, COLUMN_NAME VARCHAR, DECLARED_TYPE VARCHAR, PRIMARY KEY (TABLE_NAME, COLUMN_NAME))';

/** One column as its DDL declared it. */
export interface DeclaredColumn {
  name: string;
  type: string;
}

const NAME = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)){0,2}`;

/** A column name as written. */
const COLUMN = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Words that end a column's type in its definition. */
const TYPE_END = /\s+(?:NOT\s+NULL|NULL|DEFAULT|PRIMARY\s+KEY|UNIQUE|COMMENT|AUTOINCREMENT|IDENTITY|COLLATE|REFERENCES|CONSTRAINT|CHECK|WITH|FOREIGN)\b/i;

/**
 * Snowflake's canonical spelling of a declared type, as `DESCRIBE TABLE` prints it
 * (https://docs.snowflake.com/en/sql-reference/intro-summary-data-types): synonyms resolved,
 * default precision, length and scale filled in.
 */
export function canonicalType(declared: string): string {
  const t = declared.trim().replace(/\s+/g, ' ').toUpperCase();
  const num = /^(?:NUMBER|NUMERIC|DECIMAL|DEC)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$/.exec(t);
  if (num) return `NUMBER(${num[1] ?? '38'},${num[2] ?? '0'})`;
  if (/^(INT|INTEGER|BIGINT|SMALLINT|TINYINT|BYTEINT)$/.test(t)) return 'NUMBER(38,0)';
  if (/^(FLOAT[48]?|DOUBLE( PRECISION)?|REAL)$/.test(t)) return 'FLOAT';
  const text = /^(?:VARCHAR|STRING|TEXT|NVARCHAR2?|CHAR VARYING|NCHAR VARYING)\s*(?:\(\s*(\d+)\s*\))?$/.exec(t);
  if (text) return `VARCHAR(${text[1] ?? '16777216'})`;
  const chr = /^(?:CHAR|CHARACTER|NCHAR)\s*(?:\(\s*(\d+)\s*\))?$/.exec(t);
  if (chr) return `VARCHAR(${chr[1] ?? '1'})`;
  const ts = /^(TIMESTAMP_NTZ|TIMESTAMP_LTZ|TIMESTAMP_TZ|TIMESTAMP|DATETIME)\s*(?:\(\s*(\d)\s*\))?$/.exec(t);
  if (ts) {
    const kind = ts[1] === 'TIMESTAMP' || ts[1] === 'DATETIME' ? 'TIMESTAMP_NTZ' : (ts[1] as string);
    return `${kind}(${ts[2] ?? '9'})`;
  }
  const time = /^TIME\s*(?:\(\s*(\d)\s*\))?$/.exec(t);
  if (time) return `TIME(${time[1] ?? '9'})`;
  return t;
}

/** The columns of a CREATE TABLE column list, with their declared types. */
export function declaredColumns(columnList: string): DeclaredColumn[] {
  const out: DeclaredColumn[] = [];
  for (const item of splitTopLevel(columnList)) {
    if (/^(INDEX|CONSTRAINT|PRIMARY\s+KEY|UNIQUE|FOREIGN\s+KEY|CHECK)\b/i.test(item)) continue;
    const m = /^("(?:[^"]|"")+"|[A-Za-z_][\w$]*)\s+([\s\S]+)$/.exec(item.trim());
    if (!m) continue;
    const rest = m[2] as string;
    const end = TYPE_END.exec(mask(rest));
    out.push({ name: canonicalIdentifier(m[1] as string), type: canonicalType(end ? rest.slice(0, end.index) : rest) });
  }
  return out;
}

/** Statements recording a table's declared columns (replacing what was recorded before). */
export function recordColumns(table: string, columns: DeclaredColumn[], replace: boolean): Array<{ sql: string; params?: string[] }> {
  const out: Array<{ sql: string; params?: string[] }> = [];
  if (replace) out.push({ sql: 'DELETE FROM sf_local.declared_columns WHERE TABLE_NAME = ?', params: [table] });
  for (const c of columns) {
    out.push({ sql: 'INSERT OR REPLACE INTO sf_local.declared_columns VALUES (?, ?, ?)', params: [table, c.name, c.type] });
  }
  return out;
}

/** A name of the statement resolved in the session's database and schema (compat/names.ts). */
export interface ResolvedObject {
  /** The DuckDB text naming it (`"NAME"` in LOCAL.PUBLIC, fully qualified elsewhere). */
  text: string;
  /** The key of its metadata (compat/names.ts tableKey). */
  key: string;
  duckSchema: string;
  name: string;
}

/** What an ALTER changes that the table's indexes must follow. */
export interface IndexFollow {
  /** The table's new name (RENAME TO); an inline index keeps its `TABLE__NAME` form. */
  readonly renamed?: ResolvedObject;
  /** A column renamed (RENAME COLUMN). */
  readonly column?: { readonly from: string; readonly to: string };
  /** Columns dropped (DROP COLUMN): one an index covers is refused. */
  readonly dropped?: readonly string[];
}

/** What a catalog statement turns into: DuckDB statements, and metadata to record. */
export interface CatalogPlan {
  duck: string[];
  record?: Array<{ sql: string; params?: string[] }>;
  /** Answer with DESCRIBE TABLE's rows for this table. */
  describe?: ResolvedObject;
  /** ALTER COLUMN … SET DATA TYPE: compat/alter-table.ts retypeColumn. */
  retype?: { table: ResolvedObject; column: string; type: string; ifExists: boolean };
  /** Make the table again after `duck` ran (compat/alter-table.ts rebuild), for a length check on an added column. */
  rebuild?: ResolvedObject;
  /** Run `duck` with the table's indexes dropped and made again, following the change (compat/alter-table.ts withoutIndexes). */
  reindex?: { table: ResolvedObject; follow: IndexFollow };
}

/**
 * Recognises the catalog statements of this module; `null` for any other statement. The plan is
 * made once the statement's names are resolved (`resolve` takes a name as written).
 *
 * - `CREATE [OR REPLACE] SEQUENCE [IF NOT EXISTS] s [START [WITH] [=] n] [INCREMENT [BY] [=] m]
 *   [ORDER | NOORDER] [COMMENT = '…']` (https://docs.snowflake.com/en/sql-reference/sql/create-sequence)
 * - `DROP SEQUENCE [IF EXISTS] s`
 * - `ALTER TABLE t ADD [COLUMN] [IF NOT EXISTS] c type …`
 * - `CREATE INDEX [IF NOT EXISTS] i ON t (cols)` (hybrid tables: https://docs.snowflake.com/en/sql-reference/sql/create-index)
 * - `DESC[RIBE] TABLE t`
 */
export function catalogStatement(sql: string): ((resolve: (name: string) => ResolvedObject) => CatalogPlan) | null {
  const text = normalized(sql);
  const seq = new RegExp(
    String.raw`^CREATE\s+(OR\s+REPLACE\s+)?SEQUENCE\s+(IF\s+NOT\s+EXISTS\s+)?(${NAME})((?:\s+\S+)*)$`,
    'i',
  ).exec(text);
  if (seq) {
    return (resolve) => {
      const options = (seq[4] ?? '').trim();
      const start = /\bSTART\s+(?:WITH\s+)?(?:=\s*)?(-?\d+)/i.exec(options)?.[1] ?? '1';
      const step = /\bINCREMENT\s+(?:BY\s+)?(?:=\s*)?(-?\d+)/i.exec(options)?.[1] ?? '1';
      const rest = options
        .replace(/\bSTART\s+(?:WITH\s+)?(?:=\s*)?-?\d+/i, '')
        .replace(/\bINCREMENT\s+(?:BY\s+)?(?:=\s*)?-?\d+/i, '')
        .replace(/\b(NO)?ORDER\b/i, '')
        .replace(/\bCOMMENT\s*=\s*'(?:[^']|'')*'/i, '')
        .trim();
      if (rest !== '') throw notImplemented(`CREATE SEQUENCE option "${rest}"`, sql);
      const name = resolve(seq[3] as string);
      return { duck: [`CREATE ${seq[1] ? 'OR REPLACE ' : ''}SEQUENCE ${seq[2] ? 'IF NOT EXISTS ' : ''}${name.text} START ${start} INCREMENT ${step}`] };
    };
  }
  const dropSeq = new RegExp(String.raw`^DROP\s+SEQUENCE\s+(IF\s+EXISTS\s+)?(${NAME})$`, 'i').exec(text);
  if (dropSeq) return (resolve) => ({ duck: [`DROP SEQUENCE ${dropSeq[1] ? 'IF EXISTS ' : ''}${resolve(dropSeq[2] as string).text}`] });

  const add = new RegExp(String.raw`^ALTER\s+TABLE\s+(IF\s+EXISTS\s+)?(${NAME})\s+ADD\s+(?:COLUMN\s+)?(IF\s+NOT\s+EXISTS\s+)?([\s\S]+)$`, 'i').exec(text);
  if (add) {
    return (resolve) => {
      const table = resolve(add[2] as string);
      const items = splitTopLevel(add[4] as string);
      if (items.length !== 1) throw notImplemented('ALTER TABLE … ADD with several columns (add one column per statement)', sql);
      const def = (items[0] as string).trim();
      if (/^(CONSTRAINT|PRIMARY|UNIQUE|FOREIGN|CHECK)\b/i.test(def)) throw notImplemented('ALTER TABLE … ADD CONSTRAINT', sql);
      const [column] = declaredColumns(def);
      if (!column) throw notImplemented(`ALTER TABLE … ADD "${def}"`, sql);
      const quoted = `"${column.name.replace(/"/g, '""')}"`;
      const rename = def.replace(/^("(?:[^"]|"")+"|[A-Za-z_][\w$]*)/, quoted);
      // DuckDB adds no column with a constraint: NOT NULL is set after, a length by a rebuild.
      const notNull = /\bNOT\s+NULL\b/i.test(mask(rename));
      const plain = notNull ? rename.replace(/\s+NOT\s+NULL\b/i, '') : rename;
      const length = /^VARCHAR\((\d+)\)$/.exec(column.type);
      return {
        duck: [
          `ALTER TABLE ${add[1] ? 'IF EXISTS ' : ''}${table.text} ADD COLUMN ${add[3] ? 'IF NOT EXISTS ' : ''}${plain}`,
          ...(notNull ? [`ALTER TABLE ${table.text} ALTER COLUMN ${quoted} SET NOT NULL`] : []),
        ],
        ...(length && Number(length[1]) < 16777216 ? { rebuild: table } : {}),
        ...(notNull ? { reindex: { table, follow: {} } } : {}),
        record: add[3]
          ? [{ sql: 'INSERT OR IGNORE INTO sf_local.declared_columns VALUES (?, ?, ?)', params: [table.key, column.name, column.type] }]
          : recordColumns(table.key, [column], false),
      };
    };
  }

  const alter = new RegExp(String.raw`^ALTER\s+TABLE\s+(IF\s+EXISTS\s+)?(${NAME})\s+([\s\S]+)$`, 'i').exec(text);
  const action = alter?.[3] ?? '';
  const retype = new RegExp(String.raw`^(?:ALTER|MODIFY)\s+(?:COLUMN\s+)?(${COLUMN})\s+(?:SET\s+DATA\s+)?TYPE\s+([\s\S]+)$`, 'i').exec(action);
  if (alter && retype) {
    return (resolve) => {
      if (/,/.test(mask(retype[2] as string).replace(/\([^)]*\)/g, ''))) throw notImplemented('ALTER TABLE … ALTER COLUMN for several columns in one statement', sql);
      return { duck: [], retype: { table: resolve(alter[2] as string), column: canonicalIdentifier(retype[1] as string), type: (retype[2] as string).trim(), ifExists: alter[1] !== undefined } };
    };
  }
  const nullability = new RegExp(String.raw`^(?:ALTER|MODIFY)\s+(?:COLUMN\s+)?(${COLUMN})\s+(SET|DROP)\s+NOT\s+NULL$`, 'i').exec(action);
  if (alter && nullability) {
    // DuckDB changes nullability only on a table without indexes: they are dropped and made again.
    return (resolve) => {
      const table = resolve(alter[2] as string);
      const column = quoteIdentifier(canonicalIdentifier(nullability[1] as string));
      return { duck: [`ALTER TABLE ${table.text} ALTER COLUMN ${column} ${(nullability[2] as string).toUpperCase()} NOT NULL`], reindex: { table, follow: {} } };
    };
  }
  const columnComment = new RegExp(String.raw`^(?:ALTER|MODIFY)\s+(?:COLUMN\s+)?(${COLUMN})\s+(?:COMMENT\s+('(?:[^']|'')*')|UNSET\s+COMMENT)$`, 'i').exec(action);
  if (alter && columnComment) {
    return (resolve) => {
      const table = resolve(alter[2] as string);
      const column = quoteIdentifier(canonicalIdentifier(columnComment[1] as string));
      return { duck: [`COMMENT ON COLUMN ${table.text}.${column} IS ${columnComment[2] ?? 'NULL'}`] };
    };
  }
  const renameColumn = new RegExp(String.raw`^RENAME\s+COLUMN\s+(${COLUMN})\s+TO\s+(${COLUMN})$`, 'i').exec(action);
  if (alter && renameColumn) {
    return (resolve) => {
      const table = resolve(alter[2] as string);
      const [from, to] = [canonicalIdentifier(renameColumn[1] as string), canonicalIdentifier(renameColumn[2] as string)];
      return {
        duck: [`ALTER TABLE ${alter[1] ? 'IF EXISTS ' : ''}${table.text} RENAME COLUMN ${quoteIdentifier(from)} TO ${quoteIdentifier(to)}`],
        record: [{ sql: 'UPDATE sf_local.declared_columns SET COLUMN_NAME = ? WHERE TABLE_NAME = ? AND COLUMN_NAME = ?', params: [to, table.key, from] }],
        reindex: { table, follow: { column: { from, to } } },
      };
    };
  }
  const dropColumn = new RegExp(String.raw`^DROP\s+(?:COLUMN\s+)?(IF\s+EXISTS\s+)?(${COLUMN}(?:\s*,\s*${COLUMN})*)$`, 'i').exec(action);
  if (alter && dropColumn && !/^DROP\s+(CONSTRAINT|PRIMARY|UNIQUE|FOREIGN|ROW|SEARCH|CLUSTERING|AGGREGATION|PROJECTION|JOIN)\b/i.test(action)) {
    return (resolve) => {
      const table = resolve(alter[2] as string);
      const names = splitTopLevel(dropColumn[2] as string).map((c) => canonicalIdentifier(c.trim()));
      return {
        duck: names.map((c) => `ALTER TABLE ${alter[1] ? 'IF EXISTS ' : ''}${table.text} DROP COLUMN ${dropColumn[1] ? 'IF EXISTS ' : ''}${quoteIdentifier(c)}`),
        record: names.map((c) => ({ sql: 'DELETE FROM sf_local.declared_columns WHERE TABLE_NAME = ? AND COLUMN_NAME = ?', params: [table.key, c] })),
        reindex: { table, follow: { dropped: names } },
      };
    };
  }
  const renameTable = new RegExp(String.raw`^RENAME\s+TO\s+(${NAME})$`, 'i').exec(action);
  if (alter && renameTable) {
    return (resolve) => {
      const table = resolve(alter[2] as string);
      const target = resolve(renameTable[1] as string);
      if (target.duckSchema !== table.duckSchema) throw notImplemented('ALTER TABLE … RENAME TO a table of another schema', sql);
      return {
        duck: [`ALTER TABLE ${alter[1] ? 'IF EXISTS ' : ''}${table.text} RENAME TO ${quoteIdentifier(target.name)}`],
        reindex: { table, follow: { renamed: target } },
        record: [
          { sql: 'UPDATE sf_local.declared_columns SET TABLE_NAME = ? WHERE TABLE_NAME = ?', params: [target.key, table.key] },
          { sql: 'UPDATE sf_local.hybrid_tables SET NAME = ? WHERE NAME = ?', params: [target.key, table.key] },
        ],
      };
    };
  }

  const index = new RegExp(
    String.raw`^CREATE\s+(OR\s+REPLACE\s+)?INDEX\s+(IF\s+NOT\s+EXISTS\s+)?("(?:[^"]|"")+"|[A-Za-z_][\w$]*)\s+ON\s+(${NAME})\s*\(([^)]*)\)(\s+INCLUDE\s*\([^)]*\))?$`,
    'i',
  ).exec(text);
  if (index) {
    return (resolve) => {
      if (index[1]) throw notImplemented('CREATE OR REPLACE INDEX', sql);
      const table = resolve(index[4] as string);
      // DuckDB index names are schema-wide, Snowflake's are per table: prefix with the table, as
      // inline INDEX clauses of CREATE HYBRID TABLE are. The index goes to the table's schema.
      const name = `"${table.name.replace(/"/g, '""')}__${canonicalIdentifier(index[3] as string)}"`;
      return { duck: [`CREATE INDEX ${index[2] ? 'IF NOT EXISTS ' : ''}${name} ON ${table.text} (${index[5]})`] };
    };
  }

  const describe = new RegExp(String.raw`^DESC(?:RIBE)?\s+(?:TABLE|VIEW)\s+(${NAME})(?:\s+TYPE\s*=\s*COLUMNS)?$`, 'i').exec(text);
  if (describe) return (resolve) => ({ duck: [], describe: resolve(describe[1] as string) });
  return null;
}

function sequenceName(name: string): string {
  return canonicalIdentifier(name);
}

/**
 * `seq.NEXTVAL` → `nextval('SEQ')` (https://docs.snowflake.com/en/user-guide/querying-sequences).
 * Qualified names, and any name while a schema other than LOCAL.PUBLIC is current, were already
 * rewritten to DuckDB's qualified `nextval('…')` by compat/names.ts qualify.
 */
export function rewriteNextval(sql: string): string {
  if (!/NEXTVAL/i.test(sql)) return sql;
  return replaceInCode(sql, new RegExp(String.raw`(${NAME})\s*\.\s*NEXTVAL\b`, 'gi'), (original) => `nextval(${quoteString(sequenceName(original.replace(/\s*\.\s*NEXTVAL$/i, '')))})`);
}

/** The query behind DESCRIBE TABLE: Snowflake's columns, declared types first. */
export function describeSql(table: ResolvedObject): string {
  const t = quoteString(table.name);
  const schema = quoteString(table.duckSchema);
  return [
    'SELECT c.column_name AS "name",',
    '  d.DECLARED_TYPE AS "declared", c.data_type AS "engine_type",',
    `  'COLUMN' AS "kind",`,
    `  CASE WHEN c.is_nullable = 'YES' THEN 'Y' ELSE 'N' END AS "null?",`,
    '  c.column_default AS "default",',
    `  CASE WHEN EXISTS (SELECT 1 FROM duckdb_constraints() k WHERE k.table_name = c.table_name AND k.schema_name = c.table_schema AND k.constraint_type = 'PRIMARY KEY' AND list_contains(k.constraint_column_names, c.column_name)) THEN 'Y' ELSE 'N' END AS "primary key",`,
    `  CASE WHEN EXISTS (SELECT 1 FROM duckdb_constraints() k WHERE k.table_name = c.table_name AND k.schema_name = c.table_schema AND k.constraint_type = 'UNIQUE' AND list_contains(k.constraint_column_names, c.column_name)) THEN 'Y' ELSE 'N' END AS "unique key",`,
    '  NULL AS "check", NULL AS "expression", NULL AS "comment", NULL AS "policy name", NULL AS "privacy domain"',
    'FROM information_schema.columns c',
    `LEFT JOIN sf_local.declared_columns d ON d.TABLE_NAME = ${quoteString(table.key)} AND d.COLUMN_NAME = c.column_name`,
    `WHERE c.table_name = ${t} AND c.table_schema = ${schema}`,
    'ORDER BY c.ordinal_position',
  ].join('\n');
}

/** DuckDB's type name in Snowflake's spelling, for columns without a declared type. */
export function duckTypeAsSnowflake(duck: string): string {
  const t = duck.toUpperCase();
  const dec = /^DECIMAL\((\d+),(\d+)\)$/.exec(t);
  if (dec) return `NUMBER(${dec[1]},${dec[2]})`;
  if (/INT/.test(t)) return 'NUMBER(38,0)';
  if (t === 'DOUBLE' || t === 'FLOAT') return 'FLOAT';
  if (t === 'VARCHAR') return 'VARCHAR(16777216)';
  if (t === 'TIMESTAMP WITH TIME ZONE') return 'TIMESTAMP_LTZ(9)';
  if (t.startsWith('TIMESTAMP')) return 'TIMESTAMP_NTZ(9)';
  if (t === 'JSON') return 'VARIANT';
  return t;
}
