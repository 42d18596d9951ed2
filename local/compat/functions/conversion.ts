/**
 * Conversions DuckDB lacks under Snowflake's names:
 * - TO_BOOLEAN / TRY_TO_BOOLEAN(x) (https://docs.snowflake.com/en/sql-reference/functions/to_boolean,
 *   https://docs.snowflake.com/en/sql-reference/functions/try_to_boolean): text 'true', 't', 'yes',
 *   'y', 'on', '1' is TRUE and 'false', 'f', 'no', 'n', 'off', '0' FALSE, in any case; a number is
 *   FALSE when 0 and TRUE otherwise. Other text fails with 100037 "Boolean value '…' is not
 *   recognized" (TRY_: NULL).
 * - TRY_TO_DECIMAL / TRY_TO_NUMBER / TRY_TO_NUMERIC(x [, precision [, scale]]) without a format
 *   (https://docs.snowflake.com/en/sql-reference/functions/try_to_decimal): TO_DECIMAL's
 *   conversion (numeric text or a number, rounded to the scale) with NULL where TO_DECIMAL fails
 *   (text that is no number, a value past the precision). With a format it stays refused (the
 *   numeric format family, numeric-format.ts).
 * - TO_DOUBLE / TRY_TO_DOUBLE(x) (https://docs.snowflake.com/en/sql-reference/functions/to_double,
 *   https://docs.snowflake.com/en/sql-reference/functions/try_to_double): numbers and numeric text
 *   (also 'NaN', 'inf', '-inf') to FLOAT; other text fails with 100038 (TRY_: NULL). A format
 *   argument is not implemented.
 */
import { notImplemented } from '../../errors.js';
import { rewriteCalls } from './calls.js';
import type { FunctionFamily } from './family.js';

/**
 * Numeric text as TO_DECIMAL reads it (numeric-format.ts castSql): blanks, sign, digits, exponent.
 * No backslash: the rewrite runs before string literals' escapes are read.
 */
const NUMERIC_TEXT = `'[[:space:]]*[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?[[:space:]]*'`;

const TRY_NAMES = new Set(['TRY_TO_DECIMAL', 'TRY_TO_NUMBER', 'TRY_TO_NUMERIC']);

/** TRY_TO_DECIMAL(x [, precision [, scale]]) without a format, or null to leave the call. */
function tryToDecimal(name: string, args: string[], sql: string): string | null {
  if (args.length < 1 || args.length > 3) return null;
  if (args.slice(1).some((a) => /^'/.test(a))) return null;
  if (args.slice(1).some((a) => !/^\d+$/.test(a))) throw notImplemented(`${name} with a precision or scale that is not a literal`, sql);
  const precision = Number(args[1] ?? 38);
  const scale = Number(args[2] ?? 0);
  if (precision < 1 || precision > 38 || scale < 0 || scale >= precision) {
    throw notImplemented(`${name} with precision ${precision} and scale ${scale} (precision 1 to 38, scale 0 to precision - 1)`, sql);
  }
  const type = `DECIMAL(${precision}, ${scale})`;
  return (
    `list_transform([${args[0]}], lambda sf_t: CASE WHEN typeof(sf_t) = 'VARCHAR' THEN ` +
    `CASE WHEN regexp_full_match(CAST(sf_t AS VARCHAR), ${NUMERIC_TEXT}) THEN TRY_CAST(CAST(sf_t AS VARCHAR) AS ${type}) END ` +
    `ELSE TRY_CAST(sf_t AS ${type}) END)[1]`
  );
}

const TEXT_BOOLEAN =
  `CASE lower(CAST(x AS VARCHAR)) WHEN 'true' THEN true WHEN 't' THEN true WHEN 'yes' THEN true WHEN 'y' THEN true WHEN 'on' THEN true WHEN '1' THEN true ` +
  `WHEN 'false' THEN false WHEN 'f' THEN false WHEN 'no' THEN false WHEN 'n' THEN false WHEN 'off' THEN false WHEN '0' THEN false END`;

const NOT_TEXT_BOOLEAN = `CASE WHEN typeof(x) = 'BOOLEAN' THEN CAST(x AS BOOLEAN) ELSE CAST(x AS DOUBLE) <> 0 END`;

export const conversion: FunctionFamily = {
  name: 'conversion (TO_BOOLEAN, TRY_TO_BOOLEAN, TRY_TO_DECIMAL, TO_DOUBLE, TRY_TO_DOUBLE)',
  setup: [
    `CREATE OR REPLACE MACRO SF_TEXT_BOOLEAN(x) AS ${TEXT_BOOLEAN}`,
    `CREATE OR REPLACE MACRO TO_BOOLEAN(x) AS CASE WHEN x IS NULL THEN NULL WHEN typeof(x) = 'VARCHAR' THEN ` +
      `CASE WHEN SF_TEXT_BOOLEAN(x) IS NULL THEN CAST(SF_RAISE('SF_LOCAL_ERROR:100037:22018:Boolean value ''' || CAST(x AS VARCHAR) || ''' is not recognized') AS BOOLEAN) ` +
      `ELSE SF_TEXT_BOOLEAN(x) END ELSE ${NOT_TEXT_BOOLEAN} END`,
    `CREATE OR REPLACE MACRO TRY_TO_BOOLEAN(x) AS CASE WHEN typeof(x) = 'VARCHAR' THEN SF_TEXT_BOOLEAN(x) ELSE ${NOT_TEXT_BOOLEAN} END`,
    `CREATE OR REPLACE MACRO TO_DOUBLE(x) AS CASE WHEN typeof(x) = 'VARCHAR' AND x IS NOT NULL AND TRY_CAST(x AS DOUBLE) IS NULL ` +
      `THEN CAST(SF_RAISE('SF_LOCAL_NUMBER_TEXT:' || CAST(x AS VARCHAR)) AS DOUBLE) ELSE CAST(x AS DOUBLE) END, ` +
      `(x, f) AS CAST(SF_RAISE('SF_LOCAL_NOT_IMPLEMENTED:TO_DOUBLE with a format') AS DOUBLE)`,
    `CREATE OR REPLACE MACRO TRY_TO_DOUBLE(x) AS TRY_CAST(x AS DOUBLE), ` +
      `(x, f) AS CAST(SF_RAISE('SF_LOCAL_NOT_IMPLEMENTED:TRY_TO_DOUBLE with a format') AS DOUBLE)`,
  ],
  beforeCasts: true,
  rewrite(sql) {
    if (!/TRY_TO_(?:DECIMAL|NUMBER|NUMERIC)/i.test(sql)) return sql;
    return rewriteCalls(sql, TRY_NAMES, (name, args) => tryToDecimal(name, args, sql));
  },
};
