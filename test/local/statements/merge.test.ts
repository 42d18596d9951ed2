/**
 * MERGE (local/statements/merge.ts, counted in local/compat/merge.ts):
 * https://docs.snowflake.com/en/sql-reference/sql/merge
 */
import { describe, expect, it } from 'vitest';
import { mergeResult, mergeReturningAction } from '../../../local/compat/merge.js';
import { merge } from '../../../local/statements/merge.js';
import { expectRecognition } from './recognition.js';

describe('recognition', () => {
  it('takes MERGE INTO … USING … ON … WHEN, and leaves other statements that mention MERGE', () => {
    expectRecognition(
      merge,
      ['MERGE INTO T USING S ON T.ID = S.ID WHEN MATCHED THEN DELETE', 'merge into T t using (SELECT 1 AS ID) s on t.ID = s.ID when not matched then insert (ID) values (s.ID);'],
      ["SELECT 'MERGE INTO T'", 'UPDATE MERGE_LOG SET A = 1', 'SELECT 1'],
    );
  });
});

describe('counts', () => {
  it('appends RETURNING merge_action and names the count columns by clause', () => {
    const sql = 'MERGE INTO T USING S ON T.A = S.A WHEN MATCHED THEN UPDATE SET B = S.B WHEN NOT MATCHED THEN INSERT (A) VALUES (S.A);';
    expect(mergeReturningAction(sql)).toBe(sql.slice(0, -1) + '\nRETURNING merge_action');
    expect(mergeResult(sql, { inserted: 2, updated: 1, deleted: 0 })).toEqual({
      names: ['number of rows inserted', 'number of rows updated'],
      row: [2, 1],
    });
    expect(mergeResult('MERGE INTO T USING S ON T.A = S.A WHEN MATCHED THEN DELETE', { inserted: 0, updated: 0, deleted: 3 }).names).toEqual([
      'number of rows deleted',
    ]);
  });
});
