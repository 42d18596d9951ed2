/**
 * The semi-structured family (local/compat/functions/semi-structured.ts): the example of adding
 * Snowflake functions as one family file and one test file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../../local/index.js';
import { failureOf } from '../../support/failure.js';

let sf: LocalSnowflake;
let s: LocalSession;
beforeAll(() => {
  sf = LocalSnowflake.open();
  s = sf.session();
});
afterAll(() => sf.close());
const one = (sql: string): unknown => s.execute(sql).rows[0]?.[0];

describe('semi-structured columns', () => {
  // https://docs.snowflake.com/en/sql-reference/data-types-semistructured: a VARIANT column stores
  // the value as given and reads it back as that value, whatever statement wrote it.
  it('a VARIANT column keeps the JSON it was given, from INSERT … VALUES or INSERT … SELECT, and reads back typed VARIANT', () => {
    s.execute('CREATE OR REPLACE TABLE SEMI_COLS (ID NUMBER, V VARIANT, O OBJECT, A ARRAY)');
    s.execute(`INSERT INTO SEMI_COLS SELECT 1, PARSE_JSON('{"k": [1, 2]}'), PARSE_JSON('{"o": 1}'), ARRAY_CONSTRUCT(1, 'x')`);
    s.execute(`INSERT INTO SEMI_COLS (ID, V) VALUES (2, PARSE_JSON('[3, {"n": null}]'))`);
    const r = s.execute('SELECT V, O, A FROM SEMI_COLS ORDER BY ID');
    expect(r.rows).toEqual([
      [{ k: [1, 2] }, { o: 1 }, [1, 'x']],
      [[3, { n: null }], null, null],
    ]);
    expect(r.columns.map((c) => c.type)).toEqual(['VARIANT', 'VARIANT', 'VARIANT']);
    // The word inside a string is text, not a type.
    expect(one(`SELECT 'VARIANT'`)).toBe('VARIANT');
  });
});

describe('semi-structured functions', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/array_size
  it('ARRAY_SIZE counts elements; NULL for NULL and for a value that is not an array', () => {
    expect(one('SELECT ARRAY_SIZE(ARRAY_CONSTRUCT(1, 2, 3))')).toBe(3);
    expect(one('SELECT ARRAY_SIZE(ARRAY_CONSTRUCT())')).toBe(0);
    expect(one(`SELECT ARRAY_SIZE(PARSE_JSON('{"a": 1}'))`)).toBeNull();
    expect(one('SELECT ARRAY_SIZE(NULL)')).toBeNull();
  });

  // https://docs.snowflake.com/en/sql-reference/functions/object_construct
  it('OBJECT_CONSTRUCT builds an OBJECT and leaves out pairs whose value is NULL, nested too', () => {
    expect(one(`SELECT OBJECT_CONSTRUCT('a', 1, 'b', 'BBBB', 'c', NULL)`)).toEqual({ a: 1, b: 'BBBB' });
    expect(one(`SELECT OBJECT_CONSTRUCT('o', OBJECT_CONSTRUCT('x', ARRAY_CONSTRUCT(1, 2)))`)).toEqual({ o: { x: [1, 2] } });
    expect(one('SELECT OBJECT_CONSTRUCT()')).toEqual({});
    // The docs' example: a SQL NULL value leaves its pair out, a JSON null is kept.
    expect(one(`SELECT OBJECT_CONSTRUCT('Key_One', PARSE_JSON('NULL'), 'Key_Two', NULL, 'Key_Three', 'null') AS obj`)).toEqual({ Key_One: null, Key_Three: 'null' });
    expect(one(`SELECT OBJECT_CONSTRUCT('a', OBJECT_CONSTRUCT('b', PARSE_JSON('null')))`)).toEqual({ a: { b: null } });
    expect(failureOf(s, `SELECT OBJECT_CONSTRUCT('a', 1, 'a', 2)`).message).toBe("Duplicate field key 'a'");
  });

  // https://docs.snowflake.com/en/sql-reference/functions/object_construct: the docs' examples
  // with * and * EXCLUDE, and their printed outputs.
  it('OBJECT_CONSTRUCT(*) and (* EXCLUDE …) make an object of the row, keyed by column name', () => {
    s.execute('CREATE OR REPLACE TABLE demo_table_1 (province VARCHAR, created_date DATE)');
    s.execute(`INSERT INTO demo_table_1 (province, created_date) VALUES ('Manitoba', '2024-01-18'::DATE), ('Alberta', '2024-01-19'::DATE)`);
    expect(s.execute(`SELECT OBJECT_CONSTRUCT(*) AS oc FROM demo_table_1 ORDER BY oc['PROVINCE']`).rows).toEqual([
      [{ CREATED_DATE: '2024-01-19', PROVINCE: 'Alberta' }],
      [{ CREATED_DATE: '2024-01-18', PROVINCE: 'Manitoba' }],
    ]);
    expect(s.execute(`SELECT OBJECT_CONSTRUCT(* EXCLUDE province) AS oc FROM demo_table_1 ORDER BY oc['PROVINCE']`).rows).toEqual([
      [{ CREATED_DATE: '2024-01-18' }],
      [{ CREATED_DATE: '2024-01-19' }],
    ]);
    expect(s.execute(`SELECT OBJECT_CONSTRUCT(*) FROM VALUES(1,'x'), (2,'y')`).rows).toEqual([[{ COLUMN1: 1, COLUMN2: 'x' }], [{ COLUMN1: 2, COLUMN2: 'y' }]]);
    expect(one('SELECT OBJECT_CONSTRUCT_KEEP_NULL(*) FROM (SELECT 1 AS B, NULL AS A)')).toEqual({ A: null, B: 1 });
    const refused = failureOf(s, `SELECT OBJECT_CONSTRUCT(* ILIKE 'prov%') AS oc FROM demo_table_1`);
    expect([refused.code, refused.state]).toEqual([9999, '0A000']);
    expect(refused.message).toContain("OBJECT_CONSTRUCT(* ILIKE 'prov%') (only * and * EXCLUDE are) is not implemented");
  });

  // https://docs.snowflake.com/en/sql-reference/functions/get
  it('GET reads an array element by index or an object field by name, NULL when absent', () => {
    expect(one('SELECT GET(ARRAY_CONSTRUCT(10, 20, 30), 1)')).toBe(20);
    expect(one('SELECT GET(ARRAY_CONSTRUCT(10, 20, 30), 5)')).toBeNull();
    expect(one(`SELECT GET(OBJECT_CONSTRUCT('k', 'v', 'n', 2), 'n')`)).toBe(2);
    expect(one(`SELECT GET(OBJECT_CONSTRUCT('k', 'v'), 'missing')`)).toBeNull();
  });
});

describe('OBJECT key order and PARSE_JSON', () => {
  // https://docs.snowflake.com/en/sql-reference/functions/object_construct: the docs print
  // OBJECT_CONSTRUCT('foo', 1234567, 'dataset_size', …, 'distinct_province', …,
  // 'created_date_seconds', …) with its keys sorted: created_date_seconds, dataset_size,
  // distinct_province, foo. Snowflake keeps an OBJECT's keys in order, whatever built it.
  it('OBJECT_CONSTRUCT and PARSE_JSON keep keys sorted: in the value read back and in its text', () => {
    const v = one(`SELECT OBJECT_CONSTRUCT('foo', 1234567, 'dataset_size', 2, 'distinct_province', 2, 'created_date_seconds', 1705536000)`);
    expect(Object.keys(v as object)).toEqual(['created_date_seconds', 'dataset_size', 'distinct_province', 'foo']);
    expect(one(`SELECT TO_VARCHAR(OBJECT_CONSTRUCT('foo', 1, 'dataset_size', 2))`)).toBe('{"dataset_size":2,"foo":1}');
    // https://docs.snowflake.com/en/sql-reference/functions/flatten prints the persons example's
    // { type: "phone", content: "555-1234" } as { "content": …, "type": … }.
    expect(one(`SELECT TO_JSON(PARSE_JSON('{ "type": "phone", "content": "555-1234", "n": {"z": 1, "a": [1.50, 2e3]} }'))`)).toBe(
      '{"content":"555-1234","n":{"a":[1.50,2e3],"z":1},"type":"phone"}',
    );
  });

  // https://docs.snowflake.com/en/sql-reference/functions/flatten: the docs' PARSE_JSON input
  // `{ name: { first: "John", last: "Smith"}, … }` has keys without quotes.
  it('PARSE_JSON takes keys without quotes, as the docs use them; invalid text fails with 100069', () => {
    expect(one(`SELECT PARSE_JSON('{ name:  { first: "John", last: "Smith"}, contact: [] }')`)).toEqual({ contact: [], name: { first: 'John', last: 'Smith' } });
    const bad = failureOf(s, `SELECT PARSE_JSON('{"a": ')`);
    expect([bad.code, bad.message]).toEqual([100069, 'Error parsing JSON: unexpected end of input, pos 6']);
    // https://docs.snowflake.com/en/sql-reference/functions/parse_json: a key given twice fails
    // unless the parameter is 'd', which keeps the last value.
    expect(failureOf(s, `SELECT PARSE_JSON('{"a": 1, "a": 2}')`).message).toBe("Duplicate field key 'a'");
    expect(one(`SELECT PARSE_JSON('{"a": 1, "a": 2}', 'd')`)).toEqual({ a: 2 });
    // Snowflake's `[1, ,77]` has an undefined element, which a JSON value cannot hold.
    const elided = failureOf(s, `SELECT PARSE_JSON('[1, ,77]')`);
    expect([elided.code, elided.state]).toEqual([9999, '0A000']);
    expect(elided.message).toContain('PARSE_JSON of an array with an elided element');
  });

  // https://docs.snowflake.com/en/sql-reference/data-types-semistructured: OBJECT and ARRAY
  // constants, with the docs' examples; an ARRAY constant may mix types.
  it('OBJECT constants {…} and ARRAY constants […] as the docs write them', () => {
    s.execute('SET my_variable = 10');
    expect(one(`SELECT {'key1': $my_variable+1, 'key2': $my_variable+2}`)).toEqual({ key1: 11, key2: 12 });
    expect(one(`SELECT { 'Manitoba': 'Winnipeg' } AS province_capital`)).toEqual({ Manitoba: 'Winnipeg' });
    expect(one('SELECT [$my_variable+1, $my_variable+2]')).toEqual([11, 12]);
    expect(one(`SELECT [ 'Alberta', 'Manitoba' ] AS province`)).toEqual(['Alberta', 'Manitoba']);
    expect(one(`SELECT [ 12, 'twelve', NULL ]`)).toEqual([12, 'twelve', null]);
    expect(one(`SELECT { 'PROVINCE': 'Alberta'::VARIANT , 'CAPITAL': 'Edmonton'::VARIANT }`)).toEqual({ CAPITAL: 'Edmonton', PROVINCE: 'Alberta' });
    s.execute('CREATE OR REPLACE TABLE demo_ca_provinces (province VARCHAR, capital VARCHAR)');
    s.execute(`INSERT INTO demo_ca_provinces (province, capital) VALUES ('Ontario', 'Toronto'), ('British Columbia', 'Victoria')`);
    expect(s.execute('SELECT {*} FROM demo_ca_provinces ORDER BY province').rows).toEqual([
      [{ CAPITAL: 'Victoria', PROVINCE: 'British Columbia' }],
      [{ CAPITAL: 'Toronto', PROVINCE: 'Ontario' }],
    ]);
    // A constant followed by a path or an index.
    expect(s.execute(`SELECT [1, 2][1], {'a': [1, {'b': 2}]}:a[1].b`).rows).toEqual([[2, 2]]);
    // PARSE_JSON takes NULL in capitals, as the same page's example writes it.
    expect(one(`SELECT PARSE_JSON(' { "key1": "value1", "key2": NULL } ')`)).toEqual({ key1: 'value1', key2: null });
  });

  // https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-javascript
  // ("SQL and JavaScript data type mapping"): a VARIANT, OBJECT or ARRAY value reaches JavaScript
  // as the object or array it holds; a VARIANT string as a string.
  it('a procedure reads VARIANT values as JavaScript objects, arrays and strings', () => {
    s.execute(`CREATE OR REPLACE PROCEDURE READ_SEMI() RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$
      var rs = snowflake.execute({sqlText: "SELECT PARSE_JSON('{\\"b\\": 1, \\"a\\": [1, 2]}'), ARRAY_AGG(x), 'x'::VARIANT FROM (SELECT 1 AS x)"});
      rs.next();
      var o = rs.getColumnValue(1), a = rs.getColumnValue(2), v = rs.getColumnValue(3);
      return { keys: Object.keys(o), a1: o.a[1], isArray: Array.isArray(a), a: a, v: v, type: typeof v };
    $$`);
    expect(one('CALL READ_SEMI()')).toEqual({ keys: ['a', 'b'], a1: 2, isArray: true, a: [1], v: 'x', type: 'string' });
  });
});

