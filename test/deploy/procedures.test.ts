/** Reading SHOW PROCEDURES' `arguments` column, to find overloads with another signature. */
import { describe, expect, it } from 'vitest';
import { argumentTypes, canonicalType, sameTypes } from '../../scripts/lib/procedures.js';

describe('SHOW PROCEDURES arguments', () => {
  it('reads the documented forms (https://docs.snowflake.com/en/release-notes/bcr-bundles/2024_01/bcr-1508)', () => {
    expect(argumentTypes('MY_PROC(VARCHAR , BOOLEAN DEFAULT) RETURN VARCHAR')).toEqual(['VARCHAR', 'BOOLEAN']);
    expect(argumentTypes('MY_PROC(VARCHAR [, BOOLEAN]) RETURN VARCHAR')).toEqual(['VARCHAR', 'BOOLEAN']);
    expect(argumentTypes('SYNC_PIPELINE_RUN_HISTORY_PROC() RETURN VARIANT')).toEqual([]);
  });

  it('compares declared types with shown types through synonyms and precision', () => {
    expect(canonicalType('STRING(100)')).toBe('VARCHAR');
    expect(canonicalType('double precision')).toBe('FLOAT');
    expect(sameTypes(['NUMBER(38,0)', 'TEXT'], ['NUMBER', 'VARCHAR'])).toBe(true);
    expect(sameTypes(['OBJECT'], ['VARCHAR'])).toBe(false);
    expect(sameTypes(['BOOLEAN'], ['BOOLEAN', 'BOOLEAN'])).toBe(false);
  });
});

describe('the DEFAULT-first form of SHOW PROCEDURES (as Snowflake CLI tests read it)', () => {
  it('reads (DEFAULT BOOLEAN, DEFAULT BOOLEAN) as (BOOLEAN, BOOLEAN)', () => {
    expect(argumentTypes('RECONCILE_PIPELINE_RUN_HISTORY_PROC(DEFAULT BOOLEAN, DEFAULT BOOLEAN) RETURN VARIANT')).toEqual(['BOOLEAN', 'BOOLEAN']);
    expect(canonicalType('DEFAULT NUMBER(38,0)')).toBe('NUMBER');
  });
});
