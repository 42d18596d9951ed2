/**
 * Semi-structured path access (local/compat/functions/semi-structured-paths.ts), on the sample
 * table and with the results of https://docs.snowflake.com/en/user-guide/querying-semistructured
 * unless a test cites another page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../../local/index.js';
import { transform } from '../../../local/compat/transform.js';
import { failureOf } from '../../support/failure.js';

let sf: LocalSnowflake;
let s: LocalSession;
const col = (sql: string): unknown[] => s.execute(sql).rows.map((r) => r[0]);

// The documentation's car_sales rows (the fields the examples read).
const ROWS = [
  `{"date": "2017-04-28", "dealership": "Valley View Auto Sales", "salesperson": {"id": "55", "name": "Frank Beasley"},
    "customer": [{"name": "Joyce Ridgely", "phone": "16504378889", "address": "San Francisco, CA"}],
    "vehicle": [{"make": "Honda", "model": "Civic", "year": "2017", "price": "20275", "extras": ["ext warranty", "paint protection"]}]}`,
  `{"date": "2017-04-28", "dealership": "Tindel Toyota", "salesperson": {"id": "274", "name": "Greg Northrup"},
    "customer": [{"name": "Bradley Greenbloom", "phone": "12127593751", "address": "New York, NY"}],
    "vehicle": [{"make": "Toyota", "model": "Camry", "year": "2017", "price": "23500", "extras": ["ext warranty", "rust proofing", "fabric protection"]}]}`,
];

beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  s = sf.session({ timezone: 'UTC' });
  s.execute('CREATE OR REPLACE TABLE CAR_SALES (SRC VARIANT)');
  for (const row of ROWS) s.execute('INSERT INTO CAR_SALES SELECT PARSE_JSON(?)', [row]);
});
afterAll(() => sf.close());

describe('traversing', () => {
  it('v:field reads a first-level element as a VARIANT, named by the item as written, upper-cased', () => {
    const r = s.execute('SELECT src:dealership FROM car_sales ORDER BY 1');
    expect(r.rows).toEqual([['Tindel Toyota'], ['Valley View Auto Sales']]);
    expect(r.columns.map((c) => [c.name, c.type])).toEqual([['SRC:DEALERSHIP', 'VARIANT']]);
  });

  it('dot notation and bracket notation traverse nested objects alike', () => {
    expect(col('SELECT src:salesperson.name FROM car_sales ORDER BY 1')).toEqual(['Frank Beasley', 'Greg Northrup']);
    expect(col(`SELECT src['salesperson']['name'] FROM car_sales ORDER BY 1`)).toEqual(['Frank Beasley', 'Greg Northrup']);
    expect(col('SELECT src:"salesperson"."name" FROM car_sales ORDER BY 1')).toEqual(['Frank Beasley', 'Greg Northrup']);
  });

  it('the column name is case-insensitive but element names are case-sensitive', () => {
    expect(col('SELECT SRC:salesperson.name FROM car_sales ORDER BY 1')).toEqual(['Frank Beasley', 'Greg Northrup']);
    expect(col('SELECT SRC:Salesperson.Name FROM car_sales')).toEqual([null, null]);
    expect(col('SELECT src:"Salesperson" FROM car_sales')).toEqual([null, null]);
  });

  it('[n] reads an array element from 0, and a path continues after it', () => {
    expect(col('SELECT src:vehicle[0].price FROM car_sales ORDER BY 1')).toEqual(['20275', '23500']);
    expect(col('SELECT src:customer[0].name FROM car_sales ORDER BY 1')).toEqual(['Bradley Greenbloom', 'Joyce Ridgely']);
    expect(col(`SELECT src:vehicle[0].extras[1] FROM car_sales ORDER BY 1`)).toEqual(['paint protection', 'rust proofing']);
    expect(col('SELECT src:vehicle[1] FROM car_sales')).toEqual([null, null]);
    expect(col(`SELECT t.src:vehicle[0]['make'] AS MAKE FROM car_sales AS t ORDER BY 1`)).toEqual(['Honda', 'Toyota']);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/get_path: "It returns NULL if the path name
  // doesn't correspond to any element." https://docs.snowflake.com/en/user-guide/semistructured-considerations#null-values:
  // a JSON null is a VARIANT null, not SQL NULL; an absent value is SQL NULL.
  it('a missing element is SQL NULL; a JSON null stays a VARIANT null until converted to text', () => {
    const [row] = s.execute(`SELECT PARSE_JSON('{ "a": null }'):a IS NULL, PARSE_JSON('{ "a": null }'):b IS NULL, TO_CHAR(PARSE_JSON('{ "a": null }'):a)`).rows;
    expect(row).toEqual([false, true, null]);
    expect(s.execute(`SELECT PARSE_JSON('{ "a": null }'):a`).columns[0]?.name).toBe(`PARSE_JSON('{ "A": NULL }'):A`);
  });

  it('works on OBJECT and ARRAY values and on expressions, not only on VARIANT columns', () => {
    expect(col(`SELECT OBJECT_CONSTRUCT('k', ARRAY_CONSTRUCT(10, 20)):k[1]`)).toEqual([20]);
    expect(col('SELECT ARRAY_CONSTRUCT(10, 20)[0]')).toEqual([10]);
    expect(col(`SELECT (src:salesperson):id FROM car_sales ORDER BY 1`)).toEqual(['274', '55']);
  });

  it('reads in WHERE, GROUP BY and joins too', () => {
    expect(col(`SELECT COUNT(*) FROM car_sales WHERE src:vehicle[0].make::VARCHAR = 'Toyota'`)).toEqual([1]);
    expect(col('SELECT src:date::VARCHAR AS D FROM car_sales GROUP BY src:date::VARCHAR')).toEqual(['2017-04-28']);
  });
});

describe('casting', () => {
  it('::STRING / ::VARCHAR give the bare text of the string inside', () => {
    const r = s.execute('SELECT src:salesperson.id::string FROM car_sales ORDER BY 1');
    expect(r.rows).toEqual([['274'], ['55']]);
    expect(r.columns[0]?.type).toBe('TEXT');
    expect(col('SELECT src:dealership::VARCHAR AS D FROM car_sales ORDER BY 1')).toEqual(['Tindel Toyota', 'Valley View Auto Sales']);
  });

  it('::NUMBER converts the value inside, so arithmetic works (the tax example)', () => {
    const r = s.execute('SELECT src:vehicle[0].price::NUMBER * 0.10 AS tax FROM car_sales ORDER BY tax');
    expect(r.rows.map((x) => Number(x[0]))).toEqual([2027.5, 2350]);
  });

  it('::DATE and ::TIMESTAMP_NTZ convert a date string inside', () => {
    const r = s.execute(`SELECT src:date::DATE AS D, src:date::TIMESTAMP_NTZ AS T, src:date::DATE::VARCHAR AS DT FROM car_sales LIMIT 1`);
    expect(r.columns.map((c) => c.type)).toEqual(['DATE', 'TIMESTAMP_NTZ', 'TEXT']);
    expect(r.rows[0]?.[2]).toBe('2017-04-28');
  });

  it('a cast to VARIANT keeps the value semi-structured', () => {
    const r = s.execute('SELECT src:salesperson::VARIANT AS P FROM car_sales ORDER BY 1');
    expect(r.columns[0]?.type).toBe('VARIANT');
    expect(r.rows[0]?.[0]).toEqual({ id: '274', name: 'Greg Northrup' });
  });
});

describe('recognised from tokens', () => {
  it('leaves literals, binds, OBJECT constants, named arguments and casts alone', () => {
    expect(transform(`SELECT 'a:b', "x:y", x::INT, {'k': 'v'} AS O FROM T WHERE a = :1 -- v:c`)).toBe(
      // (INT is NUMBER(38,0) in Snowflake: the engine's 64-bit BIGINT.)
      `SELECT 'a:b', "x:y", x::BIGINT, SF_OBJECT_FROM([{'k': CAST(('k') AS VARCHAR), 'v': SF_TO_VARIANT('v')}]) AS O FROM T WHERE a = $1 -- v:c`,
    );
    expect(col(`SELECT '10:30'`)).toEqual(['10:30']);
  });
});

// https://docs.snowflake.com/en/sql-reference/functions/get: "If the index points outside of the
// array boundaries … this function returns NULL" (a negative index too).
describe('computed and negative indexes', () => {
  it('v[expression] reads the element as GET does; a negative index is outside the array', () => {
    expect(col('SELECT src:vehicle[ARRAY_SIZE(src:vehicle) - 1].make::VARCHAR FROM car_sales ORDER BY 1')).toEqual(['Honda', 'Toyota']);
    expect(col('SELECT src:vehicle[-1] FROM car_sales')).toEqual([null, null]);
    expect(col('SELECT ARRAY_CONSTRUCT(10, 20, 30)[i] FROM (SELECT 2 AS i)')).toEqual([30]);
    expect(col('SELECT GET(ARRAY_CONSTRUCT(10, 20, 30), -1)')).toEqual([null]);
  });
});

// https://docs.snowflake.com/en/user-guide/querying-semistructured ("Using the FLATTEN function
// to parse arrays", "Using FLATTEN to filter the results in a WHERE clause"), on the docs' rows.
describe('FLATTEN over the car_sales paths', () => {
  it('two LATERAL FLATTENs over nested arrays, cast and ordered as the docs do', () => {
    const r = s.execute(`SELECT vm.value:make::string as make, vm.value:model::string as model, ve.value::string as "Extras Purchased"
      FROM car_sales, LATERAL FLATTEN(input => src:vehicle) vm, LATERAL FLATTEN(input => vm.value:extras) ve
      ORDER BY make, model, "Extras Purchased"`);
    expect(r.rows).toEqual([
      ['Honda', 'Civic', 'ext warranty'],
      ['Honda', 'Civic', 'paint protection'],
      ['Toyota', 'Camry', 'ext warranty'],
      ['Toyota', 'Camry', 'fabric protection'],
      ['Toyota', 'Camry', 'rust proofing'],
    ]);
  });

  it('a WHERE clause on a path of FLATTEN\'s VALUE, uncast, compared with a string', () => {
    const r = s.execute(`SELECT c.value:name::string AS name FROM car_sales, LATERAL FLATTEN(input => src:customer) c WHERE c.value:name = 'Joyce Ridgely'`);
    expect(r.rows).toEqual([['Joyce Ridgely']]);
  });
});

describe('refused by name', () => {
  const refused = (sql: string, what: RegExp): void => {
    const f = failureOf(s, sql);
    expect([f.code, f.state]).toEqual([9999, '0A000']);
    expect(f.message).toMatch(what);
  };

  it('a path on a value that is not semi-structured', () => {
    refused(`SELECT TO_VARCHAR(src):x FROM car_sales`, /semi-structured path access on a VARCHAR value/);
  });

  it('TRY_CAST of a path (what Snowflake does with a VARIANT input there was not checked)', () => {
    refused('SELECT TRY_CAST(src:vehicle[0].price AS NUMBER) FROM car_sales', /TRY_CAST of a semi-structured path/);
  });

  it('a second colon in a path', () => {
    refused('SELECT src:salesperson:name FROM car_sales', /a second : in a semi-structured path/);
  });
});

// https://docs.snowflake.com/en/sql-reference/data-types-semistructured, "Using VARIANT values":
// "VARIANT data stores both the value and the data type of the value. Therefore, you can use VARIANT
// values in expressions where the value's data type is valid without first casting the VARIANT"
// (`SELECT my_variant_column * 3.14`). Locally a VARIANT holding an integer takes part as that
// number; anything else is refused by name, never compared as JSON text or left to the engine.
describe('arithmetic and comparison on an uncast path', () => {
  beforeAll(() => {
    s.execute(`CREATE OR REPLACE TABLE nums AS SELECT PARSE_JSON(column1) AS v FROM VALUES ('{"n": 5, "f": 1.5, "s": "20", "z": null}'), ('{"n": 12}')`);
  });
  const refusal = (sql: string): string => {
    const e = failureOf(s, sql);
    expect(e.code).toBe(9999);
    return e.message;
  };

  it('a VARIANT holding an integer is that number on either side of an operator', () => {
    expect(col('SELECT v:n * 3.14 FROM nums ORDER BY 1')).toEqual([15.7, 37.68]);
    expect(col('SELECT v:n + 1 FROM nums ORDER BY 1')).toEqual([6, 13]);
    expect(col('SELECT 20 - v:n FROM nums ORDER BY 1')).toEqual([8, 15]);
    // Compared as numbers: as JSON text '5' > '10' would hold.
    expect(col('SELECT COUNT(*) FROM nums WHERE v:n > 10')).toEqual([1]);
    expect(col('SELECT COUNT(*) FROM nums WHERE 6 <= v:n')).toEqual([1]);
    expect(col('SELECT COUNT(*) FROM nums WHERE v:n = 5')).toEqual([1]);
    // A missing element is SQL NULL, and so is arithmetic on it.
    expect(col('SELECT v:missing + 1 FROM nums')).toEqual([null, null]);
  });

  // The value's data type decides: a string compares as text with a string, a number (integer or
  // fraction) as a number in comparisons, BETWEEN and IN; a JSON null is SQL NULL
  // (https://docs.snowflake.com/en/user-guide/semistructured-considerations).
  it('comparisons, BETWEEN, IN and LIKE use the value inside: numbers with numbers, strings with strings', () => {
    expect(col(`SELECT COUNT(*) FROM car_sales WHERE src:dealership = 'Tindel Toyota'`)).toEqual([1]);
    expect(col(`SELECT COUNT(*) FROM car_sales WHERE 'Tindel Toyota' <> src:dealership`)).toEqual([1]);
    expect(col(`SELECT COUNT(*) FROM car_sales WHERE src:dealership LIKE 'Valley%'`)).toEqual([1]);
    expect(col(`SELECT COUNT(*) FROM car_sales WHERE src:dealership IN ('Tindel Toyota', 'Nowhere')`)).toEqual([1]);
    expect(col('SELECT v:n BETWEEN 1 AND 6 FROM nums ORDER BY v:n')).toEqual([true, false]);
    expect(col('SELECT COUNT(*) FROM nums WHERE v:n IN (5, 12)')).toEqual([2]);
    expect(col('SELECT COUNT(*) FROM nums WHERE v:n NOT BETWEEN 1 AND 6')).toEqual([1]);
    expect(col('SELECT v:f > 1 FROM nums WHERE v:f IS NOT NULL')).toEqual([true]);
    expect(col('SELECT v:f = 1.5 FROM nums WHERE v:f IS NOT NULL')).toEqual([true]);
    expect(col(`SELECT v:z = 1 FROM nums WHERE v:f IS NOT NULL`)).toEqual([null]);
    // MIN/MAX of an uncast path compare numbers by value too (as JSON text '5' > '12').
    expect(s.execute('SELECT MAX(v:n), MIN(v:n) FROM nums').rows).toEqual([[12, 5]]);
    // ORDER BY an uncast path orders numbers by value (as JSON text '12' < '5').
    expect(col('SELECT v:n FROM nums ORDER BY v:n DESC')).toEqual([12, 5]);
    // In ||, the text of the value: a string without its quotes.
    expect(col(`SELECT 'n=' || v:n || ', s=' || v:s FROM nums WHERE v:s IS NOT NULL`)).toEqual(['n=5, s=20']);
  });

  it('refuses other values, and other uses, by name', () => {
    expect(refusal(`SELECT v:f + 1 FROM nums WHERE v:f IS NOT NULL`)).toMatch(/holding a number with a fraction or exponent/);
    expect(refusal(`SELECT v:s * 2 FROM nums WHERE v:s IS NOT NULL`)).toMatch(/holding a string/);
    expect(refusal(`SELECT v:s > 2 FROM nums WHERE v:s IS NOT NULL`)).toMatch(/comparing an uncast semi-structured path holding a string with a number/);
    expect(refusal(`SELECT v:n = '5' FROM nums`)).toMatch(/comparing an uncast semi-structured path holding a number with a string/);
    expect(refusal('SELECT ABS(v:n) FROM nums')).toMatch(/function or operator on an uncast semi-structured path/);
    expect(refusal('SELECT v:n > CURRENT_DATE FROM nums')).toMatch(/function or operator on an uncast semi-structured path/);
  });
});
