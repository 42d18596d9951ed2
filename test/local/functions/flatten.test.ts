/**
 * FLATTEN (https://docs.snowflake.com/en/sql-reference/functions/flatten): SEQ, KEY, PATH, INDEX,
 * VALUE and THIS for arrays and objects, correlated with the table before it; no row for a
 * scalar or an empty value (OUTER => FALSE); the options and the SEQ column it cannot honour are
 * refused as not implemented.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../../local/index.js';
import { failureOf } from '../../support/failure.js';

let sf: LocalSnowflake;
let s: LocalSession;
beforeAll(() => {
  sf = LocalSnowflake.open();
  s = sf.session();
  s.execute('CREATE TABLE DOCS (ID NUMBER, DOC VARIANT)');
  s.execute(`INSERT INTO DOCS SELECT 1, PARSE_JSON('[10, "b"]') UNION ALL SELECT 2, PARSE_JSON('{"x": 1, "y z": [2]}') UNION ALL SELECT 3, PARSE_JSON('5') UNION ALL SELECT 4, PARSE_JSON('[]')`);
});
afterAll(() => sf.close());

describe('FLATTEN', () => {
  it('TABLE(FLATTEN(INPUT => array)): one row per element, INDEX and PATH [i], KEY NULL, THIS the array', () => {
    const r = s.execute(`SELECT f.KEY, f.PATH, f.INDEX, f.VALUE, f.THIS FROM TABLE(FLATTEN(INPUT => PARSE_JSON('[1, "two", {"a": 3}]'))) f ORDER BY f.INDEX`);
    expect(r.columns.map((c) => c.name)).toEqual(['KEY', 'PATH', 'INDEX', 'VALUE', 'THIS']);
    expect(r.rows).toEqual([
      [null, '[0]', 0, 1, [1, 'two', { a: 3 }]],
      [null, '[1]', 1, 'two', [1, 'two', { a: 3 }]],
      [null, '[2]', 2, { a: 3 }, [1, 'two', { a: 3 }]],
    ]);
  });

  it('LATERAL FLATTEN over a column: objects give KEY and PATH (bracketed when not a plain name); scalars and empty arrays give no row', () => {
    const r = s.execute('SELECT d.ID, f.KEY, f.PATH, f.INDEX, f.VALUE FROM DOCS d, LATERAL FLATTEN(INPUT => d.DOC) f ORDER BY d.ID, f.PATH');
    expect(r.rows).toEqual([
      [1, null, '[0]', 0, 10],
      [1, null, '[1]', 1, 'b'],
      // ORDER BY PATH: '[' sorts before 'x'.
      [2, 'y z', "['y z']", null, [2]],
      [2, 'x', 'x', null, 1],
    ]);
    // Snowflake's FLATTEN is lateral without the keyword too.
    expect(s.execute('SELECT COUNT(*) FROM DOCS d, TABLE(FLATTEN(d.DOC))').rows).toEqual([[4]]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/flatten ("Examples"): the printed
  // outputs of the page, column for column (SEQ is 1: one input record).
  const DOC = `PARSE_JSON('{"a":1, "b":[77,88], "c": {"d":"X"}}')`;
  const whole = { a: 1, b: [77, 88], c: { d: 'X' } };
  it('SELECT * gives SEQ, KEY, PATH, INDEX, VALUE, THIS as the docs print them', () => {
    const r = s.execute(`SELECT * FROM TABLE(FLATTEN(INPUT => PARSE_JSON('[1, 77]'))) f`);
    expect(r.columns.map((c) => c.name)).toEqual(['SEQ', 'KEY', 'PATH', 'INDEX', 'VALUE', 'THIS']);
    expect(r.rows).toEqual([
      [1, null, '[0]', 0, 1, [1, 77]],
      [1, null, '[1]', 1, 77, [1, 77]],
    ]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/flatten: "the effect of the PATH parameter".
  it('PATH => flattens the element at that path; PATH is prefixed by it', () => {
    expect(s.execute(`SELECT * FROM TABLE(FLATTEN(INPUT => PARSE_JSON('{"a":1, "b":[77,88]}'), OUTER => TRUE)) f`).rows).toEqual([
      [1, 'a', 'a', null, 1, { a: 1, b: [77, 88] }],
      [1, 'b', 'b', null, [77, 88], { a: 1, b: [77, 88] }],
    ]);
    expect(s.execute(`SELECT * FROM TABLE(FLATTEN(INPUT => PARSE_JSON('{"a":1, "b":[77,88]}'), PATH => 'b')) f`).rows).toEqual([
      [1, null, 'b[0]', 0, 77, [77, 88]],
      [1, null, 'b[1]', 1, 88, [77, 88]],
    ]);
    // Deeper paths: names, [n] and ['key'] (the docs' PATH is a constant path expression).
    expect(s.execute(`SELECT VALUE FROM TABLE(FLATTEN(INPUT => ${DOC}, PATH => 'c'))`).rows).toEqual([['X']]);
    expect(s.execute(`SELECT PATH, VALUE FROM TABLE(FLATTEN(INPUT => PARSE_JSON('{"x": [[5, 6]]}'), PATH => 'x[0]'))`).rows).toEqual([
      ['x[0][0]', 5],
      ['x[0][1]', 6],
    ]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/flatten: "the effect of the OUTER parameter".
  it('OUTER => TRUE gives one row for an expansion of zero rows; without it there is none', () => {
    expect(s.execute(`SELECT * FROM TABLE(FLATTEN(INPUT => PARSE_JSON('[]'))) f`).rows).toEqual([]);
    // The docs print `1 | NULL | (empty) | NULL | NULL | []`.
    expect(s.execute(`SELECT * FROM TABLE(FLATTEN(INPUT => PARSE_JSON('[]'), OUTER => TRUE)) f`).rows).toEqual([[1, null, '', null, null, []]]);
    // Rows that cannot be expanded (a scalar, nothing at PATH) are kept by OUTER too; the docs
    // do not print these: THIS is what is there (SQL NULL when nothing is).
    expect(s.execute('SELECT d.ID, f.VALUE, f.THIS FROM DOCS d, LATERAL FLATTEN(INPUT => d.DOC, OUTER => TRUE) f WHERE d.ID IN (3, 4) ORDER BY d.ID').rows).toEqual([
      [3, null, 5],
      [4, null, []],
    ]);
    expect(s.execute(`SELECT KEY, PATH, THIS FROM TABLE(FLATTEN(INPUT => ${DOC}, PATH => 'missing', OUTER => TRUE))`).rows).toEqual([[null, 'missing', null]]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/flatten: "the effect of the RECURSIVE
  // parameter" and "the effect of the MODE parameter", in the docs' row order.
  it('RECURSIVE => TRUE expands every sub-element in document order; MODE limits what is expanded', () => {
    expect(s.execute(`SELECT * FROM TABLE(FLATTEN(INPUT => ${DOC})) f`).rows).toEqual([
      [1, 'a', 'a', null, 1, whole],
      [1, 'b', 'b', null, [77, 88], whole],
      [1, 'c', 'c', null, { d: 'X' }, whole],
    ]);
    expect(s.execute(`SELECT * FROM TABLE(FLATTEN(INPUT => ${DOC}, RECURSIVE => TRUE )) f`).rows).toEqual([
      [1, 'a', 'a', null, 1, whole],
      [1, 'b', 'b', null, [77, 88], whole],
      [1, null, 'b[0]', 0, 77, [77, 88]],
      [1, null, 'b[1]', 1, 88, [77, 88]],
      [1, 'c', 'c', null, { d: 'X' }, whole],
      [1, 'd', 'c.d', null, 'X', { d: 'X' }],
    ]);
    expect(s.execute(`SELECT * FROM TABLE(FLATTEN(INPUT => ${DOC}, RECURSIVE => TRUE, MODE => 'OBJECT' )) f`).rows).toEqual([
      [1, 'a', 'a', null, 1, whole],
      [1, 'b', 'b', null, [77, 88], whole],
      [1, 'c', 'c', null, { d: 'X' }, whole],
      [1, 'd', 'c.d', null, 'X', { d: 'X' }],
    ]);
    // MODE => 'ARRAY' on an object expands nothing (the docs do not print it; it follows from
    // "whether only objects, arrays, or both should be flattened").
    expect(s.execute(`SELECT * FROM TABLE(FLATTEN(INPUT => ${DOC}, MODE => 'ARRAY'))`).rows).toEqual([]);
    expect(s.execute(`SELECT PATH, VALUE FROM TABLE(FLATTEN(INPUT => PARSE_JSON('[[1], {"k": 2}]'), RECURSIVE => TRUE, MODE => 'array'))`).rows).toEqual([
      ['[0]', [1]],
      ['[0][0]', 1],
      ['[1]', { k: 2 }],
    ]);
  });

  // https://docs.snowflake.com/en/sql-reference/functions/flatten: the persons example, LATERAL
  // FLATTEN over a path of the first FLATTEN's VALUE, with the docs' table as written.
  it('chained LATERAL FLATTEN with PATH and a path of the previous VALUE, as in the docs', () => {
    s.execute(`CREATE OR REPLACE TABLE persons AS
      SELECT column1 AS id, PARSE_JSON(column2) as c
        FROM values
          (12712555,
           '{ name:  { first: "John", last: "Smith"},
             contact: [
             { business:[
               { type: "phone", content:"555-1234" },
               { type: "email", content:"j.smith@example.com" } ] } ] }'),
          (98127771,
           '{ name:  { first: "Jane", last: "Doe"},
             contact: [
             { business:[
               { type: "phone", content:"555-1236" },
               { type: "email", content:"j.doe@example.com" } ] } ] }') v`);
    const r = s.execute(`SELECT id as "ID", f1.value:type AS "Type", f1.value:content AS "Details"
      FROM persons p, LATERAL FLATTEN(INPUT => p.c, PATH => 'contact') f, LATERAL FLATTEN(INPUT => f.value:business) f1
      ORDER BY 1, f1.index`);
    expect(r.rows).toEqual([
      [12712555, 'phone', '555-1234'],
      [12712555, 'email', 'j.smith@example.com'],
      [98127771, 'phone', '555-1236'],
      [98127771, 'email', 'j.doe@example.com'],
    ]);
    // SEQ after one table: unique per input row (the docs: "not guaranteed to be gap-free or ordered").
    const seqs = s.execute('SELECT p.ID, f.SEQ FROM persons p, LATERAL FLATTEN(INPUT => p.c) f').rows;
    const byId = new Map(seqs.map(([id, seq]) => [id, seq]));
    expect(byId.size).toBe(2);
    expect(new Set(byId.values()).size).toBe(2);
    for (const [id, seq] of seqs) expect(byId.get(id)).toBe(seq);
    expect(s.execute('SELECT * FROM persons p, LATERAL FLATTEN(INPUT => p.c) f').columns.map((c) => c.name)).toEqual(['ID', 'C', 'SEQ', 'KEY', 'PATH', 'INDEX', 'VALUE', 'THIS']);
  });

  // https://docs.snowflake.com/en/user-guide/lateral-join-using: FLATTEN without and with a
  // lateral join, and the docs' printed rows (a VARIANT string reads back as the string).
  it('the lateral-join page: FLATTEN of an ARRAY_CONSTRUCT, and LATERAL FLATTEN over an ARRAY column', () => {
    expect(s.execute(`SELECT index, value AS project_name FROM TABLE(FLATTEN(INPUT => ARRAY_CONSTRUCT('project1', 'project2')))`).rows).toEqual([
      [0, 'project1'],
      [1, 'project2'],
    ]);
    s.execute('CREATE OR REPLACE TABLE employees (employee_ID INTEGER, last_name VARCHAR, department_ID INTEGER, project_names ARRAY)');
    s.execute(`INSERT INTO employees (employee_ID, last_name, department_ID) VALUES (101, 'Richards', 1), (102, 'Paulson', 1), (103, 'Johnson', 2)`);
    s.execute(`UPDATE employees SET project_names = ARRAY_CONSTRUCT('Materialized Views', 'UDFs') WHERE employee_ID = 101`);
    s.execute(`UPDATE employees SET project_names = ARRAY_CONSTRUCT('Materialized Views', 'Lateral Joins') WHERE employee_ID = 102`);
    const r = s.execute(`SELECT emp.employee_ID, emp.last_name, index, value AS project_name
      FROM employees AS emp,
        LATERAL FLATTEN(INPUT => emp.project_names) AS proj_names
      ORDER BY employee_ID, index`);
    expect(r.rows).toEqual([
      [101, 'Richards', 0, 'Materialized Views'],
      [101, 'Richards', 1, 'UDFs'],
      [102, 'Paulson', 0, 'Materialized Views'],
      [102, 'Paulson', 1, 'Lateral Joins'],
    ]);
    // SELECT * adds FLATTEN's columns after the table's, SEQ the same within an employee.
    const all = s.execute('SELECT * FROM employees AS emp, LATERAL FLATTEN(INPUT => emp.project_names) AS proj_names ORDER BY employee_ID, index');
    expect(all.columns.map((c) => c.name)).toEqual(['EMPLOYEE_ID', 'LAST_NAME', 'DEPARTMENT_ID', 'PROJECT_NAMES', 'SEQ', 'KEY', 'PATH', 'INDEX', 'VALUE', 'THIS']);
    const seq = all.rows.map((row) => row[4]);
    expect(seq[0]).toBe(seq[1]);
    expect(seq[2]).toBe(seq[3]);
    expect(seq[0]).not.toBe(seq[2]);
  });

  // https://docs.snowflake.com/en/sql-reference/data-types-semistructured ("Using VARIANT values"):
  // FLATTEN's VALUE is a VARIANT, used as the value it holds.
  it("f.VALUE compares, orders and takes MIN/MAX by the value inside, not by its JSON text", () => {
    const nums = `TABLE(FLATTEN(INPUT => PARSE_JSON('[5, 12, 100]'))) f`;
    expect(s.execute(`SELECT f.value FROM ${nums} ORDER BY f.value`).rows).toEqual([[5], [12], [100]]);
    expect(s.execute(`SELECT f.value FROM ${nums} WHERE f.value > 10 ORDER BY f.index`).rows).toEqual([[12], [100]]);
    expect(s.execute(`SELECT MAX(f.value), MIN(f.value) FROM ${nums}`).rows).toEqual([[100, 5]]);
    expect(s.execute(`SELECT f.index FROM TABLE(FLATTEN(INPUT => PARSE_JSON('["a", "b"]'))) AS f WHERE f.value = 'b'`).rows).toEqual([[1]]);
    // Bare VALUE, when the FLATTEN is the statement's one FROM.
    expect(s.execute(`SELECT value FROM TABLE(FLATTEN(INPUT => PARSE_JSON('[5, 12, 100]'))) ORDER BY value DESC`).rows).toEqual([[100], [12], [5]]);
    expect(s.execute(`SELECT index FROM TABLE(FLATTEN(INPUT => PARSE_JSON('["a", "b"]'))) WHERE value = 'b'`).rows).toEqual([[1]]);
  });

  it('refuses what it cannot honour, naming it: SEQ where the input record cannot be numbered, other PATH forms, positional options', () => {
    s.execute('CREATE OR REPLACE VIEW DOCS_VIEW AS SELECT * FROM DOCS');
    for (const [sql, construct] of [
      ['SELECT f1.SEQ FROM DOCS d, LATERAL FLATTEN(INPUT => d.DOC) f, LATERAL FLATTEN(INPUT => f.VALUE) f1', "FLATTEN's SEQ column"],
      ['SELECT * FROM (SELECT * FROM DOCS) d, LATERAL FLATTEN(INPUT => d.DOC) f', "FLATTEN's SEQ column"],
      ['WITH w AS (SELECT * FROM DOCS) SELECT * FROM w, LATERAL FLATTEN(INPUT => w.DOC) f', "FLATTEN's SEQ column"],
      ['SELECT * FROM DOCS_VIEW v, LATERAL FLATTEN(INPUT => v.DOC) f', "FLATTEN's SEQ column (also read by *) for a FLATTEN after a view"],
      ["SELECT f.VALUE FROM DOCS d, LATERAL FLATTEN(INPUT => d.DOC, PATH => 'a b') f", "FLATTEN's PATH => 'a b'"],
      ['SELECT f.VALUE FROM DOCS d, LATERAL FLATTEN(d.DOC, TRUE) f', "FLATTEN's positional argument 2"],
      ["SELECT f.VALUE FROM DOCS d, LATERAL FLATTEN(INPUT => d.DOC, MODE => 'ALL') f", "FLATTEN's MODE => 'ALL'"],
      // INPUT must be VARIANT, OBJECT or ARRAY (the docs' Arguments); text is not parsed.
      ["SELECT * FROM TABLE(FLATTEN(INPUT => '[1, 2]'))", 'FLATTEN of a VARCHAR value'],
    ] as const) {
      const e = failureOf(s, sql);
      expect([e.code, e.state], sql).toEqual([9999, '0A000']);
      expect(e.message, sql).toContain(construct);
    }
    // Without SEQ, those forms run.
    expect(s.execute('SELECT COUNT(f1.VALUE) FROM DOCS d, LATERAL FLATTEN(INPUT => d.DOC) f, LATERAL FLATTEN(INPUT => f.VALUE) f1').rows).toEqual([[1]]);
    // A SQL NULL input gives no row, or the one OUTER row.
    expect(s.execute('SELECT COUNT(*) FROM TABLE(FLATTEN(INPUT => NULL))').rows).toEqual([[0]]);
    expect(s.execute('SELECT THIS FROM TABLE(FLATTEN(INPUT => NULL, OUTER => TRUE))').rows).toEqual([[null]]);
  });
});
