/**
 * `RESULT_SCAN(LAST_QUERY_ID())`: the rows of an earlier statement of the session as a table.
 * https://docs.snowflake.com/en/sql-reference/functions/result_scan and
 * https://docs.snowflake.com/en/sql-reference/functions/last_query_id
 *
 * The session keeps its recent results; `LAST_QUERY_ID([n])` becomes the id as a literal, and
 * `[TABLE(]RESULT_SCAN('<id>')[)]` becomes a temporary table the session fills with that
 * result's rows, typed as its columns were.
 */
import type { WireBind } from '../engine.js';
import { LocalSnowflakeError } from '../errors.js';
import type { StatementResult } from '../result.js';
import { quoteString } from '../sql-text.js';
import { closingParen, mask, replaceInCode } from './rewrite.js';

/** `LAST_QUERY_ID()` / `LAST_QUERY_ID(n)` → the id as a string literal (NULL when there is none). */
export function rewriteLastQueryId(sql: string, ids: readonly string[]): string {
  return replaceInCode(sql, /\bLAST_QUERY_ID\s*\(\s*(-?\d+)?\s*\)/gi, (_o, m) => {
    const n = m[1] === undefined ? -1 : Number(m[1]);
    // Negative counts back from the most recent (-1); positive counts from the session's first (1).
    const id = n < 0 ? ids[ids.length + n] : ids[n - 1];
    return id === undefined ? 'NULL' : quoteString(id);
  });
}

/** The `RESULT_SCAN('<id>')` calls of a statement, with the span to replace (the `TABLE(…)` wrapper included). */
export function resultScans(sql: string): Array<{ from: number; to: number; id: string }> {
  const masked = mask(sql);
  const calls: Array<{ from: number; to: number; id: string }> = [];
  const re = /\b(?:TABLE\s*\(\s*)?RESULT_SCAN\s*\(\s*('(?:[^']|'')*')\s*\)/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(masked)) !== null) {
    const from = m.index;
    let to = m.index + m[0].length;
    if (/^TABLE/i.test(m[0])) {
      const open = masked.indexOf('(', from);
      const close = closingParen(masked, open);
      if (close < 0 || masked.slice(to, close).trim() !== '') continue;
      to = close + 1;
    }
    const literal = sql.slice(m.index + m[0].indexOf(m[1] as string), m.index + m[0].indexOf(m[1] as string) + (m[1] as string).length);
    calls.push({ from, to, id: literal.slice(1, -1).replace(/''/g, "'") });
  }
  return calls;
}

/** The DuckDB type that holds a result column of a Snowflake type. */
function duckType(type: string, scale: number | undefined): string {
  switch (type) {
    case 'NUMBER':
      return `DECIMAL(38,${scale ?? 0})`;
    case 'FLOAT':
      return 'DOUBLE';
    case 'BOOLEAN':
      return 'BOOLEAN';
    case 'DATE':
      return 'DATE';
    case 'TIME':
      return 'TIME';
    case 'TIMESTAMP_NTZ':
      return 'TIMESTAMP';
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return 'TIMESTAMPTZ';
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
      return 'JSON';
    default:
      return 'VARCHAR';
  }
}

/** The statements that make temporary table `name` hold `result`'s rows (inserted 500 rows at a time). */
export function materialize(name: string, result: StatementResult): Array<{ sql: string; params?: WireBind[] }> {
  const columns = result.columns.map((c) => `"${c.name.replace(/"/g, '""')}" ${duckType(c.type, c.scale)}`);
  const statements: Array<{ sql: string; params?: WireBind[] }> = [{ sql: `CREATE OR REPLACE TEMP TABLE ${name} (${columns.join(', ')})` }];
  const tuple = `(${result.columns.map(() => '?').join(', ')})`;
  const bind = (cell: unknown, i: number): WireBind => {
    const type = result.columns[i]?.type;
    if (cell === null || cell === undefined) return null;
    if (type === 'DATE') return { micros: BigInt(cell as number) * 86_400_000_000n, kind: 'DATE' };
    if (type === 'TIMESTAMP_NTZ') return { micros: BigInt(cell as bigint), kind: 'NTZ' };
    if (type === 'TIMESTAMP_LTZ' || type === 'TIMESTAMP_TZ') return { micros: BigInt(cell as bigint), kind: 'LTZ' };
    if (typeof cell === 'bigint') return cell.toString();
    return cell as WireBind;
  };
  for (let at = 0; at < result.raw.length; at += 500) {
    const rows = result.raw.slice(at, at + 500);
    statements.push({ sql: `INSERT INTO ${name} VALUES ${rows.map(() => tuple).join(', ')}`, params: rows.flatMap((row) => row.map(bind)) });
  }
  return statements;
}

/** The error for an id the session has no result for. */
export function unknownQuery(id: string, sql: string): LocalSnowflakeError {
  return new LocalSnowflakeError(709, '02000', `Statement ${id} not found`, sql);
}
