/**
 * Text inserted into timestamp columns converts as Snowflake converts it
 * (https://docs.snowflake.com/en/sql-reference/data-types-datetime, whose examples insert
 * `'2014-01-02 16:00:00 +00:00'` into TIMESTAMP_NTZ/LTZ/TZ columns): the engine's implicit
 * conversion took no offset after a space and dropped digits below the microsecond without a
 * word. In `INSERT INTO t [(cols)] VALUES …` a string literal bound for a timestamp column
 * becomes `SF_TO_NTZ('…')`/`SF_TO_LTZ('…')` (what a cast gives, functions/datetime.ts) and a
 * bound string has its offset respelled; `INSERT INTO t [(cols)] <query>` reads the query as a
 * subquery whose timestamp columns go through SF_TEXT_TO_NTZ/LTZ (text converts, nanoseconds
 * fail loudly, other types pass as they are).
 *
 * `UPDATE … SET col = …` and MERGE's `UPDATE SET` / `INSERT … VALUES` convert string literals,
 * bound strings and references to columns that may hold text (TimestampColumns.mayBeText)
 * assigned to timestamp columns the same way. Other
 * expressions, and comparisons, keep the engine's conversion (local/README.md, "Timestamp
 * precision").
 */
import { tokenize, type Token } from '../sql-text.js';
import { argumentRanges, closingParen, mask } from './rewrite.js';

/** A table's columns in order and which of them are timestamps (NTZ, or LTZ/TZ). */
export interface TimestampColumns {
  readonly columns: readonly string[];
  readonly kinds: ReadonlyMap<string, 'NTZ' | 'LTZ'>;
  /**
   * Whether a column reference (its last name part, as stored) may hold text: the name of a
   * VARCHAR column of some table. Others are left to the engine, so a statement moving
   * timestamps between timestamp columns binds no conversion (the sync's MERGE).
   */
  readonly mayBeText: (column: string) => boolean;
}

/** The JavaScript twin of functions/datetime.ts OFFSET_STEPS (bound strings, string literals). */
const OFFSET_STEPS: Array<[RegExp, string]> = [
  [/([T ][0-9]{1,2}:[0-9]{2})(\s*(?:[+-][0-9]{2}|[Zz])[0-9:]*)$/, '$1:00$2'],
  [/(:[0-9]{2}(?:[.][0-9]*)?)\s*([+-][0-9]{2}):?([0-9]{2})$/, '$1$2:$3'],
  [/(:[0-9]{2}(?:[.][0-9]*)?)\s*([+-][0-9]{2})$/, '$1$2:00'],
  [/(:[0-9]{2}(?:[.][0-9]*)?)\s*[Zz]$/, '$1+00:00'],
];

/** A bound string with its offset in the engine's spelling (`+05:00` right after the time). */
export function respellOffset(text: string): string {
  if (!/\d{4}-\d\d?-\d\d?[ T]\d/.test(text)) return text;
  return OFFSET_STEPS.reduce((t, [from, to]) => t.replace(from, to), text.trim());
}

const unquoteIdent = (t: Token): string => (t.kind === 'quoted' ? t.text.slice(1, -1).replace(/""/g, '"') : t.text.toUpperCase());

/**
 * The INSERT with its timestamp targets converted, and its binds (a bound string for a timestamp
 * column respelled). `info` describes the target table; anything not understood is left alone.
 */
export function convertInsertTimestamps(sql: string, binds: readonly unknown[], info: TimestampColumns): { sql: string; binds: unknown[] } {
  const same = { sql, binds: [...binds] };
  const code = tokenize(sql).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  const word = (i: number): string => (code[i]?.kind === 'word' ? (code[i] as Token).text.toUpperCase() : '');
  if (word(0) !== 'INSERT') return same;
  let i = 1;
  if (word(i) === 'OVERWRITE') i++;
  if (word(i) !== 'INTO') return same;
  i++;
  // The table name: words, quoted names and dots.
  while (code[i] && (code[i]?.kind === 'word' || code[i]?.kind === 'quoted' || code[i]?.text === '.') && !['VALUES', 'SELECT', 'WITH'].includes(word(i))) i++;
  let columns = info.columns;
  if (code[i]?.text === '(' && !['SELECT', 'WITH'].includes(word(i + 1))) {
    const names: string[] = [];
    let j = i + 1;
    for (; j < code.length && code[j]?.text !== ')'; j++) {
      const t = code[j] as Token;
      if (t.kind === 'word' || t.kind === 'quoted') names.push(unquoteIdent(t));
      else if (t.text !== ',') return same;
    }
    columns = names;
    i = j + 1;
  }
  const kinds = columns.map((c) => info.kinds.get(c) ?? info.kinds.get(c.toUpperCase()));
  if (!kinds.some((k) => k !== undefined)) return same;
  const start = code[i];
  if (!start) return same;
  const masked = mask(sql);
  if (word(i) === 'VALUES') return convertValues(sql, masked, binds, start.start + start.text.length, kinds, info.mayBeText);
  // A query: the rest of the statement.
  const query = sql.slice(start.start);
  const names = columns.map((_c, n) => `SF_C${n + 1}`);
  const list = names.map((n, k) => (kinds[k] ? `SF_TEXT_TO_${kinds[k]}(${n})` : n)).join(', ');
  return { sql: `${sql.slice(0, start.start)}SELECT ${list} FROM (${query}\n) AS SF_INSERTED(${names.join(', ')})`, binds: [...binds] };
}

/** Where each positional bind (`?` in order, or `:n`) of the statement starts: its index in the binds. */
function bindPositions(sql: string): Map<number, number> {
  const at = new Map<number, number>();
  let count = 0;
  for (const t of tokenize(sql)) {
    if (t.kind === 'bind') {
      at.set(t.start, t.text === '?' ? count : Number(t.text.slice(1)) - 1);
      count++;
    }
  }
  return at;
}

interface Edit {
  from: number;
  to: number;
  text: string;
}

/**
 * A value bound for a timestamp column of `kind` at sql[a, b): a string literal converts as a cast
 * does, a bound string has its offset respelled, a column reference goes through SF_TEXT_TO_*
 * (text converts; other types pass); anything else is left to the engine.
 */
function convertValue(sql: string, a: number, b: number, kind: 'NTZ' | 'LTZ', binds: unknown[], bindAt: Map<number, number>, edits: Edit[], mayBeText: (column: string) => boolean): void {
  const text = sql.slice(a, b);
  if (/^'(?:[^']|'')*'$/.test(text)) edits.push({ from: a, to: b, text: `SF_TO_${kind}(${text})` });
  else if (/^(?:\?|:\d+)$/.test(text)) {
    const bind = bindAt.get(a);
    if (bind !== undefined && typeof binds[bind] === 'string') binds[bind] = respellOffset(binds[bind] as string);
  } else if (
    /^(?:(?:"[^"]*"|[A-Za-z_][\w$]*)\s*\.\s*)*(?:"[^"]*"|[A-Za-z_][\w$]*)$/.test(text) &&
    !/^(?:NULL|DEFAULT|TRUE|FALSE|CURRENT_TIMESTAMP|CURRENT_DATE|LOCALTIMESTAMP)$/i.test(text) &&
    mayBeText(assignedColumn(text))
  ) {
    edits.push({ from: a, to: b, text: `SF_TEXT_TO_${kind}(${text})` });
  }
}

function applyEdits(sql: string, edits: Edit[]): string {
  let text = sql;
  for (const e of [...edits].sort((x, y) => y.from - x.from)) text = text.slice(0, e.from) + e.text + text.slice(e.to);
  return text;
}

/** `VALUES (…), (…)` from `from`: the values at timestamp positions. */
function convertRows(sql: string, masked: string, from: number, kinds: ReadonlyArray<'NTZ' | 'LTZ' | undefined>, binds: unknown[], bindAt: Map<number, number>, edits: Edit[], mayBeText: (column: string) => boolean): void {
  let at = from;
  for (;;) {
    while (at < masked.length && /[\s,]/.test(masked[at] as string)) at++;
    if (masked[at] !== '(') break;
    const close = closingParen(masked, at);
    if (close < 0) break;
    argumentRanges(sql, masked, at + 1, close).forEach(([a, b], k) => {
      const kind = kinds[k];
      if (kind) convertValue(sql, a, b, kind, binds, bindAt, edits, mayBeText);
    });
    at = close + 1;
  }
}

function convertValues(sql: string, masked: string, binds: readonly unknown[], from: number, kinds: ReadonlyArray<'NTZ' | 'LTZ' | undefined>, mayBeText: (column: string) => boolean): { sql: string; binds: unknown[] } {
  const out = [...binds];
  const edits: Edit[] = [];
  convertRows(sql, masked, from, kinds, out, bindPositions(sql), edits, mayBeText);
  return { sql: applyEdits(sql, edits), binds: out };
}

const kindOf = (info: TimestampColumns, column: string): 'NTZ' | 'LTZ' | undefined => info.kinds.get(column) ?? info.kinds.get(column.toUpperCase());

/** The column an assignment's left side names (`col`, `alias.col`, `"Col"`), as stored. */
function assignedColumn(lhs: string): string {
  const last = /(?:"((?:[^"]|"")*)"|([A-Za-z_][\w$]*))\s*$/.exec(lhs.trim());
  return last?.[1] !== undefined ? last[1].replace(/""/g, '"') : (last?.[2] ?? '').toUpperCase();
}

/** `SET a = x, b = y` in sql[from, to): the values assigned to timestamp columns. */
function convertAssignments(sql: string, masked: string, from: number, to: number, info: TimestampColumns, binds: unknown[], bindAt: Map<number, number>, edits: Edit[]): void {
  for (const [a, b] of argumentRanges(sql, masked, from, to)) {
    const eq = /(?<![<>!=])=(?!=)/.exec(masked.slice(a, b));
    if (!eq) continue;
    const kind = kindOf(info, assignedColumn(sql.slice(a, a + eq.index)));
    if (!kind) continue;
    let v = a + eq.index + 1;
    while (v < b && /\s/.test(sql[v] as string)) v++;
    convertValue(sql, v, b, kind, binds, bindAt, edits, info.mayBeText);
  }
}

/**
 * UPDATE … SET and MERGE's `THEN UPDATE SET …` / `THEN INSERT [(cols)] VALUES (…)`: values bound
 * for timestamp columns of the target table convert as a cast does (see convertValue).
 */
export function convertAssignedTimestamps(sql: string, binds: readonly unknown[], info: TimestampColumns): { sql: string; binds: unknown[] } {
  const masked = mask(sql);
  const out = [...binds];
  const edits: Edit[] = [];
  const bindAt = bindPositions(sql);
  if (/^\s*UPDATE\b/i.test(masked)) {
    const set = /\bSET\b/i.exec(masked);
    if (!set) return { sql, binds: out };
    const from = set.index + set[0].length;
    const tail = /\b(FROM|WHERE)\b/i.exec(masked.slice(from));
    convertAssignments(sql, masked, from, tail ? from + tail.index : masked.replace(/[\s;]+$/, '').length, info, out, bindAt, edits);
  } else if (/^\s*MERGE\b/i.test(masked)) {
    for (const m of masked.matchAll(/\bTHEN\s+UPDATE\s+SET\b/gi)) {
      const from = m.index + m[0].length;
      const next = /\bWHEN\b/i.exec(masked.slice(from));
      convertAssignments(sql, masked, from, next ? from + next.index : masked.replace(/[\s;]+$/, '').length, info, out, bindAt, edits);
    }
    for (const m of masked.matchAll(/\bTHEN\s+INSERT\s*(\(([^()]*)\))?\s*VALUES\s*/gi)) {
      const names = m[2] !== undefined ? sql.slice(m.index + m[0].indexOf('(') + 1, m.index + m[0].indexOf(')')).split(',').map((n) => assignedColumn(n)) : info.columns;
      const kinds = names.map((n) => kindOf(info, n));
      if (kinds.some((k) => k !== undefined)) convertRows(sql, masked, m.index + m[0].length, kinds, out, bindAt, edits, info.mayBeText);
    }
  }
  return { sql: applyEdits(sql, edits), binds: out };
}
