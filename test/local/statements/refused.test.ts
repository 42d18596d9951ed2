/**
 * Statements the runtime knowingly does not run (local/statements/refused.ts): they fail as not
 * implemented (9999 / 0A000), naming the construct.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../../local/index.js';
import { refused } from '../../../local/statements/refused.js';
import { STATEMENT_KINDS } from '../../../local/statements/registry.js';
import { recognise } from '../../../local/sql-text.js';
import { expectRecognition } from './recognition.js';
import { failureOf } from '../../support/failure.js';

let sf: LocalSnowflake;
let s: LocalSession;
beforeAll(() => {
  sf = LocalSnowflake.open();
  s = sf.session();
});
afterAll(() => sf.close());

describe('recognition', () => {
  it('takes SHOW, DESCRIBE, stages, grants and other objects\' DDL, and leaves tables, views and queries', () => {
    expectRecognition(
      refused,
      ['SHOW STAGES', 'DESCRIBE STAGE S', 'LIST @S', 'PUT file:///x @S', 'COPY INTO T FROM @S', 'GRANT SELECT ON T TO ROLE R', 'UNDROP TABLE T', 'CREATE STREAM S1 ON TABLE T', 'CREATE OR REPLACE FUNCTION F() RETURNS INT AS $$ 1 $$'],
      ['CREATE TABLE T (A INT)', 'CREATE VIEW V AS SELECT 1', 'SELECT 1'],
    );
  });

  it('would match forms that kinds before it take first: SHOW TASKS, DESCRIBE TABLE, sequences, schemas', () => {
    for (const sql of ['SHOW TASKS', 'DESCRIBE TABLE T', 'CREATE SEQUENCE Q', 'CREATE SCHEMA S2']) {
      expect(refused.match(recognise(sql)), sql).toBeDefined();
      const first = STATEMENT_KINDS.find((k) => k.match(recognise(sql)) !== undefined);
      expect(first, sql).not.toBe(refused);
    }
  });
});

describe('refusing', () => {
  it('fails unsupported statements with "not implemented" naming the construct', () => {
    const e = failureOf(s, 'CREATE STREAM S1 ON TABLE SRC');
    expect(e.message).toMatch(/CREATE STREAM is not implemented/);
    expect(e.state).toBe('0A000');
  });

  it('names SHOW of an object type with no local answer', () => {
    const e = failureOf(s, 'SHOW WAREHOUSES');
    expect([e.code, e.state]).toEqual([9999, '0A000']);
    expect(e.message).toMatch(/SHOW WAREHOUSES is not implemented/);
  });
});
