/**
 * Numeric format models (local/compat/functions/numeric-format.ts). The expected strings are the
 * documentation's own examples: https://docs.snowflake.com/en/sql-reference/sql-format-models
 * (sign positions, the output and input examples), https://docs.snowflake.com/en/sql-reference/functions/to_char
 * (the convert_numbers_to_strings example) and https://docs.snowflake.com/en/sql-reference/functions/to_decimal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../../local/index.js';
import { classifyFormat } from '../../../local/compat/functions/numeric-format.js';
import { failureOf } from '../../support/failure.js';

let sf: LocalSnowflake;
let s: LocalSession;
beforeAll(() => {
  sf = LocalSnowflake.open();
  s = sf.session({ timezone: 'UTC' });
});
afterAll(() => sf.close());

const one = (sql: string, binds: unknown[] = []): unknown => s.execute(sql, binds).rows[0]?.[0];
/** TO_CHAR of each value with the format (a bind, so the value keeps its type). */
const printed = (format: string, values: number[]): unknown[] => values.map((v) => one(`SELECT TO_CHAR(?::NUMBER(10,3), '${format.replace(/'/g, "''")}')`, [v]));

describe('TO_CHAR / TO_VARCHAR of numbers', () => {
  // sql-format-models, "Sign position for fixed-position formats" (underscores there are spaces
  // here) and "Printing numbers using fixed-position formats and the fill mode modifier".
  it('puts the sign where the documentation\'s table says, and FM drops the padding', () => {
    const table: Array<[string, string, string]> = [
      ['99', ' 12', ' -7'],
      ['S99', '+12', ' -7'],
      ['99S', '12+', ' 7-'],
      ['MI99', ' 12', '- 7'],
      ['99MI', '12 ', ' 7-'],
      ['$99', ' $12', ' -$7'],
      ['FM99', '12', '-7'],
    ];
    for (const [format, twelve, minusSeven] of table) expect([format, one(`SELECT TO_CHAR(12, '${format}')`), one(`SELECT TO_CHAR(-7, '${format}')`)]).toEqual([format, twelve, minusSeven]);
  });

  // sql-format-models, "Output examples" (a FLOAT column).
  it('aligns by the decimal point in fill mode, prints kept zeros with 0, and compacts with FM', () => {
    s.execute('CREATE OR REPLACE TABLE SAMPLE_NUMBERS (F FLOAT)');
    s.execute('INSERT INTO SAMPLE_NUMBERS VALUES (1.2), (123.456), (1234.56), (-123456.789)');
    const column = (format: string): unknown[] => s.execute(`SELECT TO_VARCHAR(F, '${format}') FROM SAMPLE_NUMBERS ORDER BY ABS(F)`).rows.map((r) => r[0]);
    expect(column('999,999.999')).toEqual(['       1.2  ', '     123.456', '   1,234.56 ', '-123,456.789']);
    expect(column('S000,000.000')).toEqual(['+000,001.200', '+000,123.456', '+001,234.560', '-123,456.789']);
    expect(column('S999,999.999')).toEqual(['      +1.2  ', '    +123.456', '  +1,234.56 ', '-123,456.789']);
    expect(column('FM999,999.999')).toEqual(['1.2', '123.456', '1,234.56', '-123,456.789']);
  });

  // to_char, "Examples that convert numbers": $, B, overflow as #, X and S with X.
  it('prints $ before the digits, B blanks a zero integer part, overflow as #, X in hexadecimal (two\'s complement unless signed)', () => {
    const values = [-12.391, 0, -1, 0.1, 0.01, 3987, 1.111];
    expect(printed('">"$99.0"<"', values)).toEqual(['>-$12.4<', '>  $0.0<', '> -$1.0<', '>  $0.1<', '>  $0.0<', '> $##.#<', '>  $1.1<']);
    expect(printed('">"B9,999.0"<"', values)).toEqual(['>   -12.4<', '>      .0<', '>    -1.0<', '>      .1<', '>      .0<', '> 3,987.0<', '>     1.1<']);
    expect(printed('">"0XXX"<"', values)).toEqual(['>FFF4<', '>0000<', '>FFFF<', '>0000<', '>0000<', '>0F93<', '>0001<']);
    expect(printed('">"S0XXX"<"', values)).toEqual(['>-000C<', '>+0000<', '>-0001<', '>+0000<', '>+0000<', '>+0F93<', '>+0001<']);
  });

  // sql-format-models: literals in double quotes are printed as they are; 999,999.00 is "useful
  // for printing currency sums" (group separator printed between digits, kept trailing zeros).
  it('prints literals, and the issue\'s TO_VARCHAR(1234.5, \'999,999.00\')', () => {
    expect(one(`SELECT TO_CHAR(12, '">"99"<"')`)).toBe('> 12<');
    expect(one(`SELECT TO_VARCHAR(1234.5, '999,999.00')`)).toBe('   1,234.50');
    expect(one(`SELECT TO_VARCHAR(1234.5, 'FM999,999.00')`)).toBe('1,234.50');
    expect(one(`SELECT TO_VARCHAR(-123.45, '999.99MI')`)).toBe('123.45-');
    expect(one(`SELECT TO_VARCHAR(NULL::NUMBER, '999')`)).toBeNull();
    // x prints lower-case hexadecimal digits.
    expect(one(`SELECT TO_CHAR(255, 'xx')`)).toBe('ff');
    // A date format still goes to the date formatter.
    expect(one(`SELECT TO_CHAR('2024-04-05 01:02:03'::TIMESTAMP_NTZ, 'mm/dd/yyyy, hh24:mi')`)).toBe('04/05/2024, 01:02');
  });

  it('refuses by name what it does not print', () => {
    const refusal = (sql: string): string => {
      const e = failureOf(s, sql);
      expect([e.code, e.state]).toEqual([9999, '0A000']);
      return e.message;
    };
    expect(refusal(`SELECT TO_CHAR(1234, '9d999EE')`)).toMatch(/exponent element EE/);
    expect(refusal(`SELECT TO_CHAR(12.5, 'TM9')`)).toMatch(/text-minimal element TM9/);
    expect(refusal(`SELECT TO_CHAR(12, '99"x"99')`)).toMatch(/digit elements after a literal/);
    expect(refusal(`SELECT TO_CHAR(5, '0990')`)).toMatch(/a 9 after a 0 in the integer part/);
    expect(refusal(`SELECT TO_CHAR(-0.001, '9.99')`)).toMatch(/a negative number that rounds to zero/);
    expect(refusal(`SELECT TO_CHAR(12345, '9,999')`)).toMatch(/overflow with group separators/);
    expect(refusal(`SELECT TO_CHAR(CURRENT_DATE, '999')`)).toMatch(/of a DATE value/);
    expect(refusal(`SELECT TO_CHAR(1, '99|999')`)).toMatch(/alternatives/);
  });
});

describe('TO_DECIMAL / TO_NUMBER / TO_NUMERIC', () => {
  // to_decimal, "Examples": precision and scale, rounding, and the out-of-range error.
  it('converts text with rounding to the scale, and fails with 100039 past the precision', () => {
    s.execute('CREATE OR REPLACE TABLE NUMBER_CONV (EXPR VARCHAR)');
    s.execute("INSERT INTO NUMBER_CONV VALUES ('12.3456'), ('98.76546')");
    const r = s.execute('SELECT TO_NUMBER(EXPR), TO_NUMBER(EXPR, 10, 1), TO_NUMBER(EXPR, 10, 8) FROM NUMBER_CONV ORDER BY EXPR');
    expect(r.rows).toEqual([
      [12, 12.3, 12.3456],
      [99, 98.8, 98.76546],
    ]);
    expect(r.columns.map((c) => [c.type, c.scale])).toEqual([
      ['NUMBER', 0],
      ['NUMBER', 1],
      ['NUMBER', 8],
    ]);
    expect(r.text(0, 2)).toBe('12.34560000');
    const e = failureOf(s, 'SELECT TO_NUMBER(EXPR, 10, 9) FROM NUMBER_CONV');
    expect([e.code, e.state, e.message]).toEqual([100039, '22003', "Numeric value '12.3456' is out of range"]);
    // Text that is no number is Snowflake's 100038.
    expect(failureOf(s, "SELECT TO_NUMBER('12x')").code).toBe(100038);
  });

  it('parses by a format: 99.9 with and without a scale, group separators, $, hexadecimal', () => {
    s.execute('CREATE OR REPLACE TABLE DECIMAL_TEXT (N INTEGER, COLUMN1 VARCHAR)');
    s.execute("INSERT INTO DECIMAL_TEXT VALUES (1, '1.0'), (2, '-12.3'), (3, '0.0'), (4, '- 0.1')");
    const r = s.execute("SELECT TO_DECIMAL(COLUMN1, '99.9'), TO_DECIMAL(COLUMN1, '99.9', 9, 5) FROM DECIMAL_TEXT ORDER BY N");
    expect(r.rows).toEqual([
      [1, 1],
      [-12, -12.3],
      [0, 0],
      [0, -0.1],
    ]);
    expect(r.text(1, 1)).toBe('-12.30000');
    expect(one("SELECT TO_DECIMAL('3,741.72', '9,999.99', 6, 2)")).toBe(3741.72);
    expect(one("SELECT TO_DECIMAL('$3,741.72', '$9,999.99', 6, 2)")).toBe(3741.72);
    expect(one("SELECT TO_DECIMAL('ae5', 'XXX')")).toBe(2789);
    const e = failureOf(s, "SELECT TO_DECIMAL('ae5', 'XX')");
    expect([e.code, e.state, e.message]).toEqual([100140, '22007', "Can't parse 'ae5' as number with format 'XX'"]);
  });

  // sql-format-models, "Input examples": 9 accepts missing leading digits, 0 does not; lax mode
  // skips leading blanks; MI999|999MI takes the sign at either end.
  it('9 takes missing leading digits, 0 does not; alternatives with | ', () => {
    for (const text of ['012,345.67', '12,345.67', ' 12,345.67']) expect([text, one(`SELECT TO_NUMBER('${text}', '999,999.99', 8, 2)`)]).toEqual([text, 12345.67]);
    expect(one("SELECT TO_NUMBER('012,345.67', '000,000.00', 8, 2)")).toBe(12345.67);
    for (const text of ['12,345.67', ' 12,345.67']) expect([text, failureOf(s, `SELECT TO_NUMBER('${text}', '000,000.00', 8, 2)`).code]).toEqual([text, 100140]);
    s.execute('CREATE OR REPLACE TABLE FORMAT1 (V VARCHAR, I INTEGER)');
    s.execute("INSERT INTO FORMAT1 (V) VALUES ('-101'), ('102-'), ('103')");
    expect(failureOf(s, 'UPDATE FORMAT1 SET I = TO_NUMBER(V)').message).toBe("Numeric value '102-' is not recognized");
    s.execute("UPDATE FORMAT1 SET I = TO_NUMBER(V, 'MI999|999MI')");
    expect(s.execute('SELECT I FROM FORMAT1 ORDER BY V').rows).toEqual([[-101], [-102], [103]]);
  });

  it('refuses by name what it does not parse', () => {
    expect(failureOf(s, "SELECT TO_NUMBER('12', 'FX99')").message).toMatch(/FX \(exact match mode\) when parsing is not implemented/);
    expect(failureOf(s, "SELECT TO_NUMBER('12', 'YYYY')").message).toMatch(/not a numeric format model/);
    expect(failureOf(s, "SELECT TO_NUMBER(12, '99')").message).toMatch(/of a INTEGER value is not implemented/);
    expect(() => s.execute("SELECT TO_NUMBER('12', 10, ?)", [2])).toThrow(/that is not a literal is not implemented/);
    // Without a format TRY_TO_NUMBER is the conversion family's (conversion.test.ts); with one it is refused.
    expect(failureOf(s, "SELECT TRY_TO_NUMBER('12x', '99')").message).toMatch(/TRY_TO_NUMBER is not implemented/);
  });
});

describe('the format parser', () => {
  it('reads numeric models element by element and leaves date formats alone', () => {
    expect(classifyFormat('YYYY-MM-DD')).toBeNull();
    expect(classifyFormat('HH24:MI:SS.FF9')).toBeNull();
    expect(classifyFormat('MI')).toBeNull();
    const c = classifyFormat('FMS$9,990.00"!"');
    expect(c?.kind).toBe('numeric');
    const m = c?.kind === 'numeric' ? c.models[0] : undefined;
    expect(m && { ...m }).toEqual({
      before: [],
      after: [{ t: 'literal', text: '!' }],
      sign: 'anchored',
      dollar: true,
      blankZero: false,
      integer: ['9', '9', '9', '0'],
      groups: [1],
      point: true,
      fraction: ['0', '0'],
      hex: false,
      compact: true,
      exact: false,
    });
  });
});
