/**
 * FLATTEN, the table function that explodes an ARRAY or OBJECT into rows
 * (https://docs.snowflake.com/en/sql-reference/functions/flatten): `TABLE(FLATTEN(INPUT => e))`,
 * `LATERAL FLATTEN(INPUT => e)` and a bare `FLATTEN(…)` in FROM, correlated with the tables before
 * it, become a subquery over DuckDB's `json_each` with FLATTEN's columns:
 * KEY (an object's key, else NULL), PATH (`[i]`, `key` or `['key']`), INDEX (an array's index, else
 * NULL), VALUE, THIS (the value flattened). A value that is not an ARRAY or OBJECT, or an empty
 * one, gives no row (OUTER => FALSE).
 *
 * Not implemented (refused, naming it): PATH, OUTER => TRUE, RECURSIVE => TRUE, MODE other than
 * 'BOTH', and the SEQ column (unique per input row; nothing here numbers the outer rows) —
 * including through `*`.
 */
import { notImplemented } from '../../errors.js';
import { tokenize } from '../../sql-text.js';
import { closingParen, mask, splitTopLevel } from '../rewrite.js';
import type { FunctionFamily } from './family.js';

const FLATTEN_COLUMNS =
  `CASE WHEN json_type(sf_flatten_in.THIS) = 'OBJECT' THEN sf_flatten_each.key END AS "KEY", ` +
  `CASE WHEN json_type(sf_flatten_in.THIS) = 'ARRAY' THEN '[' || sf_flatten_each.key || ']' ` +
  `WHEN regexp_matches(sf_flatten_each.key, '^[A-Za-z_][A-Za-z0-9_]*$') THEN sf_flatten_each.key ` +
  `ELSE '[''' || sf_flatten_each.key || ''']' END AS "PATH", ` +
  `CASE WHEN json_type(sf_flatten_in.THIS) = 'ARRAY' THEN CAST(sf_flatten_each.key AS BIGINT) END AS "INDEX", ` +
  `sf_flatten_each.value AS "VALUE", sf_flatten_in.THIS AS "THIS"`;

/** The subquery standing for FLATTEN over the expression `input`. */
function flattenQuery(input: string): string {
  return (
    `(SELECT ${FLATTEN_COLUMNS} FROM (SELECT CAST((${input}) AS JSON) AS THIS) AS sf_flatten_in, ` +
    `json_each(sf_flatten_in.THIS) AS sf_flatten_each WHERE json_type(sf_flatten_in.THIS) IN ('ARRAY', 'OBJECT'))`
  );
}

/** The INPUT of FLATTEN's argument list; the options it cannot honour are refused. */
function flattenInput(args: string, sql: string): string {
  let input: string | undefined;
  for (const arg of splitTopLevel(args)) {
    const named = /^([A-Za-z_]+)\s*=>\s*([\s\S]+)$/.exec(arg);
    const name = named ? (named[1] as string).toUpperCase() : 'INPUT';
    const value = named ? (named[2] as string).trim() : arg;
    if (name === 'INPUT') input = value;
    else if (name === 'OUTER' && /^FALSE$/i.test(value)) continue;
    else if (name === 'RECURSIVE' && /^FALSE$/i.test(value)) continue;
    else if (name === 'MODE' && /^'BOTH'$/i.test(value)) continue;
    else if (name === 'PATH' && value === "''") continue;
    else throw notImplemented(`FLATTEN's ${name} => ${value}`, sql);
  }
  if (input === undefined) throw notImplemented('FLATTEN without INPUT', sql);
  return input;
}

export const flatten: FunctionFamily = {
  name: 'FLATTEN',
  setup: [],
  rewrite(sql) {
    if (!/FLATTEN/i.test(sql)) return sql;
    let out = sql;
    let rewritten = false;
    for (;;) {
      const masked = mask(out);
      const calls = [...masked.matchAll(/(?<![\w$.])(TABLE\s*\(\s*)?FLATTEN\s*\(/gi)];
      const last = calls[calls.length - 1];
      if (!last) break;
      const open = last.index + last[0].length - 1;
      const close = closingParen(masked, open);
      if (close < 0) return out;
      let end = close + 1;
      if (last[1]) {
        // TABLE( … ): its own closing parenthesis follows.
        const rest = /^\s*\)/.exec(masked.slice(end));
        if (!rest) throw notImplemented('TABLE(FLATTEN(…) …) with more than the call', sql);
        end += rest[0].length;
      }
      out = out.slice(0, last.index) + flattenQuery(flattenInput(out.slice(open + 1, close), sql)) + out.slice(end);
      rewritten = true;
    }
    if (rewritten) {
      // SEQ cannot be given (see above): refuse it, and `*`, which would silently leave it out.
      const code = tokenize(sql).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
      code.forEach((t, i) => {
        if (t.kind === 'word' && t.text.toUpperCase() === 'SEQ') throw notImplemented("FLATTEN's SEQ column", sql);
        const before = code[i - 1]?.text.toUpperCase();
        if (t.text === '*' && (before === 'SELECT' || before === '.' || before === ',')) throw notImplemented("SELECT * over FLATTEN (its SEQ column is not implemented; name the columns)", sql);
      });
    }
    return out;
  },
};
