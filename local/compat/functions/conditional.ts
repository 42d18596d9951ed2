/**
 * Functions where NULL decides, as Snowflake has them:
 * - GREATEST / LEAST: NULL when any argument is NULL
 *   (https://docs.snowflake.com/en/sql-reference/functions/greatest,
 *   https://docs.snowflake.com/en/sql-reference/functions/least); DuckDB's skip NULLs.
 * - CONCAT / CONCAT_WS: NULL when any argument is NULL
 *   (https://docs.snowflake.com/en/sql-reference/functions/concat,
 *   https://docs.snowflake.com/en/sql-reference/functions/concat_ws); DuckDB's skip them.
 * - GREATEST_IGNORE_NULLS / LEAST_IGNORE_NULLS
 *   (https://docs.snowflake.com/en/sql-reference/functions/greatest_ignore_nulls): DuckDB's
 *   greatest/least, which skip NULLs.
 * - BITAND_AGG / BITOR_AGG / BITXOR_AGG (https://docs.snowflake.com/en/sql-reference/functions/bitand_agg):
 *   DuckDB's bit_and/bit_or/bit_xor.
 * - DECODE(expr, search1, result1, … [, default]): the first search equal to expr, NULL matching
 *   NULL (https://docs.snowflake.com/en/sql-reference/functions/decode); DuckDB's decode is a
 *   BLOB function.
 * - NVL2, EQUAL_NULL, NULLIFZERO (missing in DuckDB):
 *   https://docs.snowflake.com/en/sql-reference/functions/nvl2,
 *   https://docs.snowflake.com/en/sql-reference/functions/equal_null,
 *   https://docs.snowflake.com/en/sql-reference/functions/nullifzero.
 * - COUNT([DISTINCT] a, b, …) (https://docs.snowflake.com/en/sql-reference/functions/count): the rows
 *   (distinct combinations) where no argument is NULL; DuckDB's count takes one argument.
 * - BOOLAND_AGG / BOOLOR_AGG (https://docs.snowflake.com/en/sql-reference/functions/booland_agg,
 *   https://docs.snowflake.com/en/sql-reference/functions/boolor_agg): DuckDB's bool_and/bool_or.
 * COALESCE, IFNULL, NULLIF and NVL agree in both engines.
 * Calls are rewritten into CASE expressions (they take variable argument lists), from tokens
 * before the other rewrites, so the SQL those generate keeps DuckDB's own functions.
 */
import { notImplemented } from '../../errors.js';
import { numberPositionalBinds, rewriteCalls } from './calls.js';
import type { FunctionFamily } from './family.js';

const NAMES = new Set(['GREATEST', 'LEAST', 'CONCAT', 'CONCAT_WS', 'DECODE', 'COUNT', 'GREATEST_IGNORE_NULLS', 'LEAST_IGNORE_NULLS']);

const anyNull = (args: string[]): string => args.map((a) => `(${a}) IS NULL`).join(' OR ');

export const conditional: FunctionFamily = {
  name: 'conditional (GREATEST, LEAST, CONCAT, DECODE, COUNT of several, NVL2, EQUAL_NULL, NULLIFZERO, BOOLAND_AGG, BOOLOR_AGG)',
  setup: [
    `CREATE OR REPLACE MACRO NVL2(a, b, c) AS CASE WHEN a IS NOT NULL THEN b ELSE c END`,
    `CREATE OR REPLACE MACRO EQUAL_NULL(a, b) AS a IS NOT DISTINCT FROM b`,
    `CREATE OR REPLACE MACRO NULLIFZERO(a) AS nullif(a, 0)`,
    `CREATE OR REPLACE MACRO BITAND_AGG(x) AS bit_and(CAST(x AS HUGEINT))`,
    `CREATE OR REPLACE MACRO BITOR_AGG(x) AS bit_or(CAST(x AS HUGEINT))`,
    `CREATE OR REPLACE MACRO BITXOR_AGG(x) AS bit_xor(CAST(x AS HUGEINT))`,
    `CREATE OR REPLACE MACRO BOOLAND_AGG(b) AS bool_and(CAST(b AS BOOLEAN))`,
    `CREATE OR REPLACE MACRO BOOLOR_AGG(b) AS bool_or(CAST(b AS BOOLEAN))`,
  ],
  beforeCasts: true,
  rewrite(sql) {
    if (!/GREATEST|LEAST|CONCAT|DECODE|COUNT/i.test(sql)) return sql;
    // The rewrites below repeat arguments' text: anonymous binds are numbered first.
    return rewriteCalls(numberPositionalBinds(sql), NAMES, (name, args) => {
      if (name === 'COUNT') {
        if (args.length < 2) return null;
        const [first, ...rest] = args as [string, ...string[]];
        const distinct = /^DISTINCT\s+/i.exec(first);
        const values = [distinct ? first.slice(distinct[0].length) : first, ...rest];
        const allSet = values.map((a) => `(${a}) IS NOT NULL`).join(' AND ');
        return `count(${distinct ? 'DISTINCT ' : ''}CASE WHEN ${allSet} THEN row(${values.join(', ')}) END)`;
      }
      if (name === 'DECODE') {
        if (args.length < 3) throw notImplemented('DECODE with fewer than three arguments', sql);
        const [subject, ...rest] = args as [string, ...string[]];
        let out = 'CASE';
        for (let i = 0; i + 1 < rest.length; i += 2) out += ` WHEN (${subject}) IS NOT DISTINCT FROM (${rest[i]}) THEN ${rest[i + 1]}`;
        if (rest.length % 2 === 1) out += ` ELSE ${rest[rest.length - 1]}`;
        return `${out} END`;
      }
      if (args.length === 0) return null;
      if (name.endsWith('_IGNORE_NULLS')) return `${name === 'GREATEST_IGNORE_NULLS' ? 'greatest' : 'least'}(${args.join(', ')})`;
      return `CASE WHEN ${anyNull(args)} THEN NULL ELSE ${name.toLowerCase()}(${args.join(', ')}) END`;
    });
  },
};
