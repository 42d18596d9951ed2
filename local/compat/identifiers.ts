/**
 * Quoted identifiers. In Snowflake `"abc"` and `ABC` are different names
 * (https://docs.snowflake.com/en/sql-reference/identifiers-syntax#double-quoted-identifiers);
 * DuckDB resolves names without regard to case, so `"abc"` would silently read table `ABC` (and
 * `abc`, which is `ABC`, table `"abc"`). Where a name stands for a table and only a table of
 * another case exists, the statement fails as not implemented instead.
 */
import { notImplemented } from '../errors.js';
import { mask } from './rewrite.js';

/** Table names right after FROM, JOIN, INTO, UPDATE, TABLE or USING, as Snowflake resolves them (unquoted upper-cased). */
export function tableNames(sql: string): string[] {
  const masked = mask(sql);
  const names: string[] = [];
  const re = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE|USING)\s+(?:(?:"[^"]*"|[A-Za-z_][\w$]*)\s*\.\s*)*("[^"]*"|[A-Za-z_][\w$]*)(?!\s*[.(])/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(masked)) !== null) {
    const end = m.index + m[0].length;
    const written = sql.slice(end - (m[1] ?? '').length, end);
    names.push(written.startsWith('"') ? written.slice(1, -1).replace(/""/g, '"') : written.toUpperCase());
  }
  return names;
}

/** Fails when a table name matches an existing table only in another case. */
export function rejectCaseFoldedTables(sql: string, tables: ReadonlySet<string>): void {
  for (const name of tableNames(sql)) {
    if (tables.has(name)) continue;
    const folded = [...tables].find((t) => t.toLowerCase() === name.toLowerCase());
    if (folded !== undefined) {
      throw notImplemented(`the table name "${name}" where only table "${folded}" exists (names differing only in case are one name locally)`, sql);
    }
  }
}
