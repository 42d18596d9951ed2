/**
 * Regular-expression functions with Snowflake's arguments
 * (https://docs.snowflake.com/en/sql-reference/functions-regexp): `position` (1-based, where the
 * search starts), `occurrence` and the `parameters` letters c (case-sensitive, the default),
 * i (case-insensitive; the last of c and i wins), m (multi-line), s (`.` matches a newline) and
 * e (extract a group), given to the engine (RE2) as inline flags.
 * - REGEXP_REPLACE(subject, pattern [, replacement [, position [, occurrence [, parameters]]]])
 *   (https://docs.snowflake.com/en/sql-reference/functions/regexp_replace): occurrence 0, the
 *   default, replaces every match (DuckDB's regexp_replace only the first); n > 0 only the n-th.
 * - REGEXP_SUBSTR(subject, pattern [, position [, occurrence [, parameters [, group]]]])
 *   (https://docs.snowflake.com/en/sql-reference/functions/regexp_substr): the occurrence-th match
 *   (or its group; `e` alone means group 1), NULL when there is none.
 * - REGEXP_SUBSTR_ALL(subject, pattern [, position [, occurrence [, parameters [, group]]]])
 *   (https://docs.snowflake.com/en/sql-reference/functions/regexp_substr_all): an ARRAY of the
 *   matches from the occurrence-th on (empty when none).
 * - REGEXP_INSTR(subject, pattern [, position [, occurrence [, option [, parameters]]]])
 *   (https://docs.snowflake.com/en/sql-reference/functions/regexp_instr): the 1-based position of
 *   the match (option 1: just after it), 0 when there is none; a group number is not implemented.
 * - REGEXP_COUNT(subject, pattern [, position [, parameters]])
 *   (https://docs.snowflake.com/en/sql-reference/functions/regexp_count).
 * - REGEXP_LIKE / RLIKE(subject, pattern [, parameters])
 *   (https://docs.snowflake.com/en/sql-reference/functions/regexp_like): the whole subject must match.
 * - `subject [NOT] RLIKE pattern` / `subject [NOT] REGEXP pattern`, the operator forms
 *   (https://docs.snowflake.com/en/sql-reference/functions/rlike): REGEXP_LIKE. Their operands
 *   are found from tokens; an operand that is itself a sum or a concatenation must be
 *   parenthesised (refused by name otherwise).
 * The group, option and parameters that select a kind of result must be constants.
 */
import { notImplemented } from '../../errors.js';
import { tokenize, type Token } from '../../sql-text.js';
import { rewriteCalls } from './calls.js';
import type { FunctionFamily } from './family.js';
import { leftOperandStart, rightOperandEnd } from './operands.js';

/** Tokens that would bind an operand of RLIKE more loosely than the rewrite can see. */
const LOOSER = new Set(['+', '-', '||']);

/** `a [NOT] RLIKE b` / `a [NOT] REGEXP b` → `[NOT ]SF_REGEXP_LIKE(a, b, '')`. */
export function rewriteRlikeOperators(sql: string): string {
  if (!/\b(?:RLIKE|REGEXP)\b/i.test(sql)) return sql;
  const tokens = tokenize(sql).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  const edits: Array<{ from: number; to: number; text: string }> = [];
  tokens.forEach((t, i) => {
    if (t.kind !== 'word' || !/^(?:RLIKE|REGEXP)$/i.test(t.text) || tokens[i + 1]?.text === '(') return;
    const negated = /^NOT$/i.test(tokens[i - 1]?.text ?? '');
    const opAt = negated ? i - 1 : i;
    // leftOperandStart reads the operand before the token at opAt.
    const left = leftOperandStart(tokens, opAt);
    const right = rightOperandEnd(tokens, i);
    const before = tokens[left - 1];
    const after = tokens[right + 1];
    if (left < 0 || right < 0 || (before && LOOSER.has(before.text)) || (after && (LOOSER.has(after.text) || ['*', '/', '%'].includes(after.text)))) {
      throw notImplemented(`the ${t.text.toUpperCase()} operator with an operand that is not a name, literal, call or parenthesised expression (parenthesise it)`, sql);
    }
    const start = (tokens[left] as Token).start;
    const end = (tokens[right] as Token).start + (tokens[right] as Token).text.length;
    const subject = sql.slice(start, (tokens[opAt - 1] as Token).start + (tokens[opAt - 1] as Token).text.length);
    const pattern = sql.slice((tokens[i + 1] as Token).start, end);
    edits.push({ from: start, to: end, text: `${negated ? 'NOT ' : ''}SF_REGEXP_LIKE(${subject}, ${pattern}, '')` });
  });
  let out = sql;
  for (const e of edits.reverse()) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}

/** The last index (1-based) of the letter in f, 0 when absent. */
const lastIndex = (f: string, letter: string): string => `CASE WHEN instr(${f}, '${letter}') = 0 THEN 0 ELSE length(${f}) - instr(reverse(${f}), '${letter}') + 1 END`;

/** Pattern p with the inline flags that the parameters f ask for. */
const FLAGS =
  `(CASE WHEN ${lastIndex('f', 'i')} > ${lastIndex('f', 'c')} THEN 'i' ELSE '' END || ` +
  `CASE WHEN contains(f, 'm') THEN 'm' ELSE '' END || CASE WHEN contains(f, 's') THEN 's' ELSE '' END)`;

const NAMES = new Set(['REGEXP_REPLACE', 'REGEXP_SUBSTR', 'REGEXP_SUBSTR_ALL', 'REGEXP_INSTR', 'REGEXP_COUNT', 'REGEXP_LIKE', 'RLIKE']);

const NOT_IMPLEMENTED = (what: string): string => `CAST(SF_RAISE('SF_LOCAL_NOT_IMPLEMENTED:${what}') AS VARCHAR)`;

export const regexp: FunctionFamily = {
  name: 'regular expressions (REGEXP_REPLACE, REGEXP_SUBSTR, REGEXP_SUBSTR_ALL, REGEXP_INSTR, REGEXP_COUNT, REGEXP_LIKE, RLIKE)',
  setup: [
    `CREATE OR REPLACE MACRO SF_RE(p, f) AS CASE WHEN f IS NULL OR ${FLAGS} = '' THEN p ELSE '(?' || ${FLAGS} || ')' || p END`,
    // The text before the o-th match: lazily skip o - 1 matches, then the shortest prefix.
    `CREATE OR REPLACE MACRO SF_REGEXP_INSTR(s, p, n, o, e, f) AS CASE WHEN s IS NULL OR p IS NULL THEN NULL ` +
      `WHEN length(regexp_extract_all(substr(s, n), SF_RE(p, f))) < o THEN 0 ` +
      `ELSE n + length(regexp_extract(substr(s, n), '(?s)^((?:.*?(?:' || SF_RE(p, f) || ')){' || (o - 1) || '}.*?)(?:' || SF_RE(p, f) || ')', 1)) ` +
      `+ CASE WHEN e = 1 THEN length(regexp_extract_all(substr(s, n), SF_RE(p, f))[o]) ELSE 0 END END`,
    // The subject from position n (the part before it is kept by REGEXP_REPLACE).
    `CREATE OR REPLACE MACRO SF_REGEXP_REPLACE(s, p, r, n, o, f) AS CASE ` +
      `WHEN o = 0 THEN substr(s, 1, n - 1) || regexp_replace(substr(s, n), SF_RE(p, f), r, 'g') ` +
      `WHEN o = 1 THEN substr(s, 1, n - 1) || regexp_replace(substr(s, n), SF_RE(p, f), r) ` +
      // A later occurrence: from where it starts (REGEXP_INSTR), its first match is that one.
      `WHEN o > 1 THEN CASE WHEN SF_REGEXP_INSTR(s, p, n, o, 0, f) = 0 THEN s ELSE substr(s, 1, SF_REGEXP_INSTR(s, p, n, o, 0, f) - 1) || ` +
      `regexp_replace(substr(s, SF_REGEXP_INSTR(s, p, n, o, 0, f)), SF_RE(p, f), r) END ` +
      `ELSE ${NOT_IMPLEMENTED('REGEXP_REPLACE with a negative occurrence')} END`,
    `CREATE OR REPLACE MACRO SF_REGEXP_SUBSTR(s, p, n, o, f, g) AS regexp_extract_all(substr(s, n), SF_RE(p, f), g)[o]`,
    `CREATE OR REPLACE MACRO SF_REGEXP_SUBSTR_ALL(s, p, n, o, f, g) AS CASE WHEN s IS NULL OR p IS NULL THEN NULL ` +
      `ELSE CAST(to_json((regexp_extract_all(substr(s, n), SF_RE(p, f), g))[o:]) AS JSON) END`,
    `CREATE OR REPLACE MACRO SF_REGEXP_COUNT(s, p, n, f) AS length(regexp_extract_all(substr(s, n), SF_RE(p, f)))`,
    `CREATE OR REPLACE MACRO SF_REGEXP_LIKE(s, p, f) AS regexp_full_match(s, SF_RE(p, f))`,
  ],
  beforeCasts: true,
  rewrite(sql) {
    if (!/REGEXP|RLIKE/i.test(sql)) return sql;
    return rewriteCalls(rewriteRlikeOperators(sql), NAMES, (name, args) => {
      const a = (i: number, fallback: string): string => args[i] ?? fallback;
      switch (name) {
        case 'REGEXP_REPLACE':
          if (args.length < 2 || args.length > 6) return null;
          return `SF_REGEXP_REPLACE(${a(0, '')}, ${a(1, '')}, ${a(2, "''")}, ${a(3, '1')}, ${a(4, '0')}, ${a(5, "''")})`;
        case 'REGEXP_SUBSTR':
        case 'REGEXP_SUBSTR_ALL': {
          if (args.length < 2 || args.length > 6) return null;
          const group = args[5] ?? `CASE WHEN contains(${a(4, "''")}, 'e') THEN 1 ELSE 0 END`;
          return `SF_${name}(${a(0, '')}, ${a(1, '')}, ${a(2, '1')}, ${a(3, '1')}, ${a(4, "''")}, ${group})`;
        }
        case 'REGEXP_INSTR':
          if (args.length > 6) throw notImplemented('REGEXP_INSTR with a group number', sql);
          if (args.length < 2) return null;
          return `SF_REGEXP_INSTR(${a(0, '')}, ${a(1, '')}, ${a(2, '1')}, ${a(3, '1')}, ${a(4, '0')}, ${a(5, "''")})`;
        case 'REGEXP_COUNT':
          if (args.length < 2 || args.length > 4) return null;
          return `SF_REGEXP_COUNT(${a(0, '')}, ${a(1, '')}, ${a(2, '1')}, ${a(3, "''")})`;
        default:
          if (args.length < 2 || args.length > 3) return null;
          return `SF_REGEXP_LIKE(${a(0, '')}, ${a(1, '')}, ${a(2, "''")})`;
      }
    });
  },
};
