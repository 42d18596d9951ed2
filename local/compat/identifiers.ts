/**
 * Quoted identifiers. In Snowflake `"abc"` and `ABC` are different names
 * (https://docs.snowflake.com/en/sql-reference/identifiers-syntax#double-quoted-identifiers);
 * DuckDB resolves names without regard to case, so `"abc"` would silently read table `ABC` (and
 * `abc`, which is `ABC`, table `"abc"`). Where a name stands for a table and only a table of
 * another case exists, the statement fails as Snowflake's does (the table does not exist); a
 * column name in that position, or creating the second name, fails as not implemented.
 */
import { LocalSnowflakeError, notImplemented } from '../errors.js';
import { canonicalIdentifier, tokenize } from '../sql-text.js';
import { mask, splitTopLevel } from './rewrite.js';

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

/**
 * Fails when a table name matches an existing table only in another case: no table of that exact
 * name exists in any schema, so Snowflake's answer is its own "does not exist" error (2003), which
 * is given here rather than DuckDB reading the other table.
 */
export function rejectCaseFoldedTables(sql: string, tables: ReadonlySet<string>): void {
  for (const name of tableNames(sql)) {
    if (tables.has(name)) continue;
    const folded = [...tables].find((t) => t.toLowerCase() === name.toLowerCase());
    if (folded !== undefined) {
      throw new LocalSnowflakeError(2003, '42S02', `SQL compilation error:\nObject '${name}' does not exist or not authorized.`, sql);
    }
  }
}

/**
 * CREATE TABLE of a name, or with two columns, differing only in case from what exists: both
 * are different names in Snowflake, one name in DuckDB (which would refuse with its own error).
 */
export function rejectCaseFoldedCreate(sql: string, def: { table: string; columnList: string } | null, tables: ReadonlySet<string>): void {
  if (!def) return;
  if (!tables.has(def.table)) {
    const folded = [...tables].find((t) => t.toLowerCase() === def.table.toLowerCase());
    if (folded !== undefined) throw notImplemented(`a table "${def.table}" beside table "${folded}" (names differing only in case are one name locally)`, sql);
  }
  const seen = new Map<string, string>();
  for (const item of splitTopLevel(def.columnList)) {
    const m = /^("(?:[^"]|"")+"|[A-Za-z_][\w$]*)/.exec(item.trim());
    if (!m || /^(INDEX|CONSTRAINT|PRIMARY|UNIQUE|FOREIGN|CHECK)$/i.test(m[1] as string)) continue;
    const name = canonicalIdentifier(m[1] as string);
    const other = seen.get(name.toLowerCase());
    if (other !== undefined && other !== name) throw notImplemented(`columns "${other}" and "${name}" in one table (names differing only in case are one name locally)`, sql);
    seen.set(name.toLowerCase(), name);
  }
}

/**
 * A column reference that names an existing column only in another case (`"a"` where the column
 * is `A`, or `a` — which is `A` — where it is `"a"`): Snowflake fails with "invalid identifier";
 * DuckDB would silently read the other column. Refused as not implemented instead. Names after
 * `AS` (aliases being defined), function names and the names of tables are not references to
 * columns; an identifier matching a column exactly, or no column at all, is left to DuckDB, and
 * so are catalog queries (INFORMATION_SCHEMA, DuckDB's catalog functions, the runtime's sf_local).
 * https://docs.snowflake.com/en/sql-reference/identifiers-syntax#double-quoted-identifiers
 */
export function rejectCaseFoldedColumns(sql: string, columns: ReadonlySet<string>, tables: ReadonlySet<string>): void {
  const anyMixed = [...columns].some((c) => c !== c.toUpperCase());
  if (!anyMixed && !sql.includes('"')) return;
  // Catalog queries name DuckDB's own (lower-case) catalog columns, which no table holds.
  if (/\b(?:INFORMATION_SCHEMA|sf_local)\s*\.|\bduckdb_\w+\s*\(/i.test(sql)) return;
  const tokens = tokenize(sql).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  let lower: Map<string, string> | undefined;
  tokens.forEach((t, i) => {
    if (t.kind !== 'quoted' && (t.kind !== 'word' || !anyMixed)) return;
    const before = tokens[i - 1];
    const after = tokens[i + 1];
    if (before && before.kind === 'word' && before.text.toUpperCase() === 'AS') return;
    if (after && after.text === '(') return;
    const name = canonicalIdentifier(t.text);
    if (columns.has(name) || tables.has(name)) return;
    lower ??= new Map([...columns].map((c) => [c.toLowerCase(), c]));
    const folded = lower.get(name.toLowerCase());
    if (folded !== undefined) {
      throw notImplemented(`the column name "${name}" where only column "${folded}" exists (names differing only in case are one name locally)`, sql);
    }
  });
}
