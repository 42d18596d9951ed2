/**
 * TypeScript signatures → SQL signatures, and the build errors for what cannot be mapped.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generate, type GeneratedProcedure } from '../../build/generate.js';
import { BuildFailure, type BuildMessage } from '../../build/messages.js';
import { upperSnake } from '../../build/emit.js';
import { ROOT, byName, fixture } from './support.js';

let procs: GeneratedProcedure[];
beforeAll(async () => {
  procs = await generate({ root: ROOT, entry: fixture('mapping') });
});

describe('type mapping', () => {
  it('maps string → VARCHAR, number → FLOAT, boolean → BOOLEAN', () => {
    expect(byName(procs, 'ECHO_STRING').signature).toBe('ECHO_STRING(TEXT VARCHAR) RETURNS VARCHAR');
    expect(byName(procs, 'ADD_NUMBERS').signature).toBe('ADD_NUMBERS(FIRST FLOAT, SECOND FLOAT) RETURNS FLOAT');
    expect(byName(procs, 'NEGATE').signature).toBe('NEGATE(FLAG BOOLEAN) RETURNS BOOLEAN');
  });

  it('maps interfaces, Record and inline object types → OBJECT, arrays (also readonly) → ARRAY', () => {
    expect(byName(procs, 'POINT_KEYS').signature).toBe('POINT_KEYS(POINT OBJECT) RETURNS ARRAY');
    expect(byName(procs, 'RECORD_SIZE').signature).toBe('RECORD_SIZE(COUNTS OBJECT) RETURNS FLOAT');
    expect(byName(procs, 'INLINE_OBJECT').signature).toBe('INLINE_OBJECT(BOX OBJECT) RETURNS FLOAT');
    expect(byName(procs, 'SUM_ALL').signature).toBe('SUM_ALL(NUMBERS ARRAY, LABELS ARRAY) RETURNS FLOAT');
  });

  it('maps unknown → VARIANT and literal unions to their base type', () => {
    expect(byName(procs, 'ECHO_VARIANT').signature).toBe('ECHO_VARIANT(PAYLOAD VARIANT) RETURNS VARIANT');
    expect(byName(procs, 'LITERAL_UNION').signature).toBe('LITERAL_UNION(MODE VARCHAR, LEVEL FLOAT) RETURNS VARCHAR');
  });

  it('unwraps T | null and T | undefined to T, for arguments and return types', () => {
    expect(byName(procs, 'NULLABLES').signature).toBe('NULLABLES(MAYBE_TEXT VARCHAR, MAYBE_COUNT FLOAT) RETURNS VARCHAR');
    expect(byName(procs, 'OPTIONAL_CHAIN').signature).toBe('OPTIONAL_CHAIN(OPTIONS OBJECT) RETURNS VARCHAR');
  });

  it('turns optional parameters into DEFAULT NULL and literal initializers into DEFAULT literals', () => {
    const p = byName(procs, 'WITH_DEFAULTS');
    expect(p.declaration.args.map((a) => [a.sqlName, a.sqlType, a.defaultSql])).toEqual([
      ['LOOKBACK_SECONDS', 'FLOAT', '300'],
      ['LABEL', 'VARCHAR', "'it''s \\\\ here'"],
      ['VERBOSE', 'BOOLEAN', 'FALSE'],
      ['RATIO', 'FLOAT', '-1.5'],
      ['NOTE', 'VARCHAR', 'NULL'],
    ]);
    expect(p.declaration.returns).toBe('OBJECT');
  });

  it('returns VARCHAR for void (the procedure returns NULL)', () => {
    expect(byName(procs, 'RETURNS_NOTHING').signature).toBe('RETURNS_NOTHING() RETURNS VARCHAR');
  });

  it('applies every JSDoc override tag', () => {
    const p = byName(procs, 'ADMIN.RENAMED_PROC');
    expect(p.declaration).toMatchObject({
      functionName: 'taggedProcedure',
      returns: 'VARIANT',
      executeAs: 'CALLER',
      nullHandling: 'RETURNS NULL ON NULL INPUT',
      comment: "fixture: every tag, with a quote ' and a backslash \\",
      output: 'other.sql',
    });
    expect(p.declaration.args).toEqual([{ jsName: 'batchSize', sqlName: 'BATCH_SIZE', bodyName: 'BATCH_SIZE', sqlType: 'NUMBER(38,0)', defaultSql: null }]);
  });

  it('defaults to EXECUTE AS OWNER, no null-handling clause, no comment, a nullable return, one file per procedure', () => {
    expect(byName(procs, 'NEGATE').declaration).toMatchObject({ executeAs: 'OWNER', nullHandling: null, comment: null, returnsNotNull: false, output: 'negate.sql' });
    expect(byName(procs, 'FIRST_COLUMN').declaration.output).toBe('first_column.sql');
  });

  it('maps Date and the shim\'s SfDate to TIMESTAMP_LTZ, and takes TIMESTAMP_NTZ, TIMESTAMP_TZ or DATE from @sqlType', () => {
    expect(byName(procs, 'SINCE_WHEN').signature).toBe('SINCE_WHEN(SINCE TIMESTAMP_LTZ, UNTIL TIMESTAMP_LTZ) RETURNS TIMESTAMP_LTZ');
    expect(byName(procs, 'DATED_OVERRIDE').signature).toBe('DATED_OVERRIDE(DAY DATE, AT TIMESTAMP_NTZ(9)) RETURNS FLOAT');
  });

  it('accepts STRICT as RETURNS NULL ON NULL INPUT, and RETURNS ... NOT NULL from @returnsSql or @returnsNotNull', () => {
    const strict = byName(procs, 'STRICT_NOT_NULL');
    expect(strict.declaration.nullHandling).toBe('RETURNS NULL ON NULL INPUT');
    expect(strict.sql).toContain('\n  RETURNS NUMBER(38,0) NOT NULL\n  LANGUAGE JAVASCRIPT\n  RETURNS NULL ON NULL INPUT\n');
    expect(byName(procs, 'ALWAYS_TEXT').signature).toBe('ALWAYS_TEXT(TEXT VARCHAR) RETURNS VARCHAR NOT NULL');
  });

  it('skips exported functions whose first parameter is not Snowflake', () => {
    expect(procs.map((p) => p.declaration.functionName)).not.toContain('helperNotAProcedure');
    expect(procs).toHaveLength(21);
  });

  it('names arguments and procedures in UPPER_SNAKE', () => {
    expect(upperSnake('lookbackSeconds')).toBe('LOOKBACK_SECONDS');
    expect(upperSnake('syncPipelineRunHistoryProc')).toBe('SYNC_PIPELINE_RUN_HISTORY_PROC');
    expect(upperSnake('HTMLParser')).toBe('HTML_PARSER');
    expect(upperSnake('batch2Size')).toBe('BATCH2_SIZE');
    expect(upperSnake('id')).toBe('ID');
  });
});

describe('unmappable declarations (broken.fixture.ts)', () => {
  let errors: BuildMessage[];
  beforeAll(async () => {
    const failure = await generate({ root: ROOT, entry: fixture('broken') }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(BuildFailure);
    errors = (failure as BuildFailure).errors;
  });

  const errorFor = (needle: string): BuildMessage => {
    const m = errors.find((e) => e.text.includes(needle));
    if (m === undefined) throw new Error(`no error mentioning ${needle}; got:\n${errors.map((e) => e.text).join('\n')}`);
    return m;
  };

  it.each([
    ['takesBigint', 'rowCount', 'bigint'],
    ['takesCallback', 'onRow', 'function'],
    ['takesMixedUnion', 'idOrName', 'VARCHAR and FLOAT'],
    ['takesMap', 'lookup', 'Map'],
  ])('%s: names the file, the function and parameter %s, and hints @sqlType', (fn, param, why) => {
    const m = errorFor(`parameter '${param}' of function '${fn}'`);
    expect(m.text).toContain(why);
    expect(m.fix).toContain(`@sqlType ${param}`);
    expect(m.location?.file).toBe('test/fixtures/broken.fixture.ts');
    expect(m.location?.lineText).toContain(`${param}:`);
  });

  it('rejects a non-literal default, a required argument after an optional one, and a Promise', () => {
    expect(errorFor("'lookbackSeconds' of 'nonLiteralDefault'").text).toContain('not a literal');
    expect(errorFor("'name' of 'requiredAfterOptional'").text).toContain('DEFAULT to come last');
    expect(errorFor("'returnsPromise'").text).toContain('synchronous');
  });

  it('rejects a bad @executeAs, an @sqlType for a missing parameter, and a reserved argument name', () => {
    expect(errorFor("@executeAs on 'badExecuteAs'").text).toContain('OWNER, CALLER, RESTRICTED CALLER');
    expect(errorFor("'nosuchParam'").location?.lineText).toContain('@sqlType nosuchParam');
    expect(errorFor('VALUES').text).toContain('reserved keyword');
  });

  it('rejects a mis-cased tag and a handler declared as an arrow function', () => {
    expect(errorFor('@sqltype').fix).toBe('did you mean @sqlType?');
    expect(errorFor("'arrowHandler'").fix).toBe("declare it as 'export function arrowHandler(...)'");
  });

  it('rejects a Date argument given a non-timestamp @sqlType, and a TIMESTAMP @sqlType on a string, each with the fix', () => {
    const date = errorFor("parameter 'since' of 'dateAsVarchar'");
    expect(date.text).toContain("would hand it a string");
    expect(date.fix).toContain("'@sqlType since TIMESTAMP_LTZ'");
    expect(date.location?.lineText).toContain('@sqlType since VARCHAR');
    const text = errorFor("parameter 'at' of 'stringAsTimestamp'");
    expect(text.text).toContain('arrives in the body as a Date');
    expect(text.fix).toContain('Date or SfDate');
  });

  it('rejects an unknown @nullHandling naming STRICT among the choices, and @returnsNotNull with a value', () => {
    expect(errorFor("@nullHandling on 'badNullHandling'").text).toContain('RETURNS NULL ON NULL INPUT, STRICT');
    expect(errorFor("@returnsNotNull on 'notNullWithValue'").fix).toContain('@returnsSql TYPE NOT NULL');
  });

  it('rejects an unquoted non-ASCII @procedure name and shows it quoted', () => {
    expect(errorFor("@procedure on 'unquotedUnicodeName'").fix).toContain('write it in double quotes, "GRÜSSEN"');
  });

  it('reports every broken function in one build', () => {
    // One error per exported function of broken.fixture.ts.
    expect(errors).toHaveLength(17);
  });
});
