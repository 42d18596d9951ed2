/**
 * TO_BOOLEAN, TRY_TO_BOOLEAN, TO_DOUBLE, TRY_TO_DOUBLE, TRY_TO_DECIMAL
 * (local/compat/functions/conversion.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../../local/index.js';
import { failureOf } from '../../support/failure.js';

let sf: LocalSnowflake;
let s: LocalSession;
beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  s = sf.session();
});
afterAll(() => sf.close());
const row = (sql: string): unknown[] => s.execute(sql).rows[0] ?? [];

describe('conversions', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/to_boolean: the text values, in any
  // case; numbers FALSE when 0; other text fails (100037).
  it('TO_BOOLEAN reads the documented text values and numbers; TRY_TO_BOOLEAN gives NULL for others', () => {
    expect(row("SELECT TO_BOOLEAN('yes'), TO_BOOLEAN('T'), TO_BOOLEAN('On'), TO_BOOLEAN('1'), TO_BOOLEAN('no'), TO_BOOLEAN('F'), TO_BOOLEAN('OFF'), TO_BOOLEAN('0')")).toEqual([
      true, true, true, true, false, false, false, false,
    ]);
    expect(row("SELECT TO_BOOLEAN(0), TO_BOOLEAN(2.5), TO_BOOLEAN(TRUE), TO_BOOLEAN(NULL), TRY_TO_BOOLEAN('maybe'), TRY_TO_BOOLEAN('y')")).toEqual([false, true, true, null, null, true]);
    const e = failureOf(s, "SELECT TO_BOOLEAN('maybe')");
    expect([e.code, e.state, e.message]).toEqual([100037, '22018', "Boolean value 'maybe' is not recognized"]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/to_double,
  // https://docs.snowflake.com/en/sql-reference/functions/try_to_double
  it('TO_DOUBLE converts numbers and numeric text to FLOAT; other text fails, TRY_TO_DOUBLE gives NULL', () => {
    const r = s.execute("SELECT TO_DOUBLE('1.5'), TO_DOUBLE(2), TO_DOUBLE('-1.2e3'), TRY_TO_DOUBLE('x')");
    expect(r.rows).toEqual([[1.5, 2, -1200, null]]);
    expect(r.columns.map((c) => c.type)).toEqual(['FLOAT', 'FLOAT', 'FLOAT', 'FLOAT']);
    const e = failureOf(s, "SELECT TO_DOUBLE('x')");
    expect([e.code, e.state, e.message]).toEqual([100038, '22018', "Numeric value 'x' is not recognized"]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/try_to_decimal: TO_DECIMAL's conversion,
  // NULL where it would fail (not a number, past the precision).
  it('TRY_TO_NUMBER / TRY_TO_DECIMAL without a format: NULL where TO_DECIMAL fails', () => {
    const r = s.execute("SELECT TRY_TO_NUMBER('12.5'), TRY_TO_NUMBER('abc'), TRY_TO_DECIMAL('123.456', 10, 2), TRY_TO_DECIMAL('1234', 3), TRY_TO_NUMERIC(' -1e2 '), TRY_TO_NUMBER(NULL)");
    expect(r.rows).toEqual([[13, null, 123.46, null, -100, null]]);
    expect(r.columns[2]?.scale).toBe(2);
    expect(failureOf(s, "SELECT TRY_TO_NUMBER('12', '99')").message).toContain('TRY_TO_NUMBER is not implemented');
  });
});
