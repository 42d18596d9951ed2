/**
 * hybrid-sync/testing: one call compiles a procedure file into a fresh local runtime; `call`
 * binds JavaScript values and returns what CALL returns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProcedures, localSnowflake, type TestSnowflake } from '../../testing/index.js';
import { BuildFailure } from '../../build/messages.js';
import { fixture } from './support.js';

let sf: TestSnowflake;
beforeAll(async () => {
  // The fixture names one procedure ADMIN.RENAMED_PROC: its schema must exist, as in Snowflake.
  sf = await localSnowflake({ procedures: fixture('mapping'), sql: 'CREATE SCHEMA ADMIN; USE SCHEMA PUBLIC; CREATE TABLE T (X NUMBER(38,0)); INSERT INTO T VALUES (41)' });
});
afterAll(() => sf.close());

describe('localSnowflake', () => {
  it('creates every procedure of the file, in declaration order', () => {
    // A procedure of another schema is kept under its qualified name, apart from PUBLIC's.
    expect(sf.runtime.procedureNames()).toEqual(expect.arrayContaining(sf.procedures.map((p) => p.declaration.sqlName.toUpperCase())));
    expect(sf.runtime.procedureNames()).toContain('ADMIN.RENAMED_PROC');
    expect(sf.runtime.procedureNames()).not.toContain('RENAMED_PROC');
    expect(sf.procedures.length).toBeGreaterThan(10);
  });

  it('binds numbers, strings and booleans, and passes objects and arrays as VARIANT', () => {
    expect(sf.call('ADD_NUMBERS', 2, 3.5)).toBe(5.5);
    expect(sf.call('ECHO_STRING', 'hi')).toBe('HI!');
    expect(sf.call('NEGATE', true)).toBe(false);
    expect(sf.call('POINT_KEYS', { y: 1, x: 2 })).toEqual(['x', 'y']);
    expect(sf.call('SUM_ALL', [1, 2, 3], ['a'])).toBe(7);
  });

  it('leaves arguments out to take their DEFAULT, and returns an OBJECT parsed', () => {
    expect(sf.call('WITH_DEFAULTS')).toEqual({ lookbackSeconds: 300, label: "it's \\ here", verbose: false, ratio: -1.5, note: null });
    expect(sf.call('WITH_DEFAULTS', 5, 'x')).toMatchObject({ lookbackSeconds: 5, label: 'x' });
  });

  it('passes a Date to a TIMESTAMP_LTZ argument, where the body gets it as a Date of the same instant', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    expect(sf.call('EPOCH_MILLIS', at)).toBe(at.getTime());
  });

  it('runs SQL from the procedure and logs it at call depth 1', () => {
    sf.log.clear();
    expect(sf.call('FIRST_COLUMN', 'SELECT X + 1 FROM T WHERE X < ?', 100)).toBe('42');
    expect(sf.log.insideProcedures().map((e) => [e.sql, e.binds, e.callDepth])).toEqual([['SELECT X + 1 FROM T WHERE X < ?', [100], 1]]);
  });

  it('fails a CALL whose NOT NULL procedure returns null, as Snowflake does', () => {
    expect(sf.call('NOT_NULL_BROKEN', false)).toBe('value');
    expect(() => sf.call('NOT_NULL_BROKEN', true)).toThrow(/NULL result in a non-nullable column/);
  });

  it('records snowflake.log messages', () => {
    sf.call('RETURNS_NOTHING');
    expect(sf.procedureLog).toContainEqual({ procedure: 'RETURNS_NOTHING', level: 'info', message: 'nothing' });
  });
});

describe('compileProcedures', () => {
  it('fails with the build errors of a broken file, each with its location', async () => {
    const failure = await compileProcedures(fixture('broken')).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(BuildFailure);
    for (const e of (failure as BuildFailure).errors) expect(e.location?.file).toBe(fixture('broken'));
  });

  it('compiles once per file and options', async () => {
    expect(compileProcedures(fixture('mapping'))).toBe(compileProcedures(fixture('mapping')));
    expect(await compileProcedures(fixture('mapping'))).toEqual(sf.procedures);
  });
});
