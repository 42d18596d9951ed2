/**
 * Rewrites calls of named functions in one pass over one masked copy of the statement: each
 * call's arguments are rewritten first (calls nested in them included), then `build` turns the
 * call into its replacement. Linear in the statement's length, so a bulk `INSERT … VALUES` with a
 * call per row stays cheap (compare rewriteFormatLiterals in compat/functions.ts).
 */
import { tokenize } from '../../sql-text.js';
import { argumentRanges, closingParen, mask } from '../rewrite.js';

/**
 * `build(name, args)` gets the upper-cased function name and its rewritten arguments, and returns
 * the replacement text, or null to keep the call as written (its arguments still rewritten);
 * `before` is the word or character of code before the name (`*` in `SELECT * REPLACE (…)`,
 * `THEN` in MERGE's `THEN INSERT (…)`).
 */
export type CallBuilder = (name: string, args: string[], before: string) => string | null;

/** Rewrites every call `NAME(…)` whose name `names` matches (upper case; not after `.`). */
export function rewriteCalls(sql: string, names: ReadonlySet<string>, build: CallBuilder): string {
  const masked = mask(sql);
  const call = /(?<![\w$.])([A-Za-z_][\w$]*)\s*\(/g;
  let changed = false;

  const rewriteRange = (start: number, end: number): string => {
    let out = '';
    let emitted = start;
    let from = start;
    for (;;) {
      call.lastIndex = from;
      const m = call.exec(masked);
      if (!m || m.index >= end) break;
      const name = (m[1] ?? '').toUpperCase();
      const open = m.index + m[0].length - 1;
      if (!names.has(name)) {
        from = open + 1;
        continue;
      }
      const close = closingParen(masked, open);
      if (close < 0 || close >= end) {
        from = open + 1;
        continue;
      }
      const args = argumentRanges(sql, masked, open + 1, close).map(([a, b]) => rewriteRange(a, b));
      const before = /([\w$]+|\S)\s*$/.exec(masked.slice(Math.max(0, m.index - 200), m.index))?.[1] ?? '';
      const replacement = build(name, args, before);
      out += sql.slice(emitted, m.index) + (replacement ?? `${sql.slice(m.index, open + 1)}${args.join(', ')})`);
      changed = true;
      emitted = close + 1;
      from = close + 1;
    }
    return out + sql.slice(emitted, end);
  };

  const out = rewriteRange(0, sql.length);
  return changed ? out : sql;
}

/**
 * `?` binds → `$1`, `$2`, … in order, so that a rewrite may repeat an argument's text (GREATEST's
 * NULL test, AVG's SUM and COUNT) without repeating an anonymous bind, which would ask for one more
 * value. Statements with numbered binds (`:1`, `$1`) or none are returned as they are.
 */
export function numberPositionalBinds(sql: string): string {
  if (!sql.includes('?')) return sql;
  const binds = tokenize(sql).filter((t) => t.kind === 'bind');
  if (binds.length === 0 || binds.some((t) => t.text !== '?')) return sql;
  let out = '';
  let last = 0;
  binds.forEach((t, i) => {
    out += `${sql.slice(last, t.start)}$${i + 1}`;
    last = t.start + 1;
  });
  return out + sql.slice(last);
}
