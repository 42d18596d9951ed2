/**
 * RESULT_SCAN(LAST_QUERY_ID()): the result of an earlier statement as a table.
 * https://docs.snowflake.com/en/sql-reference/functions/result_scan,
 * https://docs.snowflake.com/en/sql-reference/functions/last_query_id and the example "Using
 * RESULT_SCAN to retrieve the result from a stored procedure" of
 * https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-javascript
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, LocalSnowflakeError } from '../../local/index.js';
import type { LocalSession } from '../../local/index.js';

let sf: LocalSnowflake;
let s: LocalSession;

beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  s = sf.session();
});
afterAll(() => sf.close());

describe('RESULT_SCAN(LAST_QUERY_ID())', () => {
  it('reads the string a procedure returned, as the page’s western_provinces example does', () => {
    s.execute('CREATE TABLE western_provinces(ID INT, province VARCHAR)');
    s.execute("INSERT INTO western_provinces(ID, province) VALUES (1, 'Alberta'), (2, 'British Columbia'), (3, 'Manitoba')");
    s.execute(`CREATE OR REPLACE PROCEDURE read_western_provinces()
  RETURNS VARCHAR NOT NULL
  LANGUAGE JAVASCRIPT
  AS
  $$
  var return_value = "";
  try {
      var command = "SELECT * FROM western_provinces ORDER BY province;"
      var stmt = snowflake.createStatement( {sqlText: command } );
      var rs = stmt.execute();
      if (rs.next())  {
          return_value += rs.getColumnValue(1);
          return_value += ", " + rs.getColumnValue(2);
          }
      while (rs.next())  {
          return_value += "\\n";
          return_value += rs.getColumnValue(1);
          return_value += ", " + rs.getColumnValue(2);
          }
      }
  catch (err)  {
      result =  "Failed: Code: " + err.code + "\\n  State: " + err.state;
      result += "\\n  Message: " + err.message;
      result += "\\nStack Trace:\\n" + err.stackTraceTxt;
      }
  return return_value;
  $$
  ;`);
    const call = s.execute('CALL read_western_provinces()');
    const expected = '1, Alberta\n2, British Columbia\n3, Manitoba';
    expect(call.rows).toEqual([[expected]]);
    const scan = s.execute('SELECT * FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()))');
    expect(scan.columns.map((c) => c.name)).toEqual(['READ_WESTERN_PROVINCES']);
    expect(scan.rows).toEqual([[expected]]);
    // The page stores it: "number of rows inserted" 1.
    s.execute('CREATE TRANSIENT TABLE one_string(string_col VARCHAR)');
    s.execute('CALL read_western_provinces()');
    expect(s.execute('INSERT INTO one_string SELECT * FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()))').rows).toEqual([[1]]);
    expect(s.execute('SELECT COUNT(*) FROM one_string').rows).toEqual([[1]]);
  });

  it('keeps column types and counts back with LAST_QUERY_ID(-2); a query id literal works too', () => {
    const first = s.execute("SELECT 1.50::NUMBER(10,2) AS N, 'x' AS T, '2024-01-02 03:04:05'::TIMESTAMP_NTZ AS TS, TRUE AS B");
    s.execute('SELECT 2 AS OTHER');
    const back = s.execute('SELECT N * 2 AS N2, T, TO_VARCHAR(TS, \'YYYY-MM-DD HH24:MI:SS\') AS TS, B FROM TABLE(RESULT_SCAN(LAST_QUERY_ID(-2)))');
    expect(back.rows).toEqual([[3, 'x', '2024-01-02 03:04:05', true]]);
    expect(s.execute(`SELECT COUNT(*) FROM TABLE(RESULT_SCAN('${first.queryId}'))`).rows).toEqual([[1]]);
  });

  it('fails for an id the session has no result for', () => {
    expect(() => s.execute("SELECT * FROM TABLE(RESULT_SCAN('01c0ffee-0000-4000-8000-ffffffffffff'))")).toThrow(LocalSnowflakeError);
  });
});
