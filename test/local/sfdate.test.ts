/**
 * SfDate, timestamp binds and timestamp return values, against the examples of
 * https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-api#object-sfdate
 * and https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-javascript#binding-variables
 * (expected values are the outputs those pages print).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, LocalSnowflakeError, SfDate } from '../../local/index.js';
import type { LocalSession } from '../../local/index.js';

let sf: LocalSnowflake;
let utc: LocalSession;
let la: LocalSession;

beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  utc = sf.session({ name: 'utc', timezone: 'UTC' });
  la = sf.session({ name: 'la', timezone: 'America/Los_Angeles' });
  // The SfDate examples, as the API page writes them (cast type and method vary).
  const proc = (name: string, cast: string, method: string, extraArg = ''): void => {
    utc.execute(`CREATE OR REPLACE PROCEDURE ${name}(TSV VARCHAR${extraArg}) RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$
    var sql_command = "SELECT '" + TSV + "'::${cast};";
    var stmt = snowflake.createStatement( {sqlText: sql_command} );
    var resultSet = stmt.execute();
    resultSet.next();
    var my_sfDate = resultSet.getColumnValue(1);
    return my_sfDate.${method}();
    $$`);
  };
  proc('TEST_GET_EPOCH_SECONDS', 'TIMESTAMP_NTZ', 'getEpochSeconds');
  proc('TEST_GET_NANO_SECONDS2', 'TIMESTAMP_NTZ', 'getNanoSeconds');
  proc('TEST_GET_TIMEZONE', 'TIMESTAMP_TZ', 'getTimezone');
  proc('TEST_TOSTRING', 'TIMESTAMP_TZ', 'toString');
  utc.execute(`CREATE OR REPLACE PROCEDURE TEST_GET_SCALE(TSV VARCHAR, SCALE VARCHAR) RETURNS FLOAT LANGUAGE JAVASCRIPT AS $$
    var sql_command = "SELECT '" + TSV + "'::TIMESTAMP_NTZ(" + SCALE + ");";
    var stmt = snowflake.createStatement( {sqlText: sql_command} );
    var resultSet = stmt.execute();
    resultSet.next();
    var my_sfDate = resultSet.getColumnValue(1);
    return my_sfDate.getScale();
    $$`);
});
afterAll(() => sf.close());

const value = (s: LocalSession, sql: string): unknown => s.execute(sql).rows[0]?.[0];

describe('SfDate methods (the API page examples)', () => {
  it('getEpochSeconds', () => {
    expect(value(utc, "CALL test_get_epoch_seconds('1970-01-01 00:00:00.000000000')")).toBe(0);
    expect(value(utc, "CALL test_get_epoch_seconds('1970-01-01 00:00:01.987654000')")).toBe(1);
    expect(value(utc, "CALL test_get_epoch_seconds('1971-01-01 00:00:00')")).toBe(31536000);
  });

  it('getNanoSeconds: the fraction of the second, to the microsecond kept locally', () => {
    expect(value(utc, "CALL test_get_nano_seconds2('1970-01-01 00:00:00.000000000')")).toBe(0);
    // The page's other two inputs have digits below the microsecond (987654321 and 123456
    // nanoseconds): the local engine refuses them rather than answering 987654000 and 123000.
    expect(() => utc.execute("CALL test_get_nano_seconds2('1970-01-01 00:00:01.987654321')")).toThrow(/not implemented/);
    expect(() => utc.execute("CALL test_get_nano_seconds2('1971-01-01 00:00:00.000123456')")).toThrow(/not implemented/);
    // The same inputs cut to the microsecond give the page's values cut likewise.
    expect(value(utc, "CALL test_get_nano_seconds2('1970-01-01 00:00:01.987654')")).toBe(987654000);
    expect(value(utc, "CALL test_get_nano_seconds2('1971-01-01 00:00:00.000123')")).toBe(123000);
  });

  it('getScale: the precision of the type', () => {
    expect(value(utc, "CALL test_get_scale('1970-01-01 00:00:00', '0')")).toBe(0);
    expect(value(utc, "CALL test_get_scale('1971-01-01 00:00:00.000123', '9')")).toBe(9);
    expect(value(utc, "CALL test_get_scale('1970-01-01 00:00:01.123', '3')")).toBe(3);
    // A precision the local engine cannot hold fails instead of reporting another scale.
    const e = (() => {
      try {
        utc.execute("CALL test_get_scale('1970-01-01 00:00:01.123', '2')");
      } catch (err) {
        return err as LocalSnowflakeError;
      }
      return undefined;
    })();
    expect(e?.message).toMatch(/TIMESTAMP_NTZ\(2\).*not implemented/s);
  });

  // The page prints -480 for '1970-01-01 00:00:01-08:00' and 660 for '…+11:00': the offset the
  // TIMESTAMP_TZ value was written with. The local engine keeps only the instant (and reads a
  // TIMESTAMP_TZ column as TIMESTAMP_LTZ), so it refuses rather than give the session's offset.
  it('getTimezone: refused for TIMESTAMP_TZ/LTZ values, whose offset the local engine does not keep', () => {
    for (const s of [la, utc]) {
      const e = (() => {
        try {
          s.execute("CALL test_get_timezone('1971-01-01 00:00:00.000123+11:00')");
        } catch (err) {
          return err as LocalSnowflakeError;
        }
        return undefined;
      })();
      expect([e?.code, e?.state]).toEqual([9999, '0A000']);
      expect(e?.message).toMatch(/SfDate\.getTimezone\(\) of a TIMESTAMP_LTZ or TIMESTAMP_TZ value is not implemented in the local Snowflake runtime/);
    }
  });

  it('toString: as the engine (running in UTC) prints a Date', () => {
    expect(value(utc, "CALL test_toString('1970-01-02 03:04:05')")).toBe('Fri Jan 02 1970 03:04:05 GMT+0000 (Coordinated Universal Time)');
  });
});

// The binding example of the JavaScript procedures page: a TIMESTAMP_LTZ read into an SfDate is
// bound into TIMESTAMP_LTZ, TIMESTAMP_NTZ and DATE columns and returned as TIMESTAMP_LTZ, in a
// session in America/Los_Angeles. The page prints 2008-11-18 16:00:00.000 -0800 for TS1 and the
// return value, 2008-11-18 16:00:00.000 for TS_NTZ1 and 2008-11-18 for DATE1.
describe('an SfDate binds back as the type it was read as', () => {
  beforeAll(() => {
    la.execute(`CREATE OR REPLACE TABLE table1 (v VARCHAR, ts1 TIMESTAMP_LTZ(9), int1 INTEGER, float1 FLOAT, numeric1 NUMERIC(10,9), ts_ntz1 TIMESTAMP_NTZ, date1 DATE, time1 TIME)`);
    la.execute(`CREATE OR REPLACE PROCEDURE string_to_timestamp_ltz(TSV VARCHAR)
RETURNS TIMESTAMP_LTZ
LANGUAGE JAVASCRIPT
AS
$$
    var sql_command = "SELECT '" + TSV + "'::TIMESTAMP_LTZ;";
    var stmt = snowflake.createStatement( {sqlText: sql_command} );
    var resultSet = stmt.execute();
    resultSet.next();
    var my_sfDate = resultSet.getColumnValue(1);
    f = 3.1415926;
    sql_command = \`INSERT INTO table1 VALUES(:1, :2, :3, :4, :5, :6, :7, :8);\`
    result = snowflake.execute(
        {
        sqlText: sql_command,
        binds: [TSV, my_sfDate, f, f, f, my_sfDate, my_sfDate, '12:30:00.123' ]
        }
        );
    return my_sfDate;
$$`);
  });

  it('returns the TIMESTAMP_LTZ instant, and stores it unshifted in LTZ, NTZ and DATE columns', () => {
    const r = la.execute("CALL string_to_timestamp_ltz('2008-11-18 16:00:00')");
    expect(r.columns[0]?.type).toBe('TIMESTAMP_LTZ');
    const returned = r.rows[0]?.[0] as SfDate;
    expect(returned).toBeInstanceOf(Date);
    // 16:00 in Los Angeles on 2008-11-18 (PST, -08:00) is 00:00 UTC on the 19th.
    expect(returned.getTime()).toBe(Date.UTC(2008, 10, 19, 0, 0, 0));
    const r2 = la.execute(
      `SELECT V, TO_VARCHAR(TS1, 'YYYY-MM-DD HH24:MI:SS.FF3') AS TS1, INT1, FLOAT1,
              TO_VARCHAR(TS_NTZ1, 'YYYY-MM-DD HH24:MI:SS.FF3') AS TS_NTZ1, TO_VARCHAR(DATE1, 'YYYY-MM-DD') AS DATE1, TS1 AS INSTANT FROM table1`,
    );
    // The page's INT1, FLOAT1 and NUMERIC1: 3, 3.141593 and 3.141593000 (the number 3.1415926 binds with six decimals).
    expect(r2.rows[0]?.slice(0, 6)).toEqual(['2008-11-18 16:00:00', '2008-11-18 16:00:00.000', 3, 3.141593, '2008-11-18 16:00:00.000', '2008-11-18']);
    expect(la.execute('SELECT NUMERIC1 FROM table1').text(0, 0)).toBe('3.141593000');
    // TIME1, bound the text '12:30:00.123', prints 12:30:00 (TIME_OUTPUT_FORMAT HH24:MI:SS).
    const time = la.execute('SELECT TIME1 FROM table1');
    expect([time.columns[0]?.type, time.text(0, 0)]).toEqual(['TIME', '12:30:00']);
    expect((r2.rows[0]?.[6] as Date).getTime()).toBe(Date.UTC(2008, 10, 19, 0, 0, 0));
  });

  it('binds an NTZ value read in the procedure back as NTZ, and a DATE as DATE', () => {
    la.execute('CREATE OR REPLACE TABLE KINDS (N TIMESTAMP_NTZ, D DATE, L TIMESTAMP_LTZ)');
    la.execute(`CREATE OR REPLACE PROCEDURE COPY_KINDS() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$
      var rs = snowflake.execute({ sqlText: "SELECT '2024-01-01 20:00:00'::TIMESTAMP_NTZ AS N, '2024-01-01'::DATE AS D" });
      rs.next();
      snowflake.execute({ sqlText: 'INSERT INTO KINDS VALUES (?, ?, ?)', binds: [rs.getColumnValue('N'), rs.getColumnValue('D'), rs.getColumnValue('N')] });
      return 'ok';
    $$`);
    la.execute('CALL COPY_KINDS()');
    // NTZ into LTZ takes the wall clock in the session's time zone, as a cast does.
    expect(la.execute("SELECT TO_VARCHAR(N, 'YYYY-MM-DD HH24:MI:SS'), TO_VARCHAR(D, 'YYYY-MM-DD'), L = '2024-01-01 20:00:00'::TIMESTAMP_NTZ::TIMESTAMP_LTZ FROM KINDS").rows[0]).toEqual([
      '2024-01-01 20:00:00',
      '2024-01-01',
      true,
    ]);
  });
});

// https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-javascript#sql-and-javascript-data-type-mapping :
// a returned JavaScript date becomes the declared SQL type.
describe('a Date returned for a DATE or TIMESTAMP return type', () => {
  it.each([
    ['DATE', 'DATE', "'2008-11-19'::DATE", '2008-11-19'],
    ['TIMESTAMP_NTZ', 'TIMESTAMP_NTZ', "'2008-11-19 01:02:03.456'::TIMESTAMP_NTZ", '2008-11-19 01:02:03.456'],
    ['TIMESTAMP_LTZ', 'TIMESTAMP_LTZ', "'2008-11-19 01:02:03.456'::TIMESTAMP_LTZ", '2008-11-19 01:02:03.456'],
  ])('RETURNS %s gives a %s value, not its text', (returns, type, expr, text) => {
    utc.execute(`CREATE OR REPLACE PROCEDURE RET_DATE() RETURNS ${returns} LANGUAGE JAVASCRIPT AS $$
      var rs = snowflake.execute({ sqlText: "SELECT ${expr.replace(/'/g, "\\'")}" }); rs.next(); return rs.getColumnValue(1);
    $$`);
    const r = utc.execute('CALL RET_DATE()');
    expect(r.columns[0]?.type).toBe(type);
    expect(r.text(0, 0)).toBe(text);
    expect(r.rows[0]?.[0]).toBeInstanceOf(Date);
  });
});

// https://docs.snowflake.com/en/sql-reference/parameters#timestamp-ntz-output-format and
// #timestamp-output-format: without a format, TIMESTAMP_NTZ prints 'YYYY-MM-DD HH24:MI:SS.FF3'
// and TIMESTAMP_LTZ 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM' (the binding example above shows
// 2008-11-18 16:00:00.000 -0800 for its TIMESTAMP_LTZ column).
describe('timestamps converted to text without a format', () => {
  it('print in the default output formats', () => {
    const r = la.execute(
      "SELECT CAST('2008-11-18 16:00:00'::TIMESTAMP_NTZ AS VARCHAR) AS A, '2008-11-18 16:00:00.5'::TIMESTAMP_NTZ::STRING AS B, " +
        "TO_VARCHAR('2008-11-18 16:00:00'::TIMESTAMP_LTZ) AS C, CAST('2008-11-18'::DATE AS VARCHAR) AS D, CAST(1.5 AS VARCHAR) AS E",
    );
    expect(r.rows[0]).toEqual(['2008-11-18 16:00:00.000', '2008-11-18 16:00:00.500', '2008-11-18 16:00:00.000 -0800', '2008-11-18', '1.5']);
  });
});
