/**
 * FLATTEN (https://docs.snowflake.com/en/sql-reference/functions/flatten): KEY, PATH, INDEX,
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

  it('refuses what it cannot honour: PATH, OUTER => TRUE, RECURSIVE => TRUE, MODE, and SEQ or * (which would leave SEQ out)', () => {
    for (const [sql, construct] of [
      ["SELECT f.VALUE FROM DOCS d, LATERAL FLATTEN(INPUT => d.DOC, PATH => 'x') f", "FLATTEN's PATH => 'x'"],
      ['SELECT f.VALUE FROM DOCS d, LATERAL FLATTEN(INPUT => d.DOC, OUTER => TRUE) f', "FLATTEN's OUTER => TRUE"],
      ['SELECT f.VALUE FROM DOCS d, LATERAL FLATTEN(INPUT => d.DOC, RECURSIVE => TRUE) f', "FLATTEN's RECURSIVE => TRUE"],
      ["SELECT f.VALUE FROM DOCS d, LATERAL FLATTEN(INPUT => d.DOC, MODE => 'ARRAY') f", "FLATTEN's MODE => 'ARRAY'"],
      ['SELECT f.SEQ FROM DOCS d, LATERAL FLATTEN(INPUT => d.DOC) f', "FLATTEN's SEQ column"],
      ['SELECT * FROM DOCS d, LATERAL FLATTEN(INPUT => d.DOC) f', 'SELECT * over FLATTEN'],
    ] as const) {
      const e = failureOf(s, sql);
      expect([e.code, e.state], sql).toEqual([9999, '0A000']);
      expect(e.message, sql).toContain(construct);
    }
  });
});
