/**
 * Numeric functions that DuckDB has under Snowflake's name with another meaning, and a few it
 * lacks:
 * - ROUND(x, scale, 'HALF_AWAY_FROM_ZERO') is ROUND(x, scale), which both engines round half away
 *   from zero (https://docs.snowflake.com/en/sql-reference/functions/round); 'HALF_TO_EVEN' rounds
 *   an exact half to the even neighbour (arithmetic.ts SF_ROUND_EVEN; a literal scale from 0 up);
 *   the named-argument form is not implemented.
 * - TRUNCATE(x [, scale]) is TRUNC (https://docs.snowflake.com/en/sql-reference/functions/trunc).
 * - ROUND and TRUNC take their scale from any integer expression, a NUMBER column included (the
 *   engine's take only a 32-bit integer).
 * - CEIL / CEILING / FLOOR(x, scale) (arithmetic.ts SF_CEIL/SF_FLOOR).
 * - RANDOM() is a random 64-bit integer (https://docs.snowflake.com/en/sql-reference/functions/random;
 *   DuckDB's random() is a FLOAT in [0, 1)); RANDOM(seed) is not implemented (Snowflake's sequence
 *   for a seed cannot be reproduced).
 * - SQUARE, CBRT (exact for perfect cubes: DuckDB's cbrt(27) is 3.0000000000000004), HAVERSINE
 *   (great-circle distance in km on a sphere of radius 6371, the formula of
 *   https://docs.snowflake.com/en/sql-reference/functions/haversine), WIDTH_BUCKET
 *   (https://docs.snowflake.com/en/sql-reference/functions/width_bucket).
 * - BITAND, BITOR, BITXOR, BITNOT, BITSHIFTLEFT, BITSHIFTRIGHT
 *   (https://docs.snowflake.com/en/sql-reference/functions/bitand and its neighbours), on 128-bit
 *   integers.
 * LOG(base, x), LN, EXP, POWER, SQRT, ABS, SIGN, MOD and FACTORIAL agree in both engines.
 */
import { notImplemented } from '../../errors.js';
import { rewriteCalls } from './calls.js';
import type { FunctionFamily } from './family.js';

const NAMES = new Set(['ROUND', 'TRUNC', 'TRUNCATE', 'CEIL', 'CEILING', 'FLOOR', 'RANDOM', 'CBRT']);

/** A scale written as an integer literal (a constant the engine can type a NUMBER's result by). */
const LITERAL_SCALE = /^\(*\s*[-+]?\s*\d+\s*\)*$/;

/**
 * The scale argument as the engine's round/trunc take it (32-bit; NUMBER columns are wider).
 * INT4 is INTEGER: the name INTEGER would be read as Snowflake's (compat/functions.ts
 * rewriteIntegerTypes) after this rewrite.
 */
const scaleArg = (d: string): string => (LITERAL_SCALE.test(d) ? d : `CAST(${d} AS INT4)`);

export const math: FunctionFamily = {
  name: 'math (ROUND, TRUNCATE, CEIL, FLOOR, RANDOM, SQUARE, CBRT, HAVERSINE, WIDTH_BUCKET)',
  setup: [
    `CREATE OR REPLACE MACRO SF_RANDOM() AS CAST(floor((random() * 2 - 1) * 9223372036854775807) AS BIGINT)`,
    `CREATE OR REPLACE MACRO SQUARE(x) AS x * x`,
    `CREATE OR REPLACE MACRO BITAND(a, b) AS CAST(a AS HUGEINT) & CAST(b AS HUGEINT)`,
    `CREATE OR REPLACE MACRO BITOR(a, b) AS CAST(a AS HUGEINT) | CAST(b AS HUGEINT)`,
    `CREATE OR REPLACE MACRO BITXOR(a, b) AS xor(CAST(a AS HUGEINT), CAST(b AS HUGEINT))`,
    `CREATE OR REPLACE MACRO BITNOT(a) AS ~CAST(a AS HUGEINT)`,
    `CREATE OR REPLACE MACRO BITSHIFTLEFT(a, n) AS CAST(a AS HUGEINT) << CAST(n AS INTEGER)`,
    `CREATE OR REPLACE MACRO BITSHIFTRIGHT(a, n) AS CAST(a AS HUGEINT) >> CAST(n AS INTEGER)`,
    `CREATE OR REPLACE MACRO SF_CBRT(x) AS CASE WHEN round(cbrt(CAST(x AS DOUBLE))) ^ 3 = CAST(x AS DOUBLE) THEN round(cbrt(CAST(x AS DOUBLE))) ELSE cbrt(CAST(x AS DOUBLE)) END`,
    `CREATE OR REPLACE MACRO HAVERSINE(lat1, lon1, lat2, lon2) AS 2 * 6371 * asin(sqrt(` +
      `sin(radians(CAST(lat2 AS DOUBLE) - CAST(lat1 AS DOUBLE)) / 2) ^ 2 + ` +
      `cos(radians(CAST(lat1 AS DOUBLE))) * cos(radians(CAST(lat2 AS DOUBLE))) * sin(radians(CAST(lon2 AS DOUBLE) - CAST(lon1 AS DOUBLE)) / 2) ^ 2))`,
    `CREATE OR REPLACE MACRO WIDTH_BUCKET(x, lo, hi, n) AS CASE WHEN x IS NULL OR lo IS NULL OR hi IS NULL OR n IS NULL THEN NULL ` +
      `WHEN x < lo THEN 0 WHEN x >= hi THEN n + 1 ELSE CAST(floor((CAST(x AS DOUBLE) - lo) * n / (CAST(hi AS DOUBLE) - lo)) AS BIGINT) + 1 END`,
  ],
  beforeCasts: true,
  rewrite(sql) {
    if (!/ROUND|TRUNC|CEIL|FLOOR|RANDOM|CBRT/i.test(sql)) return sql;
    return rewriteCalls(sql, NAMES, (name, args) => {
      if (args.some((a) => /^[A-Za-z_]\w*\s*=>/.test(a))) throw notImplemented(`${name} with named arguments`, sql);
      switch (name) {
        case 'ROUND':
          if (args.length === 2) return `round(${args[0]}, ${scaleArg(args[1] as string)})`;
          if (args.length !== 3) return null;
          if (/^'HALF_AWAY_FROM_ZERO'$/i.test(args[2] as string)) return `round(${args[0]}, ${args[1]})`;
          if (/^'HALF_TO_EVEN'$/i.test(args[2] as string) && /^\d+$/.test(args[1] as string)) return `SF_ROUND_EVEN(${args[0]}, ${args[1]})`;
          throw notImplemented(`ROUND with the rounding mode ${args[2]} and scale ${args[1]} (only 'HALF_AWAY_FROM_ZERO', or 'HALF_TO_EVEN' to a literal scale from 0 up)`, sql);
        case 'TRUNC':
        case 'TRUNCATE':
          // TRUNC(date, 'part') is the date function's (left as it is).
          if (args.length === 2 && !/^'/.test(args[1] as string)) return `trunc(${args[0]}, ${scaleArg(args[1] as string)})`;
          return name === 'TRUNCATE' ? `trunc(${args.join(', ')})` : null;
        case 'CBRT':
          return `SF_CBRT(${args.join(', ')})`;
        case 'RANDOM':
          if (args.length > 0) throw notImplemented('RANDOM with a seed', sql);
          return 'SF_RANDOM()';
        default: {
          if (args.length !== 2) return null;
          const fn = name === 'FLOOR' ? 'SF_FLOOR' : 'SF_CEIL';
          // A scale that is no literal: only a FLOAT can be rounded to it (arithmetic.ts).
          return LITERAL_SCALE.test(args[1] as string) ? `${fn}(${args[0]}, ${args[1]})` : `${fn}_FLOAT(${args[0]}, ${args[1]})`;
        }
      }
    });
  },
};
