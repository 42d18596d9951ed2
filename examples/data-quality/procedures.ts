/**
 * Example: a data-quality check any table can get, returning its findings as a VARIANT report
 * rather than failing, so a task or a dashboard can store and compare them.
 */
import type { Snowflake } from 'hybrid-sync/snowflake-api';

/** What CHECK_TABLE_QUALITY found. */
export interface QualityReport {
  table: string;
  rows: number;
  /** Key values (over all key columns) held by more than one row. */
  duplicateKeys: number;
  /** Rows whose column is NULL, per required column. */
  nulls: Record<string, number>;
  /** One line per failed rule; empty when the table passed. */
  problems: string[];
  passed: boolean;
}

/**
 * Counts rows, duplicate keys and NULLs in required columns of a table, in two statements.
 * Runs with the caller's rights, so it sees exactly the tables its caller may read.
 *
 * @procedure CHECK_TABLE_QUALITY
 * @returnsSql VARIANT NOT NULL
 * @executeAs CALLER
 * @comment hybrid-sync example: rows, duplicate keys and NULLs in required columns, as a VARIANT report
 */
export function checkTableQuality(snowflake: Snowflake, tableName: string, keyColumns: string[], requiredColumns?: string[]): QualityReport {
  const table = quoteName(tableName, 'TABLE_NAME', 3);
  if (!Array.isArray(keyColumns) || keyColumns.length === 0) throw new Error('KEY_COLUMNS must be a non-empty ARRAY of column names');
  const keys = keyColumns.map((c) => quoteName(c, 'KEY_COLUMNS', 1));
  const required = (requiredColumns ?? []).map((c) => quoteName(c, 'REQUIRED_COLUMNS', 1));

  const counts = snowflake.execute({
    sqlText: `SELECT COUNT(*)${required.map((c) => `, COUNT_IF(${c} IS NULL)`).join('')} FROM ${table}`,
  });
  counts.next();
  const rows = Number(counts.getColumnValue(1));
  const nulls: Record<string, number> = {};
  (requiredColumns ?? []).forEach((c, i) => {
    nulls[c.toUpperCase()] = Number(counts.getColumnValue(i + 2));
  });

  const dup = snowflake.execute({
    sqlText: `SELECT COUNT(*) FROM (SELECT 1 FROM ${table} GROUP BY ${keys.join(', ')} HAVING COUNT(*) > 1)`,
  });
  dup.next();
  const duplicateKeys = Number(dup.getColumnValue(1));

  const problems: string[] = [];
  if (duplicateKeys > 0) problems.push(`${duplicateKeys} key value(s) of (${keyColumns.join(', ')}) appear more than once`);
  for (const [column, n] of Object.keys(nulls).map((k) => [k, nulls[k] as number] as const)) {
    if (n > 0) problems.push(`${column} is NULL in ${n} row(s)`);
  }
  return { table: tableName, rows, duplicateKeys, nulls, problems, passed: problems.length === 0 };
}

/** An unquoted identifier of up to `parts` dot-separated parts, double-quoted upper-case; anything else is refused. */
function quoteName(name: string, what: string, parts: number): string {
  const split = typeof name === 'string' ? name.split('.') : [];
  if (split.length === 0 || split.length > parts || !split.every((p) => /^[A-Za-z_][A-Za-z0-9_$]*$/.test(p))) {
    throw new Error(`${what}: '${String(name)}' is not ${parts > 1 ? 'a table name (NAME, SCHEMA.NAME or DB.SCHEMA.NAME)' : 'a column name'} of letters, digits, _ and $`);
  }
  return split.map((p) => `"${p.toUpperCase()}"`).join('.');
}
