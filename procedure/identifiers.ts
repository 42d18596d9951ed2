/**
 * Identifier validation and quoting. Every table and column name that reaches SQL text passes
 * through here; every value goes through a bind instead.
 *
 * Rules (https://docs.snowflake.com/en/sql-reference/identifiers-syntax):
 * - an unquoted identifier starts with a letter or `_` and holds letters, digits, `_` and `$`;
 *   Snowflake stores it upper-case, so we upper-case it and double-quote it: `my_tab` → `"MY_TAB"`
 *   names the same object and can no longer be read as a keyword;
 * - a part given already double-quoted (`"Mixed Case"`) keeps its case; an embedded `"` must be
 *   doubled (`""`), as SQL requires;
 * - anything else (`X"; DROP TABLE Y; --`, empty parts, more than three parts) is rejected.
 */

const UNQUOTED = /^[A-Za-z_][A-Za-z0-9_$]*$/;
const QUOTED = /^"(?:[^"]|"")+"$/;
const MAX_LENGTH = 255;

/** Thrown for a name that is not a valid Snowflake identifier. */
export class IdentifierError extends Error {
  constructor(what: string, value: string, why: string) {
    super(
      `invalid ${what} ${JSON.stringify(value)}: ${why}. ` +
        'Use letters, digits, _ and $ (starting with a letter or _), or a double-quoted name with inner quotes doubled.',
    );
    this.name = 'IdentifierError';
  }
}

/** Splits `DB.SCHEMA.TABLE` on dots that are outside double quotes. */
function splitParts(name: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inQuotes = false;
  for (let i = 0; i < name.length; i++) {
    const ch = name.charAt(i);
    if (ch === '"') {
      inQuotes = !inQuotes;
      current += ch;
    } else if (ch === '.' && !inQuotes) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

/** Quotes one identifier part, upper-casing it when it was given unquoted. */
function quotePart(part: string, what: string, whole: string): string {
  if (part.length === 0) throw new IdentifierError(what, whole, 'it has an empty part');
  if (part.length > MAX_LENGTH) throw new IdentifierError(what, whole, `a part is longer than ${MAX_LENGTH} characters`);
  if (UNQUOTED.test(part)) return '"' + part.toUpperCase() + '"';
  if (QUOTED.test(part)) return part;
  throw new IdentifierError(what, whole, 'it contains characters that are not allowed in an unquoted name');
}

/**
 * A single column (or other unqualified) name, validated and quoted.
 * @example quoteName('last_update_date') // '"LAST_UPDATE_DATE"'
 */
export function quoteName(name: string, what = 'column name'): string {
  if (typeof name !== 'string') throw new IdentifierError(what, String(name), 'it is not a string');
  const parts = splitParts(name);
  if (parts.length !== 1) throw new IdentifierError(what, name, 'it must not be qualified');
  return quotePart(parts[0] as string, what, name);
}

/**
 * A table name of one to three parts, validated and quoted part by part.
 * @example quoteTable('etl.public.runs') // '"ETL"."PUBLIC"."RUNS"'
 */
export function quoteTable(name: string, what = 'table name'): string {
  if (typeof name !== 'string') throw new IdentifierError(what, String(name), 'it is not a string');
  const parts = splitParts(name);
  if (parts.length > 3) throw new IdentifierError(what, name, 'it has more than three parts (DATABASE.SCHEMA.TABLE)');
  return parts.map((p) => quotePart(p, what, name)).join('.');
}

/** The canonical form Snowflake would store: upper-cased unless quoted, quotes removed. */
export function canonicalName(name: string): string {
  const quoted = quoteName(name);
  return quoted.slice(1, -1).replace(/""/g, '"');
}
