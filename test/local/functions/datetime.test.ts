/**
 * Dates, timestamps and time zones (local/compat/functions/datetime.ts): the answers Snowflake's
 * documentation prints, or a loud refusal. Timestamps are compared through TO_VARCHAR, which
 * prints Snowflake's default output formats (`YYYY-MM-DD HH24:MI:SS.FF3`, and ` TZHTZM` for
 * TIMESTAMP_LTZ), so the expected texts are the documentation's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../../local/index.js';
import { failureOf } from '../../support/failure.js';

let sf: LocalSnowflake;
/** A session in UTC. */
let s: LocalSession;
/** A session in America/Los_Angeles, the zone the documentation's examples print in. */
let la: LocalSession;
beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  s = sf.session();
  la = sf.session({ name: 'la', timezone: 'America/Los_Angeles' });
});
afterAll(() => sf.close());

const row = (session: LocalSession, sql: string, binds: unknown[] = []): unknown[] => session.execute(sql, binds).rows[0] ?? [];
const one = (session: LocalSession, sql: string, binds: unknown[] = []): unknown => row(session, sql, binds)[0];
const notImplemented = (session: LocalSession, sql: string, what: RegExp): void => {
  const e = failureOf(session, sql);
  expect(e.code).toBe(9999);
  expect(e.message).toMatch(what);
  expect(e.message).toMatch(/is not implemented in the local Snowflake runtime/);
};

describe('text with a UTC offset', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/year prints
  // '2025-04-11T23:39:20.123-07:00'::TIMESTAMP as 2025-04-11 23:39:20.123: TIMESTAMP (NTZ by
  // default) keeps the wall-clock time and ignores the offset.
  it('TIMESTAMP_NTZ keeps the wall-clock time and ignores the offset', () => {
    expect(one(s, "SELECT TO_VARCHAR('2025-04-11T23:39:20.123-07:00'::TIMESTAMP)")).toBe('2025-04-11 23:39:20.123');
    expect(row(s, "SELECT TO_VARCHAR('2024-01-01 10:00:00 +05:00'::TIMESTAMP_NTZ), TO_VARCHAR(TO_TIMESTAMP_NTZ('2024-01-01 10:00:00 +0500'))")).toEqual([
      '2024-01-01 10:00:00.000',
      '2024-01-01 10:00:00.000',
    ]);
  });

  // https://docs.snowflake.com/en/sql-reference/data-types-datetime#timestamp-ltz-timestamp-ntz-timestamp-tz
  // and https://docs.snowflake.com/en/sql-reference/date-time-input-output (TZH:TZM, TZHTZM,
  // TZH, and the ISO form with T and Z): the offset names the instant of TIMESTAMP_LTZ/TZ.
  it('TIMESTAMP_TZ and TIMESTAMP_LTZ take the instant the offset names, in every spelling', () => {
    const spellings = [
      '2024-04-05 12:00:00 +02:00',
      '2024-04-05 12:00:00+02:00',
      '2024-04-05 12:00:00 +0200',
      '2024-04-05 12:00:00+0200',
      '2024-04-05 12:00:00 +02',
      '2024-04-05T12:00:00+02:00',
      '2024-04-05 12:00 +02:00',
      '2024-04-05T10:00:00Z',
      '2024-04-05 10:00:00 Z',
    ];
    for (const text of spellings) {
      // In Los Angeles (-0700 in April) the instant 10:00 UTC is 03:00.
      expect(one(la, `SELECT TO_VARCHAR('${text}'::TIMESTAMP_LTZ)`), text).toBe('2024-04-05 03:00:00.000 -0700');
      expect(one(la, `SELECT TO_VARCHAR(TO_TIMESTAMP_LTZ('${text}'))`), text).toBe('2024-04-05 03:00:00.000 -0700');
      expect(one(s, `SELECT '${text}'::TIMESTAMP_TZ = '2024-04-05 10:00:00'::TIMESTAMP_LTZ`), text).toBe(true);
      expect(one(s, `SELECT TO_TIMESTAMP_TZ('${text}') = CAST('2024-04-05 10:00:00 +00:00' AS TIMESTAMP_TZ)`), text).toBe(true);
    }
  });

  // https://docs.snowflake.com/en/sql-reference/data-types-datetime: TIMESTAMP_NTZ(0) and (3)
  // convert text as TIMESTAMP_NTZ(9) does, then keep seconds or milliseconds.
  it('casts to TIMESTAMP_NTZ(0) and (3) take offsets too', () => {
    expect(row(s, "SELECT TO_VARCHAR('2024-01-01 10:00:00.123 +05:00'::TIMESTAMP_NTZ(3)), TO_VARCHAR(CAST('2024-01-01 10:00:00 +05:00' AS TIMESTAMP_NTZ(0)))")).toEqual([
      '2024-01-01 10:00:00.123',
      '2024-01-01 10:00:00.000',
    ]);
  });

  // https://docs.snowflake.com/en/sql-reference/data-types-datetime: typed constants
  // (TIMESTAMP '…', TIMESTAMP_TZ '…') convert as the cast to their type.
  it('typed constants take offsets as the casts do', () => {
    expect(row(la, "SELECT TO_VARCHAR(TIMESTAMP '2024-04-05 12:00:00 +02:00'), TO_VARCHAR(TIMESTAMP_LTZ '2024-04-05 12:00:00 +02:00'), TIMESTAMP_TZ '2024-04-05 12:00:00 +02:00' = TIMESTAMP_TZ '2024-04-05T10:00:00Z'")).toEqual([
      '2024-04-05 12:00:00.000',
      '2024-04-05 03:00:00.000 -0700',
      true,
    ]);
  });

  it('bound text converts the same way, and a bound offset without a space reaches a TIMESTAMP_TZ column', () => {
    const r = row(la, 'SELECT TO_VARCHAR(TO_TIMESTAMP_TZ(?)), TO_VARCHAR(CAST(? AS TIMESTAMP_NTZ)), TO_VARCHAR(?::TIMESTAMP_LTZ)', [
      '2024-04-05 12:00:00 +02:00',
      '2024-04-05 12:00:00 +02:00',
      '2024-04-05T10:00:00Z',
    ]);
    expect(r).toEqual(['2024-04-05 03:00:00.000 -0700', '2024-04-05 12:00:00.000', '2024-04-05 03:00:00.000 -0700']);
    s.execute('CREATE OR REPLACE TABLE OFFSETS (ID NUMBER, TZ TIMESTAMP_TZ, NTZ TIMESTAMP_NTZ)');
    s.execute('INSERT INTO OFFSETS VALUES (1, ?, ?)', ['2024-04-05 12:00:00+02:00', '2024-04-05 12:00:00+02:00']);
    s.execute("INSERT INTO OFFSETS VALUES (2, '2024-04-05 12:00:00 +02:00'::TIMESTAMP_TZ, TO_TIMESTAMP_NTZ('2024-04-05 12:00:00 +02:00'))");
    expect(s.execute('SELECT TO_VARCHAR(TZ), TO_VARCHAR(NTZ) FROM OFFSETS ORDER BY ID').rows).toEqual([
      ['2024-04-05 10:00:00.000 +0000', '2024-04-05 12:00:00.000'],
      ['2024-04-05 10:00:00.000 +0000', '2024-04-05 12:00:00.000'],
    ]);
  });

  // https://docs.snowflake.com/en/sql-reference/data-types-datetime (the TIMESTAMP_LTZ and
  // TIMESTAMP_NTZ examples, session in America/Los_Angeles): '2014-01-02 16:00:00 +00:00'
  // inserted into a TIMESTAMP_LTZ column reads 2014-01-02 08:00:00.000 -0800 (HOUR 8); into a
  // TIMESTAMP_NTZ column 2014-01-02 16:00:00.000, "not converted".
  it('text inserted into timestamp columns converts as a cast does (the documentation\'s examples)', () => {
    la.execute('CREATE OR REPLACE TABLE TS_TEST_LTZ (TS TIMESTAMP_LTZ)');
    la.execute("INSERT INTO TS_TEST_LTZ VALUES ('2014-01-01 16:00:00')");
    la.execute("INSERT INTO TS_TEST_LTZ VALUES ('2014-01-02 16:00:00 +00:00')");
    expect(la.execute('SELECT TO_VARCHAR(TS), HOUR(TS) FROM TS_TEST_LTZ ORDER BY TS').rows).toEqual([
      ['2014-01-01 16:00:00.000 -0800', 16],
      ['2014-01-02 08:00:00.000 -0800', 8],
    ]);
    la.execute('CREATE OR REPLACE TABLE TS_TEST_NTZ (TS TIMESTAMP_NTZ)');
    la.execute("INSERT INTO TS_TEST_NTZ VALUES ('2014-01-01 16:00:00')");
    la.execute("INSERT INTO TS_TEST_NTZ VALUES ('2014-01-02 16:00:00 +00:00')");
    expect(la.execute('SELECT TO_VARCHAR(TS), HOUR(TS) FROM TS_TEST_NTZ ORDER BY TS').rows).toEqual([
      ['2014-01-01 16:00:00.000', 16],
      ['2014-01-02 16:00:00.000', 16],
    ]);
    // A bound string and text from a query convert the same way.
    s.execute('INSERT INTO OFFSETS (ID, TZ) VALUES (3, ?)', ['2024-04-05 12:00:00 +02:00']);
    s.execute('CREATE OR REPLACE TABLE OFFSET_TEXT (ID NUMBER, T VARCHAR)');
    s.execute("INSERT INTO OFFSET_TEXT VALUES (4, '2024-04-05 12:00:00 +0200')");
    s.execute('INSERT INTO OFFSETS (ID, TZ, NTZ) SELECT ID, T, T FROM OFFSET_TEXT');
    expect(s.execute('SELECT TO_VARCHAR(TZ), TO_VARCHAR(NTZ) FROM OFFSETS WHERE ID >= 3 ORDER BY ID').rows).toEqual([
      ['2024-04-05 10:00:00.000 +0000', null],
      ['2024-04-05 10:00:00.000 +0000', '2024-04-05 12:00:00.000'],
    ]);
  });

  // Text from a column inserted into a timestamp column had its digits below the microsecond
  // dropped by the engine's implicit conversion; Snowflake keeps them (see "Timestamp precision"
  // in local/README.md): the local runtime refuses rather than store a different value.
  it('refuses text with nanoseconds inserted from a query', () => {
    s.execute("INSERT INTO OFFSET_TEXT VALUES (5, '2024-04-05 12:00:00.123456' || '789')");
    notImplemented(s, 'INSERT INTO OFFSETS (ID, NTZ) SELECT ID, T FROM OFFSET_TEXT WHERE ID = 5', /nanosecond precision/);
  });

  // UPDATE … SET and MERGE convert text assigned to timestamp columns as INSERT does
  // (https://docs.snowflake.com/en/sql-reference/data-types-datetime: the conversion is the
  // column type's, whatever the statement).
  it('text assigned by UPDATE and MERGE converts as a cast does, nanoseconds refused', () => {
    s.execute("UPDATE OFFSETS SET NTZ = '2024-04-05 12:00:00 +02:00', TZ = ? WHERE ID = 1", ['2024-04-05 12:00:00 +0200']);
    s.execute('UPDATE OFFSETS O SET O.NTZ = T.T FROM OFFSET_TEXT T WHERE T.ID = 4 AND O.ID = 2');
    s.execute("MERGE INTO OFFSETS O USING (SELECT 6 AS ID, '2024-04-05 12:00:00 +02' AS T) S ON O.ID = S.ID WHEN MATCHED THEN UPDATE SET TZ = S.T WHEN NOT MATCHED THEN INSERT (ID, TZ, NTZ) VALUES (S.ID, S.T, S.T)");
    expect(s.execute('SELECT ID, TO_VARCHAR(TZ), TO_VARCHAR(NTZ) FROM OFFSETS WHERE ID IN (1, 2, 6) ORDER BY ID').rows).toEqual([
      [1, '2024-04-05 10:00:00.000 +0000', '2024-04-05 12:00:00.000'],
      [2, '2024-04-05 10:00:00.000 +0000', '2024-04-05 12:00:00.000'],
      [6, '2024-04-05 10:00:00.000 +0000', '2024-04-05 12:00:00.000'],
    ]);
    notImplemented(s, 'UPDATE OFFSETS O SET NTZ = T.T FROM OFFSET_TEXT T WHERE T.ID = 5', /nanosecond precision/);
  });

  // Elsewhere (a comparison) the engine converts text implicitly and cannot tell that it becomes
  // a timestamp: an offset after a space is refused, naming the fix.
  it('refuses, by name, an offset after a space in text compared with a timestamp', () => {
    notImplemented(s, "SELECT ID FROM OFFSETS WHERE TZ = '2024-04-05 12:00:00 +02:00'", /UTC offset '\+02:00' after a space converted to a timestamp without a cast/);
    expect(() => s.execute('SELECT ID FROM OFFSETS WHERE TZ = ?', ['2024-04-05 12:00:00 +02:00'])).toThrow(/TO_TIMESTAMP_TZ.*is not implemented/s);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/to_timestamp: text that is no timestamp
  // fails the conversion (TRY_TO_TIMESTAMP gives NULL instead).
  it('fails on text that is no timestamp with Snowflake\'s wording, not the engine\'s', () => {
    const e = failureOf(s, "SELECT 'soon'::TIMESTAMP_NTZ");
    expect(e.message).toBe("Timestamp 'soon' is not recognized");
    expect(failureOf(s, "SELECT TO_DATE('soon')").message).toBe("Date 'soon' is not recognized");
  });
});

describe('CONVERT_TIMEZONE', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/convert_timezone: the 3-argument form
  // moves an NTZ wall-clock time from one zone to another (a TIMESTAMP_NTZ).
  it('the 3-argument form moves a wall-clock time between zones', () => {
    const r = s.execute("SELECT CONVERT_TIMEZONE('America/Los_Angeles', 'America/New_York', '2024-01-01 14:00:00'::TIMESTAMP_NTZ) AS T");
    expect(r.columns[0]?.type).toBe('TIMESTAMP_NTZ');
    expect(one(s, "SELECT TO_VARCHAR(CONVERT_TIMEZONE('America/Los_Angeles', 'America/New_York', '2024-01-01 14:00:00'::TIMESTAMP_NTZ))")).toBe('2024-01-01 17:00:00.000');
  });

  // Same page: CONVERT_TIMEZONE('America/Los_Angeles', '2024-04-05 12:00:00 +02:00') is
  // 2024-04-05 03:00:00.000 -0700. Locally the result is that wall-clock time as a
  // TIMESTAMP_NTZ (local/README.md, "Where it differs"): its text in a format without an offset
  // and its date parts agree.
  it('the 2-argument form gives the wall-clock time in the target zone', () => {
    expect(row(s, "SELECT TO_VARCHAR(CONVERT_TIMEZONE('America/Los_Angeles', '2024-04-05 12:00:00 +02:00'), 'YYYY-MM-DD HH24:MI:SS'), HOUR(CONVERT_TIMEZONE('America/Los_Angeles', '2024-04-05 12:00:00 +02:00'))")).toEqual([
      '2024-04-05 03:00:00',
      3,
    ]);
    expect(one(la, "SELECT TO_VARCHAR(CONVERT_TIMEZONE('UTC', '2024-01-01 10:00:00'::TIMESTAMP_LTZ), 'YYYY-MM-DD HH24:MI')")).toBe('2024-01-01 18:00');
  });
});

describe('TO_TIMESTAMP of numbers and integer text', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/to_timestamp: a number counts seconds
  // since 1970-01-01 00:00:00 UTC, or units of 10^-scale seconds with a scale (0 to 9); a
  // non-integer keeps its fraction. The expected values follow from that rule (40 * 365.25 days
  // after the epoch is 2010-01-01; 10^9 seconds 2001-09-09 01:46:40).
  it('takes a number of seconds, or a scale', () => {
    expect(one(s, 'SELECT TO_VARCHAR(TO_TIMESTAMP_NTZ(40 * 365.25 * 86400))')).toBe('2010-01-01 00:00:00.000');
    expect(row(s, 'SELECT TO_VARCHAR(TO_TIMESTAMP(1000000000, 0)), TO_VARCHAR(TO_TIMESTAMP(1000000000, 3)), TO_VARCHAR(TO_TIMESTAMP(1000000000, 6)), TO_VARCHAR(TO_TIMESTAMP(1000000000, 9))')).toEqual([
      '2001-09-09 01:46:40.000',
      '1970-01-12 13:46:40.000',
      '1970-01-01 00:16:40.000',
      '1970-01-01 00:00:01.000',
    ]);
    expect(one(s, 'SELECT TO_VARCHAR(TO_TIMESTAMP_NTZ(?, 3))', [1700000000123])).toBe('2023-11-14 22:13:20.123');
    expect(one(la, 'SELECT TO_VARCHAR(TO_TIMESTAMP_LTZ(1700000000))')).toBe('2023-11-14 14:13:20.000 -0800');
    expect(one(s, 'SELECT TO_VARCHAR(TO_TIMESTAMP(1.5))')).toBe('1970-01-01 00:00:01.500');
    expect(one(s, 'SELECT TO_VARCHAR(CAST(86400 AS TIMESTAMP_NTZ))')).toBe('1970-01-02 00:00:00.000');
  });

  // Same page, usage notes: an integer in text counts seconds below 31536000000, milliseconds
  // below 31536000000000, microseconds below 31536000000000000, nanoseconds above.
  it('reads integer text as seconds, milliseconds, microseconds or nanoseconds by its size', () => {
    const r = s.execute(
      "SELECT COLUMN1, TO_VARCHAR(TO_TIMESTAMP(COLUMN2)) FROM VALUES ('Seconds', '31536000'), ('Milliseconds', '31536000000'), ('Microseconds', '31536000000000'), ('Nanoseconds', '31536000000000000')",
    );
    expect(r.rows.map((x) => x[1])).toEqual(Array(4).fill('1971-01-01 00:00:00.000'));
    expect(one(s, "SELECT TO_VARCHAR(TO_TIMESTAMP('31536000'))")).toBe('1971-01-01 00:00:00.000');
  });

  it('refuses digits below the microsecond, which the local engine cannot keep', () => {
    notImplemented(s, 'SELECT TO_TIMESTAMP_NTZ(1700000000123456789, 9)', /nanosecond precision/);
    notImplemented(s, "SELECT TO_TIMESTAMP('1700000000123456789')", /nanosecond precision/);
    expect(one(s, 'SELECT TO_VARCHAR(TO_TIMESTAMP_NTZ(1700000000123456000, 9))')).toBe('2023-11-14 22:13:20.123');
  });
});

describe('TO_DATE, CURRENT_TIME and SYSTIMESTAMP', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/to_date: text of a date or timestamp,
  // and integer text counted as seconds (or milliseconds, … by its size) since the epoch, as
  // TO_TIMESTAMP counts it.
  it('TO_DATE and DATE take dates, timestamps and integer text', () => {
    expect(row(s, "SELECT TO_VARCHAR(TO_DATE('2024-05-10')), TO_VARCHAR(DATE('2024-05-10')), TO_VARCHAR(TO_DATE('2024-05-10 23:59:59'::TIMESTAMP)), TO_VARCHAR(TO_DATE('1700000000')), TO_VARCHAR(TO_DATE('31536000000'))")).toEqual([
      '2024-05-10',
      '2024-05-10',
      '2024-05-10',
      '2023-11-14',
      '1971-01-01',
    ]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/current_time: the time of day in the
  // session's time zone, a TIME (LOCALTIME is a synonym); SYSTIMESTAMP is CURRENT_TIMESTAMP
  // (https://docs.snowflake.com/en/sql-reference/functions/systimestamp). Both read the
  // runtime's clock, which stays put within a statement.
  it('CURRENT_TIME and LOCALTIME are the time of CURRENT_TIMESTAMP in the session zone', () => {
    const r = la.execute('SELECT CURRENT_TIME AS A, LOCALTIME AS B, CURRENT_TIME() = TO_TIME(CURRENT_TIMESTAMP) AS C, SYSTIMESTAMP() = CURRENT_TIMESTAMP AS D');
    expect(r.columns.map((c) => c.type)).toEqual(['TIME', 'TIME', 'BOOLEAN', 'BOOLEAN']);
    expect(r.rows[0]?.slice(2)).toEqual([true, true]);
    // TO_TIME of an LTZ value is its time of day in the session's zone (Kolkata is +05:30).
    const k = sf.session({ name: 'kolkata', timezone: 'Asia/Kolkata' });
    expect(k.execute("SELECT TO_VARCHAR(TO_TIME('2024-01-01 10:00:00 +00:00'::TIMESTAMP_LTZ))").rows[0]).toEqual(['15:30:00']);
    k.close();
  });
});

describe('TRY_TO_TIMESTAMP and TRY_TO_DATE', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/try_to_timestamp and …/try_to_date:
  // NULL where the conversion would fail.
  it('give NULL for text that is no timestamp or date, the value otherwise', () => {
    expect(row(s, "SELECT TRY_TO_TIMESTAMP('Invalid'), TRY_TO_DATE('2024-13-01'), TRY_TO_TIMESTAMP_NTZ('2024-01-01 x')")).toEqual([null, null, null]);
    expect(row(s, "SELECT TO_VARCHAR(TRY_TO_TIMESTAMP('2018-09-15 12:30:00')), TO_VARCHAR(TRY_TO_DATE('2024-05-10')), TO_VARCHAR(TRY_TO_TIMESTAMP_TZ('2024-01-01 10:00 +01:00'))")).toEqual([
      '2018-09-15 12:30:00.000',
      '2024-05-10',
      '2024-01-01 09:00:00.000 +0000',
    ]);
    expect(row(s, "SELECT TO_VARCHAR(TRY_TO_DATE('01/02/2024', 'MM/DD/YYYY')), TRY_TO_DATE('2024-02-30', 'YYYY-MM-DD')")).toEqual(['2024-01-02', null]);
    // NULL in, NULL out: the conversion pages (https://docs.snowflake.com/en/sql-reference/functions/to_timestamp)
    // print no NULL example; NULL is the least surprising answer, as for every other conversion.
    expect(row(s, 'SELECT TO_TIMESTAMP(NULL), TO_TIMESTAMP_TZ(NULL), TRY_TO_TIMESTAMP(NULL), TRY_TO_DATE(NULL), TO_TIME(NULL), TO_TIMESTAMP(NULL, 3), NULL::TIMESTAMP_TZ')).toEqual(Array(7).fill(null));
  });
});

describe('construction from parts', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/date_from_parts (its examples).
  it('DATE_FROM_PARTS carries parts outside their ranges over, as the documentation shows', () => {
    expect(one(s, 'SELECT TO_VARCHAR(DATE_FROM_PARTS(1977, 8, 7))')).toBe('1977-08-07');
    expect(row(s, 'SELECT TO_VARCHAR(DATE_FROM_PARTS(2010, 1, 100)), TO_VARCHAR(DATE_FROM_PARTS(2010, 1 + 24, 1))')).toEqual(['2010-04-10', '2012-01-01']);
    expect(row(s, 'SELECT TO_VARCHAR(DATE_FROM_PARTS(2004, 1, 1)), TO_VARCHAR(DATE_FROM_PARTS(2004, 0, 1)), TO_VARCHAR(DATE_FROM_PARTS(2004, -1, 1))')).toEqual([
      '2004-01-01',
      '2003-12-01',
      '2003-11-01',
    ]);
    expect(row(s, 'SELECT TO_VARCHAR(DATE_FROM_PARTS(2004, 1, 0)), TO_VARCHAR(DATE_FROM_PARTS(2004, 1, -1))')).toEqual(['2003-12-31', '2003-12-30']);
    expect(s.execute('SELECT DATE_FROM_PARTS(2004, 1, 1) AS D').columns[0]?.type).toBe('DATE');
  });

  // https://docs.snowflake.com/en/sql-reference/functions/timestamp_from_parts (examples printed
  // in America/Los_Angeles; usage notes: values outside the usual ranges are handled, month 13 is
  // January of the next year).
  it('TIMESTAMP_*_FROM_PARTS build NTZ, LTZ and TZ values', () => {
    expect(one(la, 'SELECT TO_VARCHAR(TIMESTAMP_LTZ_FROM_PARTS(2013, 4, 5, 12, 00, 00))')).toBe('2013-04-05 12:00:00.000 -0700');
    expect(one(la, 'SELECT TO_VARCHAR(TIMESTAMP_FROM_PARTS(2013, 4, 5, 12, 0, -3600))')).toBe('2013-04-05 11:00:00.000');
    expect(one(s, 'SELECT TO_VARCHAR(TIMESTAMP_NTZ_FROM_PARTS(2013, 13, 1, 0, 0, 0))')).toBe('2014-01-01 00:00:00.000');
    expect(one(s, 'SELECT TO_VARCHAR(TIMESTAMP_NTZ_FROM_PARTS(2013, 4, 5, 12, 0, 0, 987654000), \'YYYY-MM-DD HH24:MI:SS.FF9\')')).toBe('2013-04-05 12:00:00.987654000');
    // 12:00 in New York (-0400 in April) is 16:00 UTC.
    expect(one(s, "SELECT TIMESTAMP_TZ_FROM_PARTS(2013, 4, 5, 12, 00, 00, 0, 'America/New_York') = '2013-04-05 16:00:00 Z'::TIMESTAMP_TZ")).toBe(true);
    expect(la.execute('SELECT TIMESTAMP_NTZ_FROM_PARTS(2013, 4, 5, 12, 0, 0) A, TIMESTAMP_LTZ_FROM_PARTS(2013, 4, 5, 12, 0, 0) B').columns.map((c) => c.type)).toEqual([
      'TIMESTAMP_NTZ',
      'TIMESTAMP_LTZ',
    ]);
  });

  it('refuses nanoseconds the local engine cannot keep (the documentation\'s 987654321)', () => {
    notImplemented(s, 'SELECT TIMESTAMP_NTZ_FROM_PARTS(2013, 4, 5, 12, 00, 00, 987654321)', /nanosecond precision/);
    notImplemented(s, 'SELECT TIME_FROM_PARTS(12, 34, 56, 987654321)', /nanosecond precision/);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/time_from_parts and …/to_time; TIME
  // prints as TIME_OUTPUT_FORMAT's default HH24:MI:SS.
  it('TIME_FROM_PARTS and TO_TIME give TIME values', () => {
    expect(row(s, 'SELECT TO_VARCHAR(TIME_FROM_PARTS(12, 34, 56)), TO_VARCHAR(TIME_FROM_PARTS(0, 100, 0)), TO_VARCHAR(TIME_FROM_PARTS(12, 0, 12345))')).toEqual([
      '12:34:56',
      '01:40:00',
      '15:25:45',
    ]);
    const r = s.execute("SELECT TO_TIME('13:30:00') AS A, TIME('2024-01-01 10:11:12'::TIMESTAMP) AS B, '09:00:00'::TIME AS C");
    expect(r.columns.map((c) => c.type)).toEqual(['TIME', 'TIME', 'TIME']);
    expect(row(s, "SELECT TO_VARCHAR(TO_TIME('13:30:00')), TO_VARCHAR(TIME('2024-01-01 10:11:12'::TIMESTAMP)), TO_TIME('13:30:00') > '09:00:00'::TIME")).toEqual(['13:30:00', '10:11:12', true]);
    // https://docs.snowflake.com/en/sql-reference/functions/try_to_time: NULL where TO_TIME fails.
    expect(row(s, "SELECT TO_VARCHAR(TRY_TO_TIME('12:30:00')), TRY_TO_TIME('Invalid')")).toEqual(['12:30:00', null]);
  });
});

describe('date and time parts', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/year (its first example).
  it('YEAR, QUARTER, MONTH, DAY, DAYOFMONTH, DAYOFYEAR', () => {
    expect(row(s, "SELECT YEAR(T), QUARTER(T), MONTH(T), DAY(T), DAYOFMONTH(T), DAYOFYEAR(T) FROM (SELECT '2025-04-11T23:39:20.123-07:00'::TIMESTAMP AS T)")).toEqual([2025, 2, 4, 11, 11, 101]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/date_part: EPOCH_SECOND … count from
  // 1970-01-01 00:00:00 (the Snowpark reference's example,
  // https://docs.snowflake.com/en/developer-guide/snowpark/reference/python/1.12.1/api/snowflake.snowpark.functions.date_part,
  // gives 1672534861 for 2023-01-01 01:01:01); TO_TIMESTAMP('2013-05-08T23:39:20.123-07:00') is
  // an NTZ (the offset ignored), 2013-05-08 23:39:20.123, second 1368056360 of the epoch.
  it('DATE_PART and EXTRACT take the epoch parts', () => {
    expect(one(s, "SELECT DATE_PART('epoch_second', '2023-01-01 01:01:01'::TIMESTAMP_NTZ)")).toBe(1672534861);
    const t = "TO_TIMESTAMP('2013-05-08T23:39:20.123-07:00')";
    expect(row(s, `SELECT DATE_PART(EPOCH_SECOND, ${t}), DATE_PART('epoch_millisecond', ${t}), EXTRACT(epoch_microsecond FROM ${t}), EXTRACT(epoch_nanosecond FROM ${t})`)).toEqual([
      1368056360,
      1368056360123,
      1368056360123000,
      1368056360123000000,
    ]);
    expect(row(s, `SELECT DATE_PART(nanosecond, ${t}), EXTRACT(year FROM ${t}), DATE_PART(mm, ${t}), DATE_PART('hh', ${t})`)).toEqual([123000000, 2013, 5, 23]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions-date-time#calendar-weeks-and-weekdays:
  // under the defaults (WEEK_START = 0, WEEK_OF_YEAR_POLICY = 0) weeks start on Monday and follow
  // ISO (week 1 holds at least four days of its year); DAYOFWEEK counts Sunday as 0,
  // DAYOFWEEKISO Monday as 1 to Sunday as 7; YEAROFWEEK is the year the week belongs to.
  it('week parts follow the default WEEK_START and WEEK_OF_YEAR_POLICY', () => {
    // 2017-01-01 is a Sunday, in the last week (52) of 2016; 2017-01-02 a Monday, week 1 of 2017.
    expect(row(s, "SELECT DAYOFWEEK(D), DAYOFWEEKISO(D), WEEK(D), WEEKISO(D), YEAROFWEEK(D), YEAROFWEEKISO(D) FROM (SELECT '2017-01-01'::DATE AS D)")).toEqual([0, 7, 52, 52, 2016, 2016]);
    expect(row(s, "SELECT DAYOFWEEK(D), DAYOFWEEKISO(D), WEEK(D), WEEKISO(D), YEAROFWEEK(D), YEAROFWEEKISO(D) FROM (SELECT '2017-01-02'::DATE AS D)")).toEqual([1, 1, 1, 1, 2017, 2017]);
    expect(row(s, "SELECT DATE_PART(dayofweek, '2017-01-07'::DATE), DATE_PART(dayofweekiso, '2017-01-07'::DATE), DATE_PART(weekiso, '2017-01-01'::DATE), DATE_PART(yearofweek, '2017-01-01'::DATE)")).toEqual([6, 6, 52, 2016]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/dayname and …/monthname: three letters.
  it('DAYNAME and MONTHNAME are three letters', () => {
    expect(row(s, "SELECT DAYNAME('2024-01-07'::DATE), MONTHNAME('2024-09-07 10:00:00'::TIMESTAMP)")).toEqual(['Sun', 'Sep']);
  });

  it('refuses a part it does not know, by name', () => {
    notImplemented(s, "SELECT DATE_PART('fortnight', '2024-01-01'::DATE)", /DATE_PART of the part 'FORTNIGHT'/);
  });
});

describe('date arithmetic', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/datediff: the difference counts the
  // boundaries of the unit crossed (the parts below the unit are ignored); weeks start on Monday
  // under the default WEEK_START.
  it('DATEDIFF counts boundaries crossed', () => {
    expect(row(s, "SELECT DATEDIFF(year, '2010-12-31'::DATE, '2011-01-01'::DATE), DATEDIFF('month', '2024-01-31'::DATE, '2024-02-01'::DATE), DATEDIFF(day, '2024-01-01 23:59:59'::TIMESTAMP, '2024-01-02 00:00:00'::TIMESTAMP)")).toEqual([1, 1, 1]);
    // 2024-01-07 is a Sunday: Saturday to Sunday stays in the week, Sunday to Monday crosses.
    expect(row(s, "SELECT DATEDIFF(week, '2024-01-06'::DATE, '2024-01-07'::DATE), DATEDIFF(week, '2024-01-07'::DATE, '2024-01-08'::DATE), DATEDIFF(wk, '2024-01-08'::DATE, '2024-01-21'::DATE)")).toEqual([0, 1, 1]);
    expect(row(s, "SELECT DATEDIFF(hour, '2024-01-01 10:59:59'::TIMESTAMP, '2024-01-01 11:00:00'::TIMESTAMP), DATEDIFF(ms, '2024-01-01 00:00:00.0009'::TIMESTAMP, '2024-01-01 00:00:00.0011'::TIMESTAMP), TIMESTAMPDIFF(minute, '2024-01-01 10:00:59'::TIMESTAMP, '2024-01-01 10:01:00'::TIMESTAMP)")).toEqual([1, 1, 1]);
    expect(one(s, "SELECT DATEDIFF(year, '2013-05-08'::DATE, '2010-04-09'::DATE)")).toBe(-3);
  });

  // Text given where a date or timestamp is expected converts as TIMESTAMP_NTZ text does
  // (https://docs.snowflake.com/en/sql-reference/data-type-conversion: VARCHAR converts to the
  // date and time types implicitly). Where the result's type would follow the argument's
  // (DATE_TRUNC, ADD_MONTHS) the documentation does not say which type text becomes: refused.
  it('takes text where a date or timestamp is expected', () => {
    expect(row(s, "SELECT DATEDIFF(day, '2024-01-01', '2024-01-05'), DATEDIFF(week, '2024-01-07', '2024-01-08'), TO_VARCHAR(LAST_DAY('2024-02-10')), DAYNAME('2024-01-07'), DATE_PART(year, '2024-05-01'), EXTRACT(month FROM '2024-05-01 10:00'), TO_VARCHAR(NEXT_DAY('2024-01-05', 'fr'))")).toEqual([
      4, 1, '2024-02-29', 'Sun', 2024, 5, '2024-01-12',
    ]);
    notImplemented(s, "SELECT DATE_TRUNC('month', '2024-05-17')", /DATE_TRUNC of text/);
    notImplemented(s, "SELECT ADD_MONTHS('2016-02-29', 1)", /ADD_MONTHS of text/);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/date_trunc: a DATE stays a DATE.
  it('DATE_TRUNC keeps the type and truncates weeks to Monday', () => {
    const r = s.execute("SELECT DATE_TRUNC('month', '2024-05-17'::DATE) A, DATE_TRUNC(week, '2024-05-17 10:11:12'::TIMESTAMP) B, DATE_TRUNC('hour', '2024-05-17 10:11:12'::TIMESTAMP) C");
    expect(r.columns.map((c) => c.type)).toEqual(['DATE', 'TIMESTAMP_NTZ', 'TIMESTAMP_NTZ']);
    expect(row(s, "SELECT TO_VARCHAR(DATE_TRUNC('month', '2024-05-17'::DATE)), TO_VARCHAR(DATE_TRUNC(week, '2024-05-17 10:11:12'::TIMESTAMP)), TO_VARCHAR(DATE_TRUNC('YEAR', '2024-05-17'::DATE))")).toEqual([
      '2024-05-01',
      '2024-05-13 00:00:00.000',
      '2024-01-01',
    ]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/date_trunc (its table: a DATE, a TIME
  // and a TIMESTAMP written with ' -0700', which the NTZ column ignores).
  it('DATE_TRUNC of the documentation\'s DATE, TIME and TIMESTAMP columns', () => {
    s.execute('CREATE OR REPLACE TABLE TEST_DATE_TRUNC (MYDATE DATE, MYTIME TIME, MYTIMESTAMP TIMESTAMP)');
    s.execute("INSERT INTO TEST_DATE_TRUNC VALUES ('2024-05-09', '08:50:48', '2024-05-09 08:50:57.891 -0700')");
    expect(row(s, "SELECT TO_VARCHAR(DATE_TRUNC('year', MYDATE)), TO_VARCHAR(DATE_TRUNC('month', MYDATE)), TO_VARCHAR(DATE_TRUNC('week', MYDATE)), TO_VARCHAR(DATE_TRUNC('day', MYDATE)) FROM TEST_DATE_TRUNC")).toEqual([
      '2024-01-01',
      '2024-05-01',
      '2024-05-06',
      '2024-05-09',
    ]);
    expect(row(s, "SELECT TO_VARCHAR(DATE_TRUNC('minute', MYTIME)), TO_VARCHAR(DATE_TRUNC('hour', MYTIME)) FROM TEST_DATE_TRUNC")).toEqual(['08:50:00', '08:00:00']);
    expect(row(s, "SELECT TO_VARCHAR(DATE_TRUNC('hour', MYTIMESTAMP)), TO_VARCHAR(DATE_TRUNC('second', MYTIMESTAMP)), TO_VARCHAR(DATE_TRUNC('quarter', MYTIMESTAMP)) FROM TEST_DATE_TRUNC")).toEqual([
      '2024-05-09 08:00:00.000',
      '2024-05-09 08:50:57.000',
      '2024-04-01 00:00:00.000',
    ]);
    expect(s.execute('SELECT DATE_TRUNC(minute, MYTIME) AS T FROM TEST_DATE_TRUNC').columns[0]?.type).toBe('TIME');
  });

  // https://docs.snowflake.com/en/sql-reference/functions/last_day: a DATE; the last day of the
  // month by default, of the year, quarter or week (Sunday, weeks starting on Monday) when asked.
  it('LAST_DAY of a month, year, quarter or week', () => {
    expect(row(s, "SELECT TO_VARCHAR(LAST_DAY(D)), TO_VARCHAR(LAST_DAY(D, 'WEEK')), TO_VARCHAR(LAST_DAY(D, 'year')), TO_VARCHAR(LAST_DAY(D, quarter)) FROM (SELECT TO_DATE('2015-05-08T23:39:20.123-07:00') AS D)")).toEqual([
      '2015-05-31',
      '2015-05-10',
      '2015-12-31',
      '2015-06-30',
    ]);
    expect(one(s, "SELECT TO_VARCHAR(LAST_DAY('2024-02-10 10:00:00'::TIMESTAMP))")).toBe('2024-02-29');
  });

  // https://docs.snowflake.com/en/sql-reference/functions/add_months: when the date is the last
  // day of its month, the result is the last day of the result's month; otherwise a shorter month
  // clamps to its last day. The result has the input's type.
  it('ADD_MONTHS keeps month ends at month ends', () => {
    expect(row(s, "SELECT TO_VARCHAR(ADD_MONTHS('2016-02-29'::DATE, 1)), TO_VARCHAR(ADD_MONTHS('2016-05-31'::DATE, -1)), TO_VARCHAR(ADD_MONTHS('2016-01-31'::DATE, 1)), TO_VARCHAR(ADD_MONTHS('2016-05-15'::DATE, 2))")).toEqual([
      '2016-03-31',
      '2016-04-30',
      '2016-02-29',
      '2016-07-15',
    ]);
    const r = s.execute("SELECT ADD_MONTHS('2016-02-29'::DATE, 1) A, ADD_MONTHS('2016-04-30 10:30:00'::TIMESTAMP, 1) B");
    expect(r.columns.map((c) => c.type)).toEqual(['DATE', 'TIMESTAMP_NTZ']);
    expect(one(s, "SELECT TO_VARCHAR(ADD_MONTHS('2016-04-30 10:30:00'::TIMESTAMP, 1))")).toBe('2016-05-31 10:30:00.000');
  });

  // https://docs.snowflake.com/en/sql-reference/functions/dateadd: no month-end rule, a shorter
  // month clamps; TIMEADD is an alias.
  it('DATEADD and TIMEADD by months clamp to the end of a shorter month', () => {
    expect(row(s, "SELECT TO_VARCHAR(DATEADD(month, 1, '2024-01-31'::DATE)), TO_VARCHAR(TIMEADD(month, 1, '2024-03-31 08:00:00'::TIMESTAMP)), TO_VARCHAR('2024-01-31'::DATE + 1)")).toEqual([
      '2024-02-29',
      '2024-04-30 08:00:00.000',
      '2024-02-01',
    ]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/months_between: a FLOAT; whole months
  // for the same day of the month or two month ends, else the days and times in 31-day months.
  it('MONTHS_BETWEEN', () => {
    const pairs = [
      ["'2019-03-01 02:00:00'::TIMESTAMP", "'2019-02-01 13:00:00'::TIMESTAMP"],
      ["'2019-03-28'::DATE", "'2019-02-28'::DATE"],
      ["'2019-03-31'::DATE", "'2019-02-28'::DATE"],
      ["'2019-03-31 01:00:00'::TIMESTAMP", "'2019-02-28 13:00:00'::TIMESTAMP"],
    ];
    for (const [a, b] of pairs) expect(one(s, `SELECT MONTHS_BETWEEN(${a}, ${b})`), `${a} ${b}`).toBe(1);
    expect(one(s, "SELECT MONTHS_BETWEEN('2020-02-01'::DATE, '2020-01-01'::DATE)")).toBe(1);
    expect(one(s, "SELECT MONTHS_BETWEEN('2019-03-01'::DATE, '2019-02-15'::DATE)")).toBe(0.548387);
    expect(one(s, "SELECT MONTHS_BETWEEN('2019-02-15'::DATE, '2019-03-01'::DATE)")).toBe(-0.548387);
    expect(s.execute("SELECT MONTHS_BETWEEN('2020-02-01'::DATE, '2020-01-01'::DATE) M").columns[0]?.type).toBe('FLOAT');
  });

  // https://docs.snowflake.com/en/sql-reference/functions/next_day and …/previous_day: the first
  // such weekday strictly after (before) the date; the first two letters of the name count.
  it('NEXT_DAY and PREVIOUS_DAY', () => {
    // 2024-01-05 is a Friday.
    expect(row(s, "SELECT TO_VARCHAR(NEXT_DAY('2024-01-05'::DATE, 'Friday')), TO_VARCHAR(NEXT_DAY('2024-01-05'::DATE, 'sa')), TO_VARCHAR(PREVIOUS_DAY('2024-01-05'::DATE, 'FR')), TO_VARCHAR(PREVIOUS_DAY('2024-01-05 10:00:00'::TIMESTAMP, 'thursday'))")).toEqual([
      '2024-01-12',
      '2024-01-06',
      '2023-12-29',
      '2024-01-04',
    ]);
  });
});

describe('text of timestamps and the session time zone', () => {
  // https://docs.snowflake.com/en/sql-reference/parameters#timestamp-output-format and
  // …#timestamp-ntz-output-format: YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM (LTZ/TZ) and
  // YYYY-MM-DD HH24:MI:SS.FF3 (NTZ); a DATE prints YYYY-MM-DD.
  it('TO_CHAR without a format prints the default output formats', () => {
    expect(row(la, "SELECT TO_CHAR('2024-01-01 10:00:00'::TIMESTAMP_LTZ), TO_CHAR('2024-07-01 10:00:00'::TIMESTAMP_LTZ), TO_CHAR('2024-01-01 10:00:00.5'::TIMESTAMP_NTZ), TO_CHAR('2024-01-01'::DATE)")).toEqual([
      '2024-01-01 10:00:00.000 -0800',
      '2024-07-01 10:00:00.000 -0700',
      '2024-01-01 10:00:00.500',
      '2024-01-01',
    ]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions-conversion#date-and-time-formats-in-conversion-functions:
  // MMMM is the full month name, TZH:TZM / TZHTZM / TZH / TZM the offset's hours and minutes.
  it('TO_CHAR prints month names and offsets as the format elements say', () => {
    expect(row(la, "SELECT TO_CHAR('2024-01-05 13:04:05'::TIMESTAMP_LTZ, 'YYYY-MM-DD HH24:MI:SS TZH:TZM'), TO_CHAR('2024-07-05 13:04:05'::TIMESTAMP_LTZ, 'TZHTZM'), TO_CHAR('2024-07-05 13:04:05'::TIMESTAMP_LTZ, 'TZH'), TO_CHAR('2024-01-05'::DATE, 'MMMM DD, YYYY'), TO_CHAR('2024-01-05'::DATE, 'DY DD-MON-YYYY')")).toEqual([
      '2024-01-05 13:04:05 -08:00',
      '-0700',
      '-07',
      'January 05, 2024',
      'Fri 05-Jan-2024',
    ]);
    expect(one(s, "SELECT TO_CHAR('2024-01-05 13:04:05.123456'::TIMESTAMP_NTZ, 'HH12:MI:SS.FF6 AM')")).toBe('01:04:05.123456 PM');
    // The documentation does not say what TZH prints for a TIMESTAMP_NTZ: refused.
    notImplemented(s, "SELECT TO_CHAR('2024-01-05 13:04:05'::TIMESTAMP_NTZ, 'TZH:TZM')", /TZH\/TZM applied to a value without a time zone/);
  });

  // https://docs.snowflake.com/en/sql-reference/parameters (TIMESTAMP_OUTPUT_FORMAT,
  // TIMESTAMP_NTZ_OUTPUT_FORMAT, DATE_OUTPUT_FORMAT, TIME_OUTPUT_FORMAT): the session's formats
  // for text without a format; UNSET returns to the default.
  it('ALTER SESSION sets the output formats TO_CHAR uses without a format', () => {
    const f = sf.session({ name: 'formats', timezone: 'America/Los_Angeles' });
    const texts = "SELECT TO_VARCHAR('2024-01-01 10:00:00'::TIMESTAMP_LTZ), TO_CHAR('2024-01-01 10:00:00.5'::TIMESTAMP_NTZ), '2024-01-05'::DATE::VARCHAR, TO_CHAR('10:11:12'::TIME)";
    f.execute("ALTER SESSION SET TIMESTAMP_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS TZH:TZM'");
    f.execute("ALTER SESSION SET TIMESTAMP_NTZ_OUTPUT_FORMAT = 'DD/MM/YYYY HH24:MI'");
    f.execute("ALTER SESSION SET DATE_OUTPUT_FORMAT = 'MON DD, YYYY'");
    f.execute("ALTER SESSION SET TIME_OUTPUT_FORMAT = 'HH12:MI AM'");
    expect(f.execute(texts).rows[0]).toEqual(['2024-01-01 10:00:00 -08:00', '01/01/2024 10:00', 'Jan 05, 2024', '10:11 AM']);
    // A transaction's statements see them too.
    f.execute('BEGIN');
    expect(f.execute(texts).rows[0]).toEqual(['2024-01-01 10:00:00 -08:00', '01/01/2024 10:00', 'Jan 05, 2024', '10:11 AM']);
    f.execute('COMMIT');
    for (const p of ['TIMESTAMP_OUTPUT_FORMAT', 'TIMESTAMP_NTZ_OUTPUT_FORMAT', 'DATE_OUTPUT_FORMAT', 'TIME_OUTPUT_FORMAT']) f.execute(`ALTER SESSION UNSET ${p}`);
    expect(f.execute(texts).rows[0]).toEqual(['2024-01-01 10:00:00.000 -0800', '2024-01-01 10:00:00.500', '2024-01-05', '10:11:12']);
    // TIMESTAMP_LTZ_OUTPUT_FORMAT and TIMESTAMP_TZ_OUTPUT_FORMAT would need LTZ and TZ values told apart.
    notImplemented(f, "ALTER SESSION SET TIMESTAMP_TZ_OUTPUT_FORMAT = 'YYYY'", /ALTER SESSION parameter/);
    f.close();
  });

  // https://docs.snowflake.com/en/sql-reference/parameters#timezone: UNSET returns to the default,
  // and a change made inside a transaction holds after it.
  it('ALTER SESSION SET TIMEZONE inside a transaction holds after COMMIT; UNSET returns to the default', () => {
    const z = sf.session({ name: 'zone' });
    const text = "SELECT TO_VARCHAR('2024-01-01 10:00:00 +00:00'::TIMESTAMP_LTZ)";
    z.execute('BEGIN');
    z.execute("ALTER SESSION SET TIMEZONE = 'Asia/Tokyo'");
    expect(z.execute(text).rows[0]).toEqual(['2024-01-01 19:00:00.000 +0900']);
    z.execute('COMMIT');
    expect(z.execute(text).rows[0]).toEqual(['2024-01-01 19:00:00.000 +0900']);
    z.execute('ALTER SESSION UNSET TIMEZONE');
    // The runtime's default zone, UTC in this file.
    expect(z.execute(text).rows[0]).toEqual(['2024-01-01 10:00:00.000 +0000']);
    z.close();
  });

  // https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-api
  // (ResultSet.getColumnValueAsString: the value as a string): a TIMESTAMP_LTZ as the session
  // prints it, in its time zone with the offset (the default TIMESTAMP_OUTPUT_FORMAT); the page
  // prints no example, so this follows TO_VARCHAR of the same value.
  it('getColumnValueAsString and a result\'s text print a TIMESTAMP_LTZ in the session zone', () => {
    la.execute(`CREATE OR REPLACE PROCEDURE LTZ_TEXT() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$
      var rs = snowflake.execute({ sqlText: "SELECT '2024-01-01 10:00:00 +00:00'::TIMESTAMP_LTZ, '2024-01-01 10:00:00'::TIMESTAMP_NTZ" });
      rs.next();
      return rs.getColumnValueAsString(1) + '|' + rs.getColumnValueAsString(2);
    $$`);
    expect(one(la, 'CALL LTZ_TEXT()')).toBe('2024-01-01 02:00:00.000 -0800|2024-01-01 10:00:00.000');
    // The exact text of a result cell (StatementResult.text) is the same.
    const r = la.execute("SELECT '2024-07-01 10:00:00 +00:00'::TIMESTAMP_LTZ AS L, '2024-01-01 10:00:00'::TIMESTAMP_NTZ AS N");
    expect([r.text(0, 0), r.text(0, 1)]).toEqual(['2024-07-01 03:00:00.000 -0700', '2024-01-01 10:00:00.000']);
    expect(one(la, "SELECT TO_VARCHAR('2024-01-01 10:00:00 +00:00'::TIMESTAMP_LTZ)")).toBe('2024-01-01 02:00:00.000 -0800');
  });

  // https://docs.snowflake.com/en/sql-reference/parameters#timezone: TIMESTAMP_LTZ values read
  // back in the session's time zone; NTZ values do not move.
  it('ALTER SESSION SET TIMEZONE moves LTZ values, not NTZ ones', () => {
    const t = sf.session({ name: 'tz', timezone: 'UTC' });
    t.execute('CREATE OR REPLACE TABLE ZONES (L TIMESTAMP_LTZ, N TIMESTAMP_NTZ)');
    t.execute("INSERT INTO ZONES VALUES ('2024-01-01 10:00:00 +00:00'::TIMESTAMP_LTZ, '2024-01-01 10:00:00')");
    t.execute("ALTER SESSION SET TIMEZONE = 'Asia/Kolkata'");
    expect(t.execute('SELECT TO_VARCHAR(L), TO_VARCHAR(N), HOUR(L), DATE_PART(timezone_hour, L), DATE_PART(timezone_minute, L) FROM ZONES').rows[0]).toEqual([
      '2024-01-01 15:30:00.000 +0530',
      '2024-01-01 10:00:00.000',
      15,
      5,
      30,
    ]);
    t.close();
  });
});
