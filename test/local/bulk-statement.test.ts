/**
 * Bulk statements (a multi-row `INSERT … VALUES` with Snowflake functions on every row) come out
 * of the rewrites right: every call rewritten, in order, literals left alone, values as
 * Snowflake would store them. Formats: https://docs.snowflake.com/en/sql-reference/functions-conversion#date-and-time-formats-in-conversion-functions
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, ManualClock } from '../../local/index.js';
import type { LocalSession } from '../../local/index.js';
import { rewriteFormatLiterals } from '../../local/compat/functions.js';

const ROWS = 2000;
const ISO = "'YYYY-MM-DD HH24:MI:SS.FF9'";
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Row i of the statement, and the value its TS column must hold (microseconds, UTC). */
function row(i: number): { sql: string; ts: string } {
  const stamp = (ms: number, micros: string): string => {
    const d = new Date(ms);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}${micros}`;
  };
  const note = `'to_char(x, ''YYYY'') -- #${i}'`;
  switch (i % 4) {
    case 0:
      return { sql: `(${i}, TO_TIMESTAMP_NTZ('2026-01-01 00:00:00.000001', ${ISO}), ${note})`, ts: '2026-01-01 00:00:00.000001' };
    case 1:
      return {
        sql: `(${i}, DATEADD('second', ${i}, TO_TIMESTAMP_NTZ('2026-01-01 00:00:00.000001', ${ISO})), ${note})`,
        ts: stamp(Date.UTC(2026, 0, 1) + i * 1000, '001'),
      };
    case 2: {
      const day = 1 + (i % 28);
      const minute = i % 60;
      return {
        sql: `(${i}, TO_TIMESTAMP_NTZ('${pad(day)}/03/2026 12:${pad(minute)}:00', 'DD/MM/YYYY HH24:MI:SS'), ${note})`,
        ts: stamp(Date.UTC(2026, 2, day, 12, minute), '000'),
      };
    }
    default:
      return {
        sql: `(${i}, DATEADD(minute, -${i}, TO_TIMESTAMP_NTZ(TO_VARCHAR(TO_DATE('2026-06-15'), 'YYYY-MM-DD'), 'YYYY-MM-DD'))\n, ${note})`,
        ts: stamp(Date.UTC(2026, 5, 15) - i * 60_000, '000'),
      };
  }
}

const rows = Array.from({ length: ROWS }, (_v, k) => row(k + 1));
const insert = `INSERT INTO BULK (ID, TS, NOTE) VALUES\n${rows.map((r) => r.sql).join(',\n')}`;

describe('a 2,000-row INSERT … VALUES with a function call on every row', () => {
  let sf: LocalSnowflake;
  let s: LocalSession;
  beforeAll(() => {
    sf = LocalSnowflake.open({ clock: new ManualClock('2026-03-01T12:00:00Z'), timezone: 'UTC' });
    s = sf.session({ name: 'bulk' });
    s.execute('CREATE TABLE BULK (ID NUMBER(38,0) PRIMARY KEY, TS TIMESTAMP_NTZ(9), NOTE VARCHAR)');
  });
  afterAll(() => sf.close());

  it('rewrites every format call, each in its own row, and leaves string literals alone', () => {
    const out = rewriteFormatLiterals(insert);
    const lines = out.split('\n');
    expect(lines).toHaveLength(1 + ROWS + ROWS / 4);
    // No call keeps its format: ISO ones become the format-less cast SF_ISO_NTZ(x).
    expect(out).not.toMatch(/TO_TIMESTAMP_NTZ\([^()]*(?:\([^()]*\)[^()]*)*,|TO_VARCHAR\(/);
    expect(out.match(/'to_char\(x, ''YYYY''\) -- #\d+'/g)).toHaveLength(ROWS);
    expect(lines[1]).toBe(`(1, DATEADD('second', 1, SF_ISO_NTZ('2026-01-01 00:00:00.000001')), 'to_char(x, ''YYYY'') -- #1'),`);
    expect(lines[2]).toBe(`(2, SF_PARSE_NTZ('03/03/2026 12:02:00', '%d/%m/%Y %H:%M:%S'), 'to_char(x, ''YYYY'') -- #2'),`);
    expect(lines[3]).toBe(`(3, DATEADD(minute, -3, SF_ISO_NTZ(SF_FORMAT_TS(TO_DATE('2026-06-15'), '%Y-%m-%d')))`);
    expect(lines[4]).toBe(`, 'to_char(x, ''YYYY'') -- #3'),`);
    expect(lines[5]).toBe(`(4, SF_ISO_NTZ('2026-01-01 00:00:00.000001'), 'to_char(x, ''YYYY'') -- #4'),`);
    expect(lines[lines.length - 1]).toBe(`(${ROWS}, SF_ISO_NTZ('2026-01-01 00:00:00.000001'), 'to_char(x, ''YYYY'') -- #${ROWS}')`);
  });

  it('inserts every row with the value Snowflake would store', () => {
    expect(s.execute(insert).rowsInserted).toBe(ROWS);
    const r = s.execute("SELECT ID, TO_VARCHAR(TS, 'YYYY-MM-DD HH24:MI:SS.FF6') AS TS, NOTE FROM BULK ORDER BY ID");
    expect(r.rows).toHaveLength(ROWS);
    const mismatches = r.rows.filter((got, k) => {
      const want = rows[k] as { ts: string };
      return got[0] !== k + 1 || got[1] !== want.ts || got[2] !== `to_char(x, 'YYYY') -- #${k + 1}`;
    });
    expect(mismatches).toEqual([]);
  });
});
