/**
 * Numeric format models (https://docs.snowflake.com/en/sql-reference/sql-format-models):
 * `TO_CHAR` / `TO_VARCHAR(number, 'format')` and `TO_DECIMAL` / `TO_NUMBER` / `TO_NUMERIC(text,
 * 'format' [, precision [, scale]])`, plus the forms without a format
 * (https://docs.snowflake.com/en/sql-reference/functions/to_char,
 * https://docs.snowflake.com/en/sql-reference/functions/to_decimal).
 *
 * The format (a string literal) is parsed here, element by element, into a model; the model is
 * turned into one DuckDB expression that prints the number position by position, or into a
 * regular expression that matches input text and the expression that builds the number from what
 * it matched. Supported fixed-position elements: `9`, `0`, `.`/`D`, `,`/`G`, `$`, `B`, `S` and
 * `MI` (before or after the digits), `X`/`x` (hexadecimal, with leading `0`s), `FM` (at the start:
 * compact mode), `_`, `FX` (printing only), literals in double quotes and `; : - = / ( )`, and
 * `|` between alternatives when parsing. In fill mode the default sign takes one position before
 * the first digit; overflow prints `#` for every digit. Everything else — the exponent elements
 * (`EE`…), text-minimal `TM`/`TM9`/`TME`, `%`, `FM` anywhere but the start, `FX` when parsing,
 * digit patterns whose meaning the documentation leaves open (a `9` after a `0` in the integer
 * part, a `0` after a `9` in the fraction), and values whose printing it leaves open (a negative
 * number that rounds to zero, overflow with group separators, a negative hexadecimal below the
 * sign bit) — fails as not implemented, naming it.
 */
import { notImplemented } from '../../errors.js';
import { quoteString, unquoteString } from '../../sql-text.js';
import { argumentRanges, closingParen, mask } from '../rewrite.js';
import type { FunctionFamily } from './family.js';

/** One element of a numeric format model, as the lexer reads it. */
type Token =
  | { t: 'digit'; d: '0' | '9' | 'X' | 'x' }
  | { t: 'point' }
  | { t: 'group' }
  | { t: 'dollar' }
  | { t: 'blank' }
  | { t: 'S' }
  | { t: 'MI' }
  | { t: 'FM' }
  | { t: 'FX' }
  | { t: 'underscore' }
  | { t: 'literal'; text: string }
  | { t: 'bar' }
  | { t: 'unsupported'; what: string };

/** A printed piece outside the number: a literal, or a sign fixed at its place. */
type Item = { t: 'literal'; text: string } | { t: 'sign'; kind: 'S' | 'MI' };

/** One alternative of a numeric format model. */
export interface NumericModel {
  /** Pieces before the number, in order. */
  before: Item[];
  /** Pieces after the number, in order. */
  after: Item[];
  /** The sign: the default reserved position, S anchored before the digits, or fixed (an Item). */
  sign: 'default' | 'anchored' | 'fixed';
  dollar: boolean;
  /** B: a zero integer part prints as spaces. */
  blankZero: boolean;
  /** Integer digit positions, left to right ('X'/'x' for hexadecimal). */
  integer: Array<'0' | '9' | 'X' | 'x'>;
  /** Group separators: before which integer position (index ≥ 1). */
  groups: number[];
  point: boolean;
  fraction: Array<'0' | '9'>;
  hex: boolean;
  /** FM at the start: spaces the number's elements print are left out. */
  compact: boolean;
  /** FX appeared (exact match mode when parsing). */
  exact: boolean;
}

/** What a format string is: a numeric model (one per `|` alternative), a date format, or a numeric one using what is not implemented. */
export type Classified = { kind: 'numeric'; models: NumericModel[] } | { kind: 'unsupported'; what: string } | null;

/**
 * The tokens of a format string, or null when a character belongs to no numeric element (a date
 * format such as `YYYY-MM-DD` or `HH24:MI`).
 */
function lex(format: string): Token[] | null {
  const out: Token[] = [];
  let i = 0;
  const at = (k: number): string => format[i + k] ?? '';
  const up = (k: number): string => at(k).toUpperCase();
  while (i < format.length) {
    const c = at(0);
    const u = c.toUpperCase();
    if (c === '"') {
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= format.length) return null;
        if (format[j] === '"' && format[j + 1] === '"') {
          text += '"';
          j += 2;
        } else if (format[j] === '"') break;
        else text += format[j++];
      }
      out.push({ t: 'literal', text });
      i = j + 1;
    } else if (c === '0' || c === '9') {
      out.push({ t: 'digit', d: c });
      i++;
    } else if (c === 'X' || c === 'x') {
      out.push({ t: 'digit', d: c });
      i++;
    } else if (c === '.' || u === 'D') {
      out.push({ t: 'point' });
      i++;
    } else if (c === ',' || u === 'G') {
      out.push({ t: 'group' });
      i++;
    } else if (c === '$') {
      out.push({ t: 'dollar' });
      i++;
    } else if (u === 'B') {
      out.push({ t: 'blank' });
      i++;
    } else if (u === 'M' && up(1) === 'I') {
      out.push({ t: 'MI' });
      i += 2;
    } else if (u === 'S') {
      out.push({ t: 'S' });
      i++;
    } else if (u === 'F' && up(1) === 'M') {
      out.push({ t: 'FM' });
      i += 2;
    } else if (u === 'F' && up(1) === 'X') {
      out.push({ t: 'FX' });
      i += 2;
    } else if (c === '_') {
      out.push({ t: 'underscore' });
      i++;
    } else if (';:-=/()'.includes(c)) {
      out.push({ t: 'literal', text: c });
      i++;
    } else if (c === '|') {
      out.push({ t: 'bar' });
      i++;
    } else if (u === 'E') {
      let j = i;
      while (format[j]?.toUpperCase() === 'E') j++;
      out.push({ t: 'unsupported', what: `the exponent element ${format.slice(i, j)}` });
      i = j;
    } else if (u === 'T' && up(1) === 'M') {
      const n = up(2) === '9' || up(2) === 'E' ? 3 : 2;
      out.push({ t: 'unsupported', what: `the text-minimal element ${format.slice(i, i + n)}` });
      i += n;
    } else if (c === '%') {
      out.push({ t: 'unsupported', what: 'the element %' });
      i++;
    } else {
      return null;
    }
  }
  return out;
}

/**
 * Classifies and parses a format string (the value of the literal). A string of numeric elements
 * with at least one digit element (`0`, `9`, `X`) or a numeric element not implemented here (`EE`,
 * `TM9` …) is a numeric model; anything else is left to the date formats (null).
 */
export function classifyFormat(format: string): Classified {
  const tokens = lex(format);
  // A date format has no digit element, nor one of the numeric elements not implemented here.
  if (!tokens || !tokens.some((t) => t.t === 'digit' || t.t === 'unsupported')) return null;
  const unsupported = tokens.find((t): t is { t: 'unsupported'; what: string } => t.t === 'unsupported');
  if (unsupported) return { kind: 'unsupported', what: unsupported.what };
  const alternatives: Token[][] = [[]];
  for (const t of tokens) {
    if (t.t === 'bar') alternatives.push([]);
    else (alternatives[alternatives.length - 1] as Token[]).push(t);
  }
  const models: NumericModel[] = [];
  for (const alt of alternatives) {
    const model = build(alt);
    if (typeof model === 'string') return { kind: 'unsupported', what: model };
    models.push(model);
  }
  return { kind: 'numeric', models };
}

/** The model of one alternative, or what in it is not implemented. */
function build(tokens: Token[]): NumericModel | string {
  const m: NumericModel = { before: [], after: [], sign: 'default', dollar: false, blankZero: false, integer: [], groups: [], point: false, fraction: [], hex: false, compact: false, exact: false };
  let phase: 'before' | 'integer' | 'fraction' | 'after' = 'before';
  let signs = 0;
  /** S or $ or B seen, which must be followed directly by the digits. */
  let pendingAnchor = false;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k] as Token;
    switch (t.t) {
      case 'FM':
        if (k !== 0) return 'FM other than at the start of the format';
        m.compact = true;
        break;
      case 'FX':
        m.exact = true;
        break;
      case 'underscore':
        if (phase === 'integer' || phase === 'fraction' || pendingAnchor) return '_ between the elements of the number';
        break;
      case 'literal':
        if (phase === 'integer' || phase === 'fraction') phase = 'after';
        if (pendingAnchor) return `a literal between ${m.sign === 'anchored' ? 'S' : m.dollar ? '$' : 'B'} and the digits`;
        (phase === 'before' ? m.before : m.after).push({ t: 'literal', text: t.text });
        break;
      case 'MI':
      case 'S':
        if (++signs > 1) return 'more than one sign element (S, MI)';
        if (phase === 'integer' || phase === 'fraction') phase = 'after';
        if (phase === 'after') {
          m.after.push({ t: 'sign', kind: t.t });
          m.sign = 'fixed';
        } else if (pendingAnchor) {
          return `${t.t} after $ or B`;
        } else if (t.t === 'S') {
          // S before the digits is anchored to the number: printed right before its first digit.
          m.sign = 'anchored';
          pendingAnchor = true;
        } else {
          m.before.push({ t: 'sign', kind: 'MI' });
          m.sign = 'fixed';
        }
        break;
      case 'dollar':
        if (phase !== 'before' || m.dollar) return '$ other than once before the digits';
        m.dollar = true;
        pendingAnchor = true;
        break;
      case 'blank':
        if (phase !== 'before' || m.blankZero) return 'B other than once before the digits';
        m.blankZero = true;
        pendingAnchor = true;
        break;
      case 'digit': {
        const hexDigit = t.d === 'X' || t.d === 'x';
        if (phase === 'after') return 'digit elements after a literal or a sign that follows the digits';
        if (phase === 'before') phase = 'integer';
        pendingAnchor = false;
        if (phase === 'fraction') {
          if (hexDigit) return 'hexadecimal fractions';
          if (t.d === '0' && m.fraction.includes('9')) return 'a 0 after a 9 in the fraction';
          m.fraction.push(t.d as '0' | '9');
        } else {
          if (hexDigit) m.hex = true;
          if (t.d === '9' && m.integer.includes('0')) return 'a 9 after a 0 in the integer part';
          m.integer.push(t.d);
        }
        break;
      }
      case 'point':
        if (phase !== 'integer') return phase === 'fraction' ? 'a second decimal point' : "'.' or 'D' not after a digit element";
        m.point = true;
        phase = 'fraction';
        break;
      case 'group':
        if (phase !== 'integer') return phase === 'fraction' ? 'a group separator in the fraction' : "',' or 'G' not after a digit element";
        if (tokens[k + 1]?.t !== 'digit') return 'a group separator not followed by a digit';
        m.groups.push(m.integer.length);
        break;
      case 'bar':
      case 'unsupported':
        return 'this format';
    }
  }
  if (m.integer.length === 0) return 'a format without integer digit positions';
  if (m.hex) {
    // 0 positions (kept zeros) first, then X or x (all of one case).
    if (!/^0*(X+|x+)$/.test(m.integer.join(''))) return 'a hexadecimal format other than 0…0X…X (9 with X, X and x, 0 after X)';
    if (m.point || m.groups.length > 0 || m.dollar || m.blankZero) return 'X with a decimal point, group separators, $ or B';
    if (m.integer.length > 13) return 'more than 13 hexadecimal digits';
  }
  if (m.integer.length + m.fraction.length > 37) return 'more than 37 digit positions';
  return m;
}

// ---------------------------------------------------------------------------------------------
// Printing: TO_CHAR / TO_VARCHAR(number, 'format')

const NUMERIC_TYPE = `(typeof(sf_n) IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT', 'FLOAT', 'DOUBLE') OR typeof(sf_n) LIKE 'DECIMAL(%')`;

const lit = (s: string): string => quoteString(s);
const notImplementedSql = (what: string): string => `error(${lit(`SF_LOCAL_NOT_IMPLEMENTED:${what}`)})`;

/**
 * The SQL printing `value` (an expression) by the model. The value is handled as exact decimal
 * text (`sf_x`): a fixed-point number's own digits, a floating-point number's binary value
 * written out with 17 more fraction digits than the format shows. It is rounded half away from
 * zero by its first dropped digit (so no rounding happens twice), and printed position by
 * position from the text of its absolute value (`sf_t`). Working on text also lets a value of
 * any other type reach the not-implemented branch rather than fail DuckDB's binding.
 */
export function printSql(value: string, m: NumericModel, format: string): string {
  const neg = "starts_with(sf_x, '-')";
  const signOf = (kind: 'S' | 'MI' | 'default'): string => `CASE WHEN ${neg} THEN '-' ELSE ${kind === 'S' ? "'+'" : "' '"} END`;
  const squeeze = (sql: string): string => (m.compact ? `replace(${sql}, ' ', '')` : sql);
  const anchored = [m.sign === 'default' && !m.hex ? signOf('default') : m.sign === 'anchored' ? signOf('S') : "''", m.dollar ? "'$'" : "''"].join(' || ');
  const items = (list: Item[]): string[] => list.map((it) => (it.t === 'literal' ? lit(it.text) : squeeze(signOf(it.kind))));
  const whole = (number: string): string => ['', ...items(m.before), squeeze(number), ...items(m.after)].filter((s) => s !== '').join(' || ');
  const digits = m.integer.length;
  const scale = m.hex ? 0 : m.fraction.length;
  const what = `TO_CHAR with the format '${format}'`;

  // The number, position by position, from `sf_t`: the absolute value rounded to the scale, as text.
  const intText = m.hex ? 'sf_t' : `split_part(sf_t, '.', 1)`;
  const fracText = `split_part(sf_t, '.', 2)`;
  // X with a 0 element prints every hexadecimal digit (no leading-zero suppression); in decimal a
  // 0 keeps the zero of its own position only.
  const keepAll = m.hex && m.integer.includes('0');
  const lead = (k: number): string => (keepAll ? 'false' : `(${k} < ${digits} - length(${intText})${m.blankZero ? ` OR ${intText} = '0'` : ''})`);
  const digitAt = (k: number): string => `substr(lpad(${intText}, ${digits}, '0'), ${k + 1}, 1)`;
  const printsDigit = (k: number): string | true => (m.integer[k] === '0' ? true : `NOT ${lead(k)}`);
  const pieces: string[] = [];
  m.integer.forEach((d, k) => {
    if (m.groups.includes(k)) {
      const left = printsDigit(k - 1);
      pieces.push(left === true ? "','" : `CASE WHEN ${left} THEN ',' ELSE ' ' END`);
    }
    pieces.push(d === '0' || keepAll ? digitAt(k) : `CASE WHEN ${lead(k)} THEN ' ' ELSE ${digitAt(k)} END`);
  });
  if (m.point) pieces.push("'.'");
  m.fraction.forEach((d, j) => {
    const at = `substr(${fracText}, ${j + 1}, 1)`;
    pieces.push(d === '0' ? at : `CASE WHEN ${j} >= length(rtrim(${fracText}, '0')) THEN ' ' ELSE ${at} END`);
  });
  const core = pieces.join(' || ');
  // The anchored sign and $ go right before the first character the digits print.
  const number = `list_transform([${core}], lambda sf_c: repeat(' ', length(sf_c) - length(ltrim(sf_c))) || ${anchored} || ltrim(sf_c))[1]`;
  const hashes = m.integer.map(() => '#').join('') + (m.point ? '.' : '') + m.fraction.map(() => '#').join('');
  const overflow = m.groups.length > 0 ? notImplementedSql(`${what}: overflow with group separators`) : whole(`${anchored} || ${lit(hashes)}`);

  // |value| rounded half away from zero to the scale: the integer digits and the first dropped digit decide it.
  const absText = "ltrim(sf_x, '-')";
  const truncated = `split_part(${absText}, '.', 1) || '.' || substr(split_part(${absText}, '.', 2) || '${'0'.repeat(scale + 1)}', 1, ${scale + 1})`;
  const rounded = `CAST(round(CAST(${truncated} AS DECIMAL(38, ${scale + 1})), ${scale}) AS DECIMAL(38, ${scale}))`;
  // More integer digits than positions before rounding (the cast below could not hold them), or after.
  const intDigits = `length(split_part(${absText}, '.', 1))`;
  const roundsToZero = `${neg} AND ${rounded} = 0`;
  let printed: string;
  if (m.hex) {
    // At most 13 hexadecimal digits: the bounds and the two's complement fit a BIGINT.
    const size = 16 ** digits;
    const signed = m.sign !== 'default';
    const n = `CAST(${rounded} AS BIGINT)`;
    const tooBig = `${n} >= ${size}`;
    const unsigned = signed ? n : `CASE WHEN ${neg} THEN ${size} - ${n} ELSE ${n} END`;
    const hexText = `${m.integer.some((d) => d === 'x') ? 'lower' : 'upper'}(hex(${unsigned}))`;
    const tooSmall = signed ? 'false' : `${neg} AND ${n} > ${size / 2}`;
    printed =
      `CASE WHEN ${intDigits} > 16 OR ${tooBig} THEN ${overflow} ` +
      `WHEN ${tooSmall} THEN ${notImplementedSql(`${what}: a negative number below the sign bit of ${digits} hexadecimal digits`)} ` +
      `WHEN ${roundsToZero} THEN ${notImplementedSql(`${what}: a negative number that rounds to zero`)} ` +
      `ELSE list_transform([${hexText}], lambda sf_t: ${whole(number)})[1] END`;
  } else {
    printed =
      `CASE WHEN ${intDigits} > ${digits} THEN ${overflow} ` +
      `WHEN ${roundsToZero} THEN ${notImplementedSql(`${what}: a negative number that rounds to zero`)} ` +
      `ELSE list_transform([CAST(${rounded} AS "VARCHAR")], lambda sf_t: CASE WHEN length(${intText}) > ${digits} THEN ${overflow} ELSE ${whole(number)} END)[1] END`;
  }
  const floating = "typeof(sf_r) IN ('FLOAT', 'DOUBLE')";
  const asDouble = 'TRY_CAST(CAST(sf_r AS "VARCHAR") AS DOUBLE)';
  const exact = `CASE WHEN ${floating} THEN printf('%.${scale + 17}f', ${asDouble}) ELSE CAST(sf_r AS "VARCHAR") END`;
  return (
    `list_transform([${value}], lambda sf_r: CASE WHEN sf_r IS NULL THEN NULL ` +
    `WHEN NOT ${NUMERIC_TYPE.replace(/sf_n/g, 'sf_r')} THEN error('SF_LOCAL_NOT_IMPLEMENTED:${what.replace(/'/g, "''")} of a ' || typeof(sf_r) || ' value') ` +
    // Infinity and not-a-number report overflow.
    `WHEN ${floating} AND NOT isfinite(${asDouble}) THEN list_transform([CASE WHEN ${asDouble} < 0 THEN '-' ELSE '' END], lambda sf_x: ${overflow})[1] ` +
    `ELSE list_transform([${exact}], lambda sf_x: ${printed})[1] END)[1]`
  );
}

// ---------------------------------------------------------------------------------------------
// Parsing: TO_DECIMAL / TO_NUMBER / TO_NUMERIC(text, 'format' [, precision [, scale]])

const WS = '[ \\t\\n\\r\\f\\v]*';
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A literal in lax mode: spaces match any non-empty run of spaces, other characters one to one (case-insensitively). */
function literalRe(text: string): string {
  return text
    .split(/( +)/)
    .map((part) => (/^ +$/.test(part) ? ' +' : escapeRe(part)))
    .join('');
}

/** The regular expression matching input text for the model (lax mode), and the groups it captures. */
function parseRe(m: NumericModel, what: string): { re: string; sign: number[]; int: number; frac: number | null } {
  if (m.exact) throw notImplemented(`${what}: FX (exact match mode) when parsing`);
  let groups = 0;
  const sign: number[] = [];
  const signRe = (kind: 'S' | 'MI'): string => {
    sign.push(++groups);
    // S is always printed as + or -; MI as - or a space, and lax mode lets it match + too.
    return kind === 'S' ? '([-+])' : '([-+]?)';
  };
  const items = (list: Item[]): string => list.map((it) => (it.t === 'literal' ? literalRe(it.text) : signRe(it.kind))).join('');
  let re = `(?i)${WS}${items(m.before)}`;
  if (m.sign === 'default' && !m.hex) {
    sign.push(++groups);
    re += '(-?) *';
  } else if (m.sign === 'anchored') {
    re += `${signRe('S')} *`;
  } else if (m.before.some((it) => it.t === 'sign')) {
    re += ' *';
  }
  if (m.dollar) re += '\\$';
  const int = ++groups;
  const zeros = m.integer.filter((d) => d === '0').length;
  const n = m.integer.length;
  if (m.hex) {
    re += `([0-9a-f]{${zeros > 0 ? n : 1},${n}})`;
  } else if (m.groups.length === 0) {
    re += `(\\d{${zeros > 0 ? zeros : m.blankZero ? 0 : 1},${n}})`;
  } else {
    if (zeros > 0 && zeros < n) throw notImplemented(`${what}: 9 and 0 in the integer part of a format with group separators, when parsing`);
    // Group separators are optional, but the digits between them must be as many as the format's.
    const bounds = [0, ...m.groups, n];
    const chunks = bounds.slice(1).map((b, i) => b - (bounds[i] as number));
    const withSeparators: string[] = [];
    for (let first = 0; first < chunks.length - 1; first++) {
      const head = zeros > 0 ? `\\d{${chunks[first]}}` : `\\d{1,${chunks[first]}}`;
      withSeparators.push(head + chunks.slice(first + 1).map((c) => `,\\d{${c}}`).join(''));
      if (zeros > 0) break;
    }
    re += `(${withSeparators.join('|')}|\\d{${zeros > 0 ? n : m.blankZero ? 0 : 1},${n}})`;
  }
  let frac: number | null = null;
  if (m.point) {
    frac = ++groups;
    const fixed = m.fraction.filter((d) => d === '0').length;
    // The decimal point before an empty fraction is optional in lax mode.
    re += fixed > 0 ? `\\.(\\d{${fixed},${m.fraction.length}})` : `(?:\\.(\\d{0,${m.fraction.length}}))?`;
  }
  re += `${items(m.after)}${WS}`;
  return { re, sign, int, frac };
}

/** The SQL parsing `text` (an expression) by the alternatives, as NUMBER(precision, scale). */
export function parseSql(text: string, models: NumericModel[], format: string, precision: number, scale: number, fn: string): string {
  const what = `${fn} with the format '${format}'`;
  const type = `DECIMAL(${precision}, ${scale})`;
  const branches = models.map((m) => {
    const { re, sign, int, frac } = parseRe(m, what);
    const pattern = lit(re);
    const group = (g: number): string => `regexp_extract(sf_s, ${pattern}, ${g})`;
    const negative = sign.length > 0 ? sign.map((g) => `${group(g)} = '-'`).join(' OR ') : 'false';
    let magnitude: string;
    if (m.hex) {
      magnitude = `CAST(CAST('0x' || ${group(int)} AS BIGINT) AS DECIMAL(38, 0))`;
    } else {
      const digits = `coalesce(nullif(replace(${group(int)}, ',', ''), ''), '0')`;
      const fraction = frac === null ? "''" : group(frac);
      magnitude = `CAST(${digits} || '.' || ${fraction} || '0' AS DECIMAL(38, ${Math.min(m.fraction.length + 1, 38 - m.integer.length)}))`;
    }
    return `WHEN regexp_full_match(sf_s, ${pattern}) THEN (CASE WHEN ${negative} THEN -1 ELSE 1 END) * ${magnitude}`;
  });
  // Out of range: more integer digits than precision - scale, once rounded to the scale.
  const tooLong = `length(split_part(CAST(abs(round(sf_v, ${scale})) AS "VARCHAR"), '.', 1)) > ${precision - scale}`;
  return (
    `list_transform([${text}], lambda sf_r: CASE WHEN sf_r IS NULL THEN NULL ` +
    `WHEN typeof(sf_r) <> 'VARCHAR' THEN error('SF_LOCAL_NOT_IMPLEMENTED:${what.replace(/'/g, "''")} of a ' || typeof(sf_r) || ' value') ` +
    `ELSE list_transform([CAST(sf_r AS "VARCHAR")], lambda sf_s: list_transform([CASE ${branches.join(' ')} ELSE error('SF_LOCAL_NUMBER_PARSE:' || sf_s || chr(31) || ${lit(format)}) END], lambda sf_v: ` +
    `CASE WHEN ${tooLong} THEN error('SF_LOCAL_NUMBER_RANGE:' || sf_s) ELSE CAST(round(sf_v, ${scale}) AS ${type}) END)[1])[1] END)[1]`
  );
}

/**
 * TO_DECIMAL(x [, precision [, scale]]) without a format: a number or numeric text converted with
 * rounding to the scale; text that is not a number fails with Snowflake's 100038, a value too
 * large for the precision with 100039 (errors.ts).
 */
function castSql(text: string, precision: number, scale: number, fn: string): string {
  const type = `DECIMAL(${precision}, ${scale})`;
  const asText = 'CAST(sf_s AS "VARCHAR")';
  return (
    `list_transform([${text}], lambda sf_s: CASE WHEN sf_s IS NULL THEN NULL ` +
    `WHEN typeof(sf_s) = 'VARCHAR' THEN CASE WHEN regexp_full_match(${asText}, '[ \\t\\n\\r\\f\\v]*[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?[ \\t\\n\\r\\f\\v]*') ` +
    `THEN CAST(${asText} AS ${type}) ELSE error('SF_LOCAL_NUMBER_TEXT:' || ${asText}) END ` +
    `WHEN NOT ${NUMERIC_TYPE.replace(/sf_n/g, 'sf_s')} THEN error('SF_LOCAL_NOT_IMPLEMENTED:${fn} of a ' || typeof(sf_s) || ' value') ` +
    `ELSE CAST(sf_s AS ${type}) END)[1]`
  );
}

// ---------------------------------------------------------------------------------------------
// The rewrite of the calls

const CALL = /(?<![\w$."])(TO_CHAR|TO_VARCHAR|TO_DECIMAL|TO_NUMBER|TO_NUMERIC)\s*\(/gi;


const STRING = /^'(?:[^']|'')*'$/;
const INTEGER = /^\d+$/;

/**
 * Rewrites the calls this family takes, outermost first, each argument with its own calls
 * rewritten: TO_CHAR/TO_VARCHAR with a numeric format literal, TO_DECIMAL/TO_NUMBER/TO_NUMERIC
 * in every form. A date format is left to compat/functions.ts (rewriteFormatLiterals).
 */
export function rewriteNumericFormats(sql: string): string {
  if (!/TO_(?:CHAR|VARCHAR|DECIMAL|NUMBER|NUMERIC)/i.test(sql)) return sql;
  const masked = mask(sql);
  const tryForm = /(?<![\w$."])TRY_TO_(DECIMAL|NUMBER|NUMERIC)\s*\(/i.exec(masked);
  if (tryForm) throw notImplemented(`TRY_TO_${(tryForm[1] as string).toUpperCase()}`, sql);
  const out: string[] = [];
  let changed = false;
  const rewriteRange = (start: number, end: number): string => {
    const parts: string[] = [];
    let emitted = start;
    let from = start;
    for (;;) {
      CALL.lastIndex = from;
      const m = CALL.exec(masked);
      if (!m || m.index >= end) break;
      const open = m.index + m[0].length - 1;
      const close = closingParen(masked, open);
      if (close < 0 || close >= end) break;
      const fn = (m[1] as string).toUpperCase();
      const args = argumentRanges(sql, masked, open + 1, close);
      const replacement = rewriteCall(fn, args, sql, (range) => rewriteRange(range[0], range[1]));
      if (replacement === undefined) {
        from = open + 1;
        continue;
      }
      parts.push(sql.slice(emitted, m.index), replacement);
      changed = true;
      emitted = close + 1;
      from = close + 1;
    }
    parts.push(sql.slice(emitted, end));
    return parts.join('');
  };
  out.push(rewriteRange(0, sql.length));
  return changed ? out.join('') : sql;
}

function rewriteCall(fn: string, args: Array<[number, number]>, sql: string, inner: (range: [number, number]) => string): string | undefined {
  const text = (i: number): string => {
    const r = args[i] as [number, number];
    return sql.slice(r[0], r[1]);
  };
  if (fn === 'TO_CHAR' || fn === 'TO_VARCHAR') {
    if (args.length !== 2 || !STRING.test(text(1))) return undefined;
    const format = unquoteString(text(1));
    const c = classifyFormat(format);
    if (c === null) return undefined;
    if (c.kind === 'unsupported') throw notImplemented(`${fn} with the numeric format '${format}': ${c.what}`, sql);
    if (c.models.length > 1) throw notImplemented(`${fn} with the numeric format '${format}': alternatives (|) when printing`, sql);
    return printSql(inner(args[0] as [number, number]), c.models[0] as NumericModel, format);
  }
  // TO_DECIMAL / TO_NUMBER / TO_NUMERIC( expr [, 'format'] [, precision [, scale]] )
  if (args.length < 1 || args.length > 4) return undefined;
  let format: string | undefined;
  let rest = args.slice(1).map((_, i) => text(i + 1));
  if (rest.length > 0 && STRING.test(rest[0] as string)) {
    format = unquoteString(rest[0] as string);
    rest = rest.slice(1);
  }
  if (rest.length > 2 || rest.some((r) => !INTEGER.test(r))) throw notImplemented(`${fn} with a format, precision or scale that is not a literal`, sql);
  const precision = rest[0] === undefined ? 38 : Number(rest[0]);
  const scale = rest[1] === undefined ? 0 : Number(rest[1]);
  if (precision < 1 || precision > 38 || scale < 0 || scale >= precision) {
    throw notImplemented(`${fn} with precision ${precision} and scale ${scale} (precision 1 to 38, scale 0 to precision - 1)`, sql);
  }
  const value = inner(args[0] as [number, number]);
  if (format === undefined) return castSql(value, precision, scale, fn);
  const c = classifyFormat(format);
  if (c === null) throw notImplemented(`${fn} with the format '${format}' (not a numeric format model)`, sql);
  if (c.kind === 'unsupported') throw notImplemented(`${fn} with the numeric format '${format}': ${c.what}`, sql);
  return parseSql(value, c.models, format, precision, scale, fn);
}

export const numericFormats: FunctionFamily = {
  name: 'numeric format models (TO_CHAR / TO_VARCHAR of numbers, TO_DECIMAL / TO_NUMBER / TO_NUMERIC)',
  setup: [],
  rewrite: rewriteNumericFormats,
};
