/**
 * CHECK_TABLE_QUALITY on the local runtime: a table with known defects, and a clean one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localSnowflake, type TestSnowflake } from 'hybrid-sync/testing';

/** ORDERS rows: [region, order no, customer, amount]; the key is (REGION, ORDER_NO). */
const ORDERS: Array<[string, number, string | null, number | null]> = [
  ['EU', 1, 'c1', 10],
  ['EU', 2, 'c2', null],
  ['EU', 2, 'c3', 12], // duplicate key (EU, 2)
  ['US', 1, null, 14], // (US, 1) differs from (EU, 1): not a duplicate
  ['US', 3, 'c5', null],
  ['US', 3, null, 16], // duplicate key (US, 3)
  ['US', 3, 'c7', 17],
];

let sf: TestSnowflake;
beforeAll(async () => {
  sf = await localSnowflake({
    procedures: new URL('./procedures.ts', import.meta.url),
    sql: [
      'CREATE TABLE ORDERS (REGION VARCHAR(2), ORDER_NO NUMBER(38,0), CUSTOMER VARCHAR(20), AMOUNT NUMBER(10,2))',
      'CREATE TABLE CLEAN (ID NUMBER(38,0), NAME VARCHAR(20))',
      "INSERT INTO CLEAN VALUES (1, 'a'), (2, 'b')",
    ],
  });
  for (const row of ORDERS) sf.execute('INSERT INTO ORDERS VALUES (?, ?, ?, ?)', row);
});
afterAll(() => sf.close());

/** The expected figures, counted from ORDERS in JavaScript. */
function expected(): { duplicateKeys: number; customerNulls: number; amountNulls: number } {
  const perKey = new Map<string, number>();
  for (const [region, no] of ORDERS) perKey.set(`${region}/${no}`, (perKey.get(`${region}/${no}`) ?? 0) + 1);
  return {
    duplicateKeys: [...perKey.values()].filter((n) => n > 1).length,
    customerNulls: ORDERS.filter((r) => r[2] === null).length,
    amountNulls: ORDERS.filter((r) => r[3] === null).length,
  };
}

describe('CHECK_TABLE_QUALITY', () => {
  it('reports rows, duplicate keys over all key columns and NULLs per required column, as a VARIANT', () => {
    const e = expected();
    const report = sf.call('CHECK_TABLE_QUALITY', 'ORDERS', ['REGION', 'ORDER_NO'], ['customer', 'AMOUNT']);
    expect(report).toEqual({
      table: 'ORDERS',
      rows: ORDERS.length,
      duplicateKeys: e.duplicateKeys,
      nulls: { CUSTOMER: e.customerNulls, AMOUNT: e.amountNulls },
      problems: [
        `${e.duplicateKeys} key value(s) of (REGION, ORDER_NO) appear more than once`,
        `CUSTOMER is NULL in ${e.customerNulls} row(s)`,
        `AMOUNT is NULL in ${e.amountNulls} row(s)`,
      ],
      passed: false,
    });
  });

  it('passes a clean table, with REQUIRED_COLUMNS left to its DEFAULT NULL', () => {
    expect(sf.call('CHECK_TABLE_QUALITY', 'CLEAN', ['ID'])).toEqual({ table: 'CLEAN', rows: 2, duplicateKeys: 0, nulls: {}, problems: [], passed: true });
  });

  it('counts a key column alone differently from the pair', () => {
    const perOrderNo = new Map<number, number>();
    for (const [, no] of ORDERS) perOrderNo.set(no, (perOrderNo.get(no) ?? 0) + 1);
    const dupOrderNos = [...perOrderNo.values()].filter((n) => n > 1).length;
    expect(dupOrderNos).not.toBe(expected().duplicateKeys);
    expect(sf.call('CHECK_TABLE_QUALITY', 'ORDERS', ['ORDER_NO'])).toMatchObject({ duplicateKeys: dupOrderNos });
  });

  it('sends two statements, both reading the quoted table', () => {
    sf.log.clear();
    sf.call('CHECK_TABLE_QUALITY', 'ORDERS', ['REGION', 'ORDER_NO'], ['AMOUNT']);
    const inside = sf.log.insideProcedures();
    expect(inside).toHaveLength(2);
    for (const e of inside) expect(e.sql).toContain('FROM "ORDERS"');
  });

  it('refuses names that are not identifiers before sending anything', () => {
    sf.log.clear();
    expect(() => sf.call('CHECK_TABLE_QUALITY', 'ORDERS; DROP TABLE CLEAN', ['ID'])).toThrow(/TABLE_NAME: 'ORDERS; DROP TABLE CLEAN' is not a table name/);
    expect(() => sf.call('CHECK_TABLE_QUALITY', 'ORDERS', ['ID) --'])).toThrow(/KEY_COLUMNS: 'ID\) --' is not a column name/);
    expect(() => sf.call('CHECK_TABLE_QUALITY', 'ORDERS', [])).toThrow(/KEY_COLUMNS must be a non-empty ARRAY/);
    expect(sf.log.insideProcedures()).toEqual([]);
  });
});
