/**
 * Schema changes of a table (https://docs.snowflake.com/en/sql-reference/sql/alter-table,
 * https://docs.snowflake.com/en/sql-reference/sql/alter-table-column) that DuckDB cannot make in
 * place: a column's type changed with `ALTER | MODIFY [COLUMN] c [SET DATA] TYPE t`, and a column
 * added with a length, NOT NULL or DEFAULT. DuckDB refuses to change the type of a column that a
 * CHECK names (the runtime's `VARCHAR(n)` check) and to add a column with a constraint, so the
 * table is rebuilt: a new table from the catalog (columns, NOT NULL, defaults, primary key and
 * UNIQUE constraints, a length check per declared `VARCHAR(n)`), its rows copied, the old one
 * dropped and the new one renamed, its secondary indexes made again — in one transaction.
 *
 * Type changes follow Snowflake's table of what SET DATA TYPE may do: a synonym of the same type;
 * a text column's length, up or down while every value fits; a number's precision, up or down
 * while every value fits, with the same scale. Anything else (another type, another scale) fails
 * as Snowflake does.
 */
import type { WireResult } from '../engine.js';
import { LocalSnowflakeError } from '../errors.js';
import { quoteString } from '../sql-text.js';
import { canonicalType, type IndexFollow } from './catalog.js';
import { lengthCheck } from './ddl.js';

/** A table as the statement resolved it. */
export interface AlterTarget {
  /** DuckDB's qualified name. */
  readonly text: string;
  /** The key of its metadata (`sf_local.declared_columns`). */
  readonly key: string;
  readonly duckSchema: string;
  readonly name: string;
}

type Run = (statements: Array<{ sql: string; params?: string[] }>) => WireResult[];

const MAX_TEXT = 16777216;

/** The DuckDB type a declared Snowflake type is stored as (only the types a retype produces). */
function storedType(declared: string): string | undefined {
  const num = /^NUMBER\((\d+),(\d+)\)$/.exec(declared);
  if (num) return `DECIMAL(${num[1]},${num[2]})`;
  if (/^VARCHAR\(\d+\)$/.test(declared)) return 'VARCHAR';
  return undefined;
}

/**
 * Changes column `column` of `table` to `newType` (as written), as ALTER COLUMN … SET DATA TYPE
 * does; the statements run through `run` (the caller holds the transaction).
 */
export function retypeColumn(run: Run, table: AlterTarget, column: string, newType: string, sql: string): void {
  const [described] = run([{ sql: `SELECT d.DECLARED_TYPE, c.data_type FROM duckdb_columns() c LEFT JOIN sf_local.declared_columns d ON d.TABLE_NAME = ${quoteString(table.key)} AND d.COLUMN_NAME = c.column_name WHERE c.schema_name = ${quoteString(table.duckSchema)} AND c.table_name = ${quoteString(table.name)} AND c.column_name = ${quoteString(column)}` }]) as [WireResult];
  const row = described.rows[0];
  if (!row) throw new LocalSnowflakeError(904, '42000', `SQL compilation error: error line 0 at position 0\ninvalid identifier '${column}'`, sql);
  const from = canonicalType(String(row[0] ?? engineAsDeclared(String(row[1]))));
  const to = canonicalType(newType);
  const refuse = (why: string): LocalSnowflakeError =>
    new LocalSnowflakeError(2000, '42000', `SQL compilation error: cannot change column ${column} from type ${from} to ${to} because ${why}.`, sql);
  const quoted = `"${column.replace(/"/g, '""')}"`;
  if (from === to) return;
  const fromText = /^VARCHAR\((\d+)\)$/.exec(from);
  const toText = /^VARCHAR\((\d+)\)$/.exec(to);
  const fromNum = /^NUMBER\((\d+),(\d+)\)$/.exec(from);
  const toNum = /^NUMBER\((\d+),(\d+)\)$/.exec(to);
  if (fromText && toText) {
    const limit = Number(toText[1]);
    const [longest] = run([{ sql: `SELECT max(length(${quoted})) FROM ${table.text}` }]) as [WireResult];
    if (Number(longest.rows[0]?.[0] ?? 0) > limit) throw refuse(`a value is longer than ${limit} characters`);
  } else if (fromNum && toNum) {
    if (fromNum[2] !== toNum[2]) throw refuse('changing the scale of a number is not supported');
    const digits = Number(toNum[1]) - Number(toNum[2]);
    const [largest] = run([{ sql: `SELECT max(abs(${quoted})) >= power(10, ${digits}) FROM ${table.text}` }]) as [WireResult];
    if (largest.rows[0]?.[0] === true) throw refuse(`a value does not fit in ${to}`);
  } else {
    throw refuse('the new type is not the old one with another length or precision (SET DATA TYPE changes only those)');
  }
  run([{ sql: 'INSERT OR REPLACE INTO sf_local.declared_columns VALUES (?, ?, ?)', params: [table.key, column, to] }]);
  rebuild(run, table, { [column]: storedType(to) as string });
}

/** The columns of an index, from the engine's `CREATE INDEX … ON t (A, "b")` text. */
export function indexColumnsOf(indexSql: string): string[] {
  const list = /\(([^)]*)\)\s*;?\s*$/.exec(indexSql)?.[1] ?? '';
  return list.split(',').map((c) => c.trim().replace(/^"|"$/g, '').replace(/""/g, '"')).filter((c) => c !== '');
}

/** DESCRIBE's type for a column the runtime has no declared type for. */
function engineAsDeclared(engine: string): string {
  const dec = /^DECIMAL\((\d+),(\d+)\)$/i.exec(engine);
  if (dec) return `NUMBER(${dec[1]},${dec[2]})`;
  if (/INT/i.test(engine)) return 'NUMBER(38,0)';
  if (/^VARCHAR$/i.test(engine)) return `VARCHAR(${MAX_TEXT})`;
  return engine.toUpperCase();
}

/** A table's definition as the catalog holds it, ready to make the table again under any name. */
interface TableShape {
  /** The column list of a DuckDB CREATE TABLE: columns, keys and length checks. */
  readonly body: string;
  /** Secondary indexes: name and columns. */
  readonly indexes: ReadonlyArray<{ name: string; columns: string[] }>;
  /** The declared types recorded for the table. */
  readonly declared: ReadonlyArray<[string, string]>;
}

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The schema part of a table's DuckDB name, with its dot (empty in LOCAL.PUBLIC). */
function schemaPrefix(table: AlterTarget): string {
  return table.text === q(table.name) ? '' : `${table.text.slice(0, table.text.length - q(table.name).length - 1)}.`;
}

/**
 * Reads `table`'s shape from the catalog, `types` overriding the stored type of some columns:
 * columns, NOT NULL, defaults, keys, a length check per declared VARCHAR(n), secondary indexes.
 */
function tableShape(run: Run, table: AlterTarget, types: Record<string, string> = {}): TableShape {
  const where = `schema_name = ${quoteString(table.duckSchema)} AND table_name = ${quoteString(table.name)}`;
  const [columns, declared, constraints, indexes] = run([
    { sql: `SELECT column_name, data_type, is_nullable, column_default FROM duckdb_columns() WHERE ${where} ORDER BY column_index` },
    { sql: `SELECT COLUMN_NAME, DECLARED_TYPE FROM sf_local.declared_columns WHERE TABLE_NAME = ${quoteString(table.key)}` },
    { sql: `SELECT constraint_type, array_to_string(constraint_column_names, chr(1)) FROM duckdb_constraints() WHERE ${where} AND constraint_type IN ('PRIMARY KEY', 'UNIQUE') ORDER BY constraint_index` },
    { sql: `SELECT index_name, sql FROM duckdb_indexes() WHERE ${where} ORDER BY index_name` },
  ]) as [WireResult, WireResult, WireResult, WireResult];
  const declaredType = new Map(declared.rows.map((r) => [String(r[0]), String(r[1])]));
  const defs = columns.rows.map((r) => {
    const name = String(r[0]);
    const type = types[name] ?? String(r[1]);
    return `${q(name)} ${type}${r[2] === false ? ' NOT NULL' : ''}${r[3] !== null && r[3] !== undefined ? ` DEFAULT ${String(r[3])}` : ''}`;
  });
  const keys = constraints.rows.map((r) => `${String(r[0])} (${[...new Set(String(r[1]).split('\u0001'))].map(q).join(', ')})`);
  const checks = columns.rows.flatMap((r) => {
    const declaredAs = declaredType.get(String(r[0]));
    const length = declaredAs ? /^VARCHAR\((\d+)\)$/.exec(declaredAs) : null;
    if (!length || Number(length[1]) >= MAX_TEXT) return [];
    return [lengthCheck(`${q(String(r[0]))} VARCHAR(${length[1]})`).trim()];
  });
  return {
    body: [...defs, ...keys, ...checks].join(', '),
    indexes: indexes.rows.map((r) => ({ name: String(r[0]), columns: indexColumnsOf(String(r[1])) })),
    declared: [...declaredType.entries()],
  };
}

/** Makes `table` again from the catalog with `types` overriding some columns' stored types; its rows copied. */
export function rebuild(run: Run, table: AlterTarget, types: Record<string, string> = {}): void {
  const shape = tableShape(run, table, types);
  const temp = `${schemaPrefix(table)}${q(`sf_rebuild_${table.name}`)}`;
  run([
    { sql: `CREATE TABLE ${temp} (${shape.body})` },
    { sql: `INSERT INTO ${temp} SELECT * FROM ${table.text}` },
    { sql: `DROP TABLE ${table.text}` },
    { sql: `ALTER TABLE ${temp} RENAME TO ${q(table.name)}` },
    ...shape.indexes.map((i) => ({ sql: `CREATE INDEX ${q(i.name)} ON ${table.text} (${i.columns.map(q).join(', ')})` })),
  ]);
}

/**
 * `CREATE TABLE target LIKE source` (the columns, defaults, NOT NULLs, keys, lengths and indexes,
 * no rows) or `… CLONE source` (the rows too), https://docs.snowflake.com/en/sql-reference/sql/create-table
 * ("CREATE TABLE … LIKE", "CREATE TABLE … CLONE"). An inline index keeps its name under the new table.
 */
export function copyTable(run: Run, source: AlterTarget, target: AlterTarget, o: { rows: boolean; orReplace: boolean; temporary: boolean }): void {
  const shape = tableShape(run, source);
  const prefix = `${source.name}__`;
  run([
    { sql: `CREATE ${o.orReplace ? 'OR REPLACE ' : ''}${o.temporary ? 'TEMPORARY ' : ''}TABLE ${target.text} (${shape.body})` },
    ...(o.rows ? [{ sql: `INSERT INTO ${target.text} SELECT * FROM ${source.text}` }] : []),
    ...shape.indexes.map((i) => {
      const name = i.name.startsWith(prefix) ? `${target.name}__${i.name.slice(prefix.length)}` : `${target.name}__${i.name}`;
      return { sql: `CREATE INDEX ${q(name)} ON ${target.text} (${i.columns.map(q).join(', ')})` };
    }),
    { sql: 'DELETE FROM sf_local.declared_columns WHERE TABLE_NAME = ?', params: [target.key] },
    ...shape.declared.map(([column, type]) => ({ sql: 'INSERT INTO sf_local.declared_columns VALUES (?, ?, ?)', params: [target.key, column, type] })),
  ]);
}

/**
 * Runs `statements` (an ALTER TABLE DuckDB refuses on a table with indexes: RENAME TO, RENAME or
 * DROP COLUMN, SET NOT NULL) with the table's secondary indexes dropped first and made again
 * after, following the change.
 */
export function withoutIndexes(run: Run, table: AlterTarget, statements: Array<{ sql: string; params?: string[] }>, follow: IndexFollow, sql: string): void {
  const [indexes] = run([{ sql: `SELECT index_name, sql FROM duckdb_indexes() WHERE schema_name = ${quoteString(table.duckSchema)} AND table_name = ${quoteString(table.name)} ORDER BY index_name` }]) as [WireResult];
  const schema = schemaPrefix(table);
  const target = follow.renamed ?? table;
  const prefix = `${table.name}__`;
  const shown = (name: string): string => (name.startsWith(prefix) ? name.slice(prefix.length) : name);
  const defs = indexes.rows.map((r) => {
    const name = String(r[0]);
    const cols = indexColumnsOf(String(r[1]));
    return { name, cols };
  });
  for (const d of defs) {
    const hit = d.cols.find((c) => follow.dropped?.includes(c));
    if (hit !== undefined) {
      throw new LocalSnowflakeError(2000, '42000', `SQL compilation error: cannot drop column ${hit}: index ${shown(d.name)} of table ${table.name} uses it (drop the index first).`, sql);
    }
  }
  run([
    ...defs.map((d) => ({ sql: `DROP INDEX ${schema}${q(d.name)}` })),
    ...statements,
    ...defs.map((d) => {
      const kept = follow.renamed && d.name.startsWith(prefix) ? `${follow.renamed.name}__${d.name.slice(prefix.length)}` : d.name;
      const cols = d.cols.map((c) => q(follow.column && c === follow.column.from ? follow.column.to : c));
      return { sql: `CREATE INDEX ${q(kept)} ON ${target.text} (${cols.join(', ')})` };
    }),
  ]);
}
