/**
 * The scripted fake of test/support/fake-snowflake.ts invents no column: these tests pin how it
 * reads a statement's result columns from its text and that it fails, loudly and un-swallowably,
 * on a script that does not match the statement.
 */
import { describe, expect, it } from 'vitest';
import { DML_COLUMNS, FakeScriptError, FakeSnowflake, resultColumns } from './fake-snowflake.js';

/** Runs `f`, which must fail with a FakeScriptError; returns its message and clears `sf`'s record of it. */
function scriptError(sf: FakeSnowflake, f: () => unknown): string {
  let thrown: unknown;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(FakeScriptError);
  expect(sf.scriptErrors).toEqual([(thrown as Error).message]);
  sf.scriptErrors.splice(0);
  return (thrown as Error).message;
}

describe('resultColumns: the columns a statement returns, read from its text', () => {
  it('names of the outermost select list: aliases, bare and qualified columns, quoted names kept', () => {
    expect(resultColumns('SELECT 1 AS one, t.col, "Mixed" , x AS "Quoted ""q""" FROM t')).toEqual(['ONE', 'COL', 'Mixed', 'Quoted "q"']);
    expect(resultColumns('select distinct a, b as c from t where x = 1')).toEqual(['A', 'C']);
  });

  it('skips CTEs and subqueries: only the top-level SELECT after WITH counts', () => {
    const sql = [
      'WITH LAST_OK AS (SELECT WM AS NOT_ME FROM C ORDER BY 1 LIMIT 1), W AS (SELECT MAX(WM) AS ALSO_NOT FROM LAST_OK)',
      'SELECT',
      "  TO_VARCHAR((SELECT ALSO_NOT FROM W), 'YYYY-MM-DD') AS LAST_WM,",
      '  (SELECT COUNT(*) FROM C WHERE A = ? AND B IN (1, 2)) AS RUNNING_ROWS,',
      '  COALESCE(MAX(X), 0) + 1 AS NEXT_ID',
      'FROM LAST_OK',
      'ORDER BY 1',
    ].join('\n');
    expect(resultColumns(sql)).toEqual(['LAST_WM', 'RUNNING_ROWS', 'NEXT_ID']);
  });

  it('a select list with no FROM runs to the end of the statement', () => {
    expect(resultColumns('SELECT (SELECT 1 FROM A) AS X, (SELECT 2 FROM B) AS Y')).toEqual(['X', 'Y']);
  });

  it('the first branch of a UNION names the columns', () => {
    expect(resultColumns("SELECT 'SOURCE' AS SIDE, COLUMN_NAME FROM I WHERE T = 'X'\nUNION ALL\nSELECT 'TARGET' AS OTHER, C2 FROM I")).toEqual([
      'SIDE',
      'COLUMN_NAME',
    ]);
  });

  it('keywords, commas and parentheses inside strings, quoted names and comments are not code', () => {
    expect(resultColumns("SELECT 'a, FROM (b' AS X, \"FROM, (\" AS Y -- , Z FROM\n, /* FROM ( */ W FROM T")).toEqual(['X', 'Y', 'W']);
  });

  it('is null when a name cannot be read: *, an expression without alias, not a query', () => {
    expect(resultColumns('SELECT * FROM T')).toBeNull();
    expect(resultColumns('SELECT T.* FROM T')).toBeNull();
    expect(resultColumns('SELECT COUNT(*) FROM T')).toBeNull();
    expect(resultColumns('SHOW TASKS')).toBeNull();
    expect(resultColumns('CALL P()')).toBeNull();
  });

  it("DML returns Snowflake's count columns; a MERGE one per kind of clause, in Snowflake's order", () => {
    expect(resultColumns('INSERT INTO T (A) SELECT 1')).toEqual(['number of rows inserted']);
    expect(resultColumns("UPDATE T SET A = 'THEN DELETE'")).toEqual(['number of rows updated', 'number of multi-joined rows updated']);
    expect(resultColumns('DELETE FROM T WHERE A = 1')).toEqual(['number of rows deleted']);
    expect(resultColumns('MERGE INTO T USING S ON T.K = S.K WHEN MATCHED THEN UPDATE SET A = S.A WHEN NOT MATCHED THEN INSERT (A) VALUES (S.A)')).toEqual([
      'number of rows inserted',
      'number of rows updated',
    ]);
    expect(resultColumns('MERGE INTO T USING S ON T.K = S.K WHEN MATCHED AND S.D THEN DELETE WHEN NOT MATCHED THEN INSERT (A) VALUES (S.A)')).toEqual([
      'number of rows inserted',
      'number of rows deleted',
    ]);
    expect(resultColumns('MERGE INTO T USING S ON T.K = S.K WHEN MATCHED THEN UPDATE SET A = S.A')).toEqual(['number of rows updated']);
  });
});

describe('scripted rows', () => {
  const PLAN = 'SELECT MAX(WM) AS LAST_WM, COUNT(*) AS BATCH_ROWS FROM T';

  it('are returned when they carry exactly the statement columns, by name and by position', () => {
    const sf = new FakeSnowflake([{ match: /^SELECT/, rows: [{ BATCH_ROWS: 3, LAST_WM: 'w' }] }]);
    const rs = sf.execute({ sqlText: PLAN });
    expect(rs.next()).toBe(true);
    expect(rs.getColumnValue('LAST_WM')).toBe('w');
    expect(rs.getColumnValue(1)).toBe('w');
    expect(rs.getColumnValue(2)).toBe(3);
    expect(rs.getColumnCount()).toBe(2);
    expect(rs.next()).toBe(false);
  });

  it('fail when they carry a column the statement does not return', () => {
    const sf = new FakeSnowflake([{ match: /^SELECT/, rows: [{ LAST_WM: 'w', BATCH_ROWS: 3, HIGH_WM: 'h' }] }]);
    expect(scriptError(sf, () => sf.execute({ sqlText: PLAN }))).toMatch(/scripts column\(s\) \[HIGH_WM\] that the statement does not return/);
  });

  it('may leave out a column the code does not read; reading it fails', () => {
    const sf = new FakeSnowflake([{ match: /^SELECT/, rows: [{ LAST_WM: 'w' }] }]);
    const rs = sf.execute({ sqlText: PLAN });
    rs.next();
    expect(rs.getColumnValue('LAST_WM')).toBe('w');
    expect(sf.scriptErrors).toEqual([]);
    expect(scriptError(sf, () => rs.getColumnValue('BATCH_ROWS'))).toMatch(/reads column BATCH_ROWS, which the rule's row does not script/);
    expect(scriptError(sf, () => rs.getColumnValue('HIGH_WM'))).toMatch(/reads column HIGH_WM, which the statement does not return \(it returns: LAST_WM, BATCH_ROWS\)/);
  });

  it('of a DML statement are exactly one row with its count columns', () => {
    const merge = 'MERGE INTO T USING S ON T.K = S.K WHEN MATCHED THEN UPDATE SET A = S.A WHEN NOT MATCHED THEN INSERT (A) VALUES (S.A)';
    const good = new FakeSnowflake([{ match: /^MERGE/, rows: [{ [DML_COLUMNS.inserted]: 2, [DML_COLUMNS.updated]: 1 }] }]);
    const rs = good.execute({ sqlText: merge });
    rs.next();
    expect(rs.getColumnValue('number of rows updated')).toBe(1);
    const none = new FakeSnowflake([{ match: /^UPDATE/, rows: [] }]);
    expect(scriptError(none, () => none.execute({ sqlText: 'UPDATE T SET A = 1' }))).toMatch(/exactly one row, the rule scripts 0/);
    const wrong = new FakeSnowflake([{ match: /^UPDATE/, rows: [{ [DML_COLUMNS.inserted]: 1 }] }]);
    expect(scriptError(wrong, () => wrong.execute({ sqlText: 'UPDATE T SET A = 1' }))).toMatch(
      /column\(s\) \[number of rows inserted\] that the statement does not return; it returns \[number of rows updated, number of multi-joined rows updated\]/,
    );
  });

  it('of a statement whose text does not name its columns: the declared columns, else the rows\' keys', () => {
    const declared = new FakeSnowflake([{ match: /^SELECT/, columns: [{ name: 'COUNT(*)' }], rows: [{ 'COUNT(*)': 1 }] }]);
    const rs = declared.execute({ sqlText: 'SELECT COUNT(*) FROM T' });
    rs.next();
    expect(rs.getColumnValue(1)).toBe(1);
    const extra = new FakeSnowflake([{ match: /^SELECT/, columns: [{ name: 'A' }], rows: [{ A: 1, B: 2 }] }]);
    expect(scriptError(extra, () => extra.execute({ sqlText: 'SELECT * FROM T' }))).toMatch(/column\(s\) \[B\] that the statement does not return/);
    const describe = new FakeSnowflake([{ match: /^DESCRIBE/, rows: [{ name: 'ID', type: 'NUMBER(38,0)' }] }]);
    const d = describe.execute({ sqlText: 'DESCRIBE TABLE T' });
    expect([d.next(), d.getColumnValue('type'), d.getColumnCount()]).toEqual([true, 'NUMBER(38,0)', 2]);
  });

  it('declared columns must agree with a text that names them', () => {
    const contradicting = new FakeSnowflake([{ match: /^SELECT/, columns: [{ name: 'B' }], rows: [{ B: 1 }] }]);
    expect(scriptError(contradicting, () => contradicting.execute({ sqlText: 'SELECT A FROM T' }))).toMatch(/declares columns \[B\] but the statement returns \[A\]/);
  });
});

describe('what the test did not script', () => {
  it('a result without rows can be ignored, but not read', () => {
    const sf = new FakeSnowflake([{ match: /^INSERT/ }]);
    const rs = sf.execute({ sqlText: 'INSERT INTO T (A) VALUES (1)' });
    expect(sf.scriptErrors).toEqual([]);
    expect(scriptError(sf, () => rs.next())).toMatch(/scripts no rows \(columns: number of rows inserted\)/);
    expect(scriptError(sf, () => rs.getRowCount())).toMatch(/scripts no rows/);
  });

  it('row counts of a statement: the scripted ones are reported, any other fails', () => {
    const sf = new FakeSnowflake([{ match: /^UPDATE/, counts: { updated: 4 } }]);
    const st = sf.createStatement({ sqlText: 'UPDATE T SET A = 1' });
    expect(scriptError(sf, () => st.getNumRowsUpdated())).toMatch(/before execute\(\)/);
    st.execute();
    expect(st.getNumRowsUpdated()).toBe(4);
    expect(st.getNumRowsAffected()).toBe(4);
    expect(scriptError(sf, () => st.getNumRowsInserted())).toMatch(/inserted row count, which the rule .* does not script \(counts.inserted\)/);
    expect(scriptError(sf, () => st.getNumRowsDeleted())).toMatch(/counts.deleted/);
    expect(scriptError(sf, () => st.getColumnSqlType(1))).toMatch(/does not script the type of column number of rows updated/);
    expect(st.getColumnCount()).toBe(2);
    expect(st.getColumnName(1)).toBe('number of rows updated');
  });

  it('column metadata: what columns scripts, by position or name (the first of a repeated name); anything else fails', () => {
    const sf = new FakeSnowflake([
      {
        match: /^SELECT/,
        columns: [
          { name: 'ID', type: 'NUMBER', scale: 0, nullable: false, jsType: 'number' },
          { name: 'NAME' },
          { name: 'AT', type: 'TIMESTAMP_NTZ', scale: 9 },
          { name: 'ID', type: 'TEXT' },
        ],
        rows: [],
      },
    ]);
    const st = sf.createStatement({ sqlText: 'SELECT S.*, T.* FROM S, T WHERE FALSE' });
    const rs = st.execute();
    expect(rs.next()).toBe(false);
    expect([st.getColumnCount(), st.getColumnName(1), st.getColumnName(3)]).toEqual([4, 'ID', 'AT']);
    expect([st.getColumnSqlType(1), st.getColumnScale(1), st.isColumnNullable(1), st.getColumnType(1)]).toEqual(['NUMBER', 0, false, 'number']);
    expect([st.getColumnSqlType(4), st.getColumnSqlType('ID')]).toEqual(['TEXT', 'NUMBER']);
    expect([st.isColumnNumber(1), st.isColumnText(1), st.isColumnText(4), st.isColumnTimestamp(3), st.isColumnDate(3)]).toEqual([true, false, true, true, false]);
    expect(rs.getColumnSqlType('AT')).toBe('TIMESTAMP_NTZ');
    expect(rs.getColumnScale(3)).toBe(9);
    expect(scriptError(sf, () => st.getColumnSqlType(2))).toMatch(/does not script the type of column NAME/);
    expect(scriptError(sf, () => st.isColumnNullable(3))).toMatch(/does not script the nullable of column AT/);
    expect(scriptError(sf, () => rs.getColumnSqlType(5))).toMatch(/no such column/);
    expect(scriptError(sf, () => st.getColumnName(5))).toMatch(/getColumnName\(5\): the statement has no such column/);
  });

  it('a statement no rule matches fails, and is recorded even when the code under test swallows the error', () => {
    const sf = new FakeSnowflake([]);
    let swallowed = false;
    try {
      sf.execute({ sqlText: 'SELECT 1 AS X' });
    } catch {
      swallowed = true;
    }
    expect(swallowed).toBe(true);
    expect(sf.scriptErrors).toHaveLength(1);
    expect(sf.scriptErrors[0]).toMatch(/no rule matches statement:\nSELECT 1 AS X/);
    sf.scriptErrors.splice(0);
  });

  it('an error the rule scripts is a statement failure, not a script error', () => {
    const sf = new FakeSnowflake([{ match: /^SELECT/, error: { message: 'boom', code: 100, state: '22000' } }]);
    expect(() => sf.execute({ sqlText: 'SELECT 1 AS X' })).toThrow(expect.objectContaining({ message: 'boom', code: 100, state: '22000' }));
    expect(sf.scriptErrors).toEqual([]);
  });
});
