/**
 * The signature rules on their own: `SourceFunction` values written by hand, no TypeScript
 * compiler. What the ts-morph adapter reads is covered by type-mapping.test.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuildLocation } from '../../build/messages.js';
import {
  PROCEDURE_TAGS,
  TYPE_MAPPING,
  canonicalName,
  declareProcedure,
  declareProcedures,
  defaultOutput,
  mapArgumentType,
  mapReturnType,
  nameProblem,
  sqlIdentifier,
} from '../../build/signature-rules.js';
import type { SourceFunction, SourceParameter, TsType } from '../../build/source.js';
import { ROOT } from './support.js';

const at = (line: number, lineText = ''): BuildLocation => ({ file: 'my/procs.ts', line, column: 0, lineText });
const t = {
  string: { kind: 'string', text: 'string' },
  number: { kind: 'number', text: 'number' },
  boolean: { kind: 'boolean', text: 'boolean' },
  date: { kind: 'date', name: 'Date', text: 'Date' },
  sfDate: { kind: 'date', name: 'SfDate', text: 'SfDate' },
  null: { kind: 'null', text: 'null' },
  snowflake: { kind: 'snowflake', text: 'Snowflake' },
} satisfies Record<string, TsType>;

function param(name: string | null, type: TsType, extra: Partial<SourceParameter> = {}): SourceParameter {
  return { name, rest: false, optional: false, type, initializer: null, location: at(1, `${name}: ${type.text}`), ...extra };
}

/** A procedure `name(snowflake, ...params): returns` with the given JSDoc tags (`['nullHandling', 'STRICT']`). */
function fn(name: string, params: SourceParameter[], returns: TsType = t.string, tags: Array<[string, string]> = []): SourceFunction {
  return {
    name,
    form: 'declaration',
    file: 'my/procs.ts',
    location: at(10),
    params: [param('snowflake', t.snowflake), ...params],
    returnType: returns,
    returnLocation: at(10),
    tags: tags.map(([tag, text], i) => ({ name: tag, text, location: at(2 + i, `@${tag} ${text}`) })),
  };
}

function declared(f: SourceFunction) {
  const d = declareProcedure(f);
  if (d.declaration === null) throw new Error(`expected a declaration, got errors:\n${d.errors.map((e) => e.text).join('\n')}`);
  return d.declaration;
}

/** Each error as `text — fix`. */
function errorsOf(f: SourceFunction): string[] {
  return declareProcedure(f).errors.map((e) => `${e.text} — ${e.fix ?? '(no fix)'}`);
}

describe('type mapping table', () => {
  it.each(TYPE_MAPPING.map((r) => [r.typescript, r.sql, r.sample] as const))('%s → %s', (_ts, sql, sample) => {
    const mapped = mapArgumentType(sample);
    expect(mapped).toEqual({ sql: sql === 'as `T`' ? 'VARCHAR' : sql });
  });

  it('is the table the README documents, row for row', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const r of TYPE_MAPPING) expect(readme).toContain(`| ${r.typescript} | ${r.sql} |`);
  });

  it('fails a union of two SQL types, and names a fix for every unmappable kind', () => {
    const union: TsType = { kind: 'union', members: [t.string, t.number], text: 'string | number' };
    expect(mapArgumentType(union)).toMatchObject({ error: expect.stringContaining('mixes VARCHAR and FLOAT') });
    for (const kind of ['bigint', 'symbol', 'never'] as const) {
      const m = mapArgumentType({ kind, text: kind });
      expect('error' in m && m.fix.length > 0, kind).toBe(true);
    }
    expect(mapArgumentType({ kind: 'class', name: 'Map', text: 'Map<string, number>' })).toMatchObject({ error: 'Map is a built-in class, not plain data' });
  });

  it('maps a void return to VARCHAR and refuses a Promise, saying procedures are synchronous', () => {
    expect(mapReturnType({ kind: 'void', text: 'void' })).toEqual({ sql: 'VARCHAR' });
    expect(mapReturnType({ kind: 'promise', text: 'Promise<string>' })).toMatchObject({ error: expect.stringContaining('synchronous') });
  });
});

describe('names', () => {
  it('upper-cases a valid unquoted name, and quotes any other exactly', () => {
    expect(sqlIdentifier('lookbackSeconds')).toEqual({ sql: 'LOOKBACK_SECONDS', body: 'LOOKBACK_SECONDS', quoted: false });
    expect(sqlIdentifier('größe')).toEqual({ sql: '"größe"', body: 'größe', quoted: true });
    expect(sqlIdentifier('grüßen').sql).not.toContain('SS');
    expect(sqlIdentifier('$rows')).toEqual({ sql: '"$rows"', body: '$rows', quoted: true });
  });

  it('emits non-ASCII procedure and argument names quoted, the body reading the argument by its exact name', () => {
    const d = declared(fn('grüßen', [param('größe', t.number), param('name', t.string)]));
    expect(d.sqlName).toBe('"grüßen"');
    expect(d.args.map((a) => [a.sqlName, a.bodyName])).toEqual([
      ['"größe"', 'größe'],
      ['NAME', 'NAME'],
    ]);
    expect(d.output).toBe('grüßen.sql');
  });

  it('takes quoted and qualified @procedure names, refuses unquoted non-ASCII ones with the quoted spelling', () => {
    expect(nameProblem('DB."My Schema".P')).toBeNull();
    expect(nameProblem('"Grüße"')).toBeNull();
    expect(nameProblem('GRÜSSE')?.fix).toBe('write it in double quotes, "GRÜSSE", and CALL it the same way');
    expect(nameProblem('A.B.C.D')?.problem).toContain('more than three parts');
    expect(canonicalName('db."My.Schema".proc')).toBe('DB.My.Schema.PROC');
    expect(defaultOutput('ADMIN."Größte Zahl"')).toBe('größte_zahl.sql');
  });

  it('does not treat a quoted name as a reserved keyword, but refuses the unquoted one', () => {
    expect(errorsOf(fn('p', [param('values', t.number)])).join()).toContain('reserved keyword');
    expect(errorsOf(fn('p', [], t.string, [['procedure', '"SELECT"']]))).toEqual([]);
  });

  it('finds two arguments that become one SQL name', () => {
    expect(errorsOf(fn('p', [param('batchSize', t.number), param('BATCH_SIZE', t.number)])).join()).toContain('both become SQL argument BATCH_SIZE');
  });

  it('finds two functions that declare the same procedure, comparing names as Snowflake stores them', () => {
    const { errors } = declareProcedures([fn('a', [], t.string, [['procedure', 'X']]), fn('b', [], t.string, [['procedure', 'x']])]);
    expect(errors.map((e) => e.text)).toEqual([expect.stringContaining("functions 'a' and 'b' both declare procedure X()")]);
  });
});

describe('null handling and NOT NULL', () => {
  it.each([
    ['STRICT', 'RETURNS NULL ON NULL INPUT'],
    ['strict', 'RETURNS NULL ON NULL INPUT'],
    ['returns  null on null input', 'RETURNS NULL ON NULL INPUT'],
    ['CALLED ON NULL INPUT', 'CALLED ON NULL INPUT'],
  ])('@nullHandling %s → %s', (text, clause) => {
    expect(declared(fn('p', [], t.string, [['nullHandling', text]])).nullHandling).toBe(clause);
  });

  it('takes NOT NULL after the @returnsSql type, or @returnsNotNull on the mapped type', () => {
    expect(declared(fn('p', [], t.string, [['returnsSql', 'variant not null']]))).toMatchObject({ returns: 'VARIANT', returnsNotNull: true });
    expect(declared(fn('p', [], t.string, [['returnsSql', 'VARIANT NULL']]))).toMatchObject({ returns: 'VARIANT', returnsNotNull: false });
    expect(declared(fn('p', [], t.number, [['returnsNotNull', '']]))).toMatchObject({ returns: 'FLOAT', returnsNotNull: true });
    expect(errorsOf(fn('p', [], t.string, [['returnsSql', 'NOT A TYPE']])).join()).toContain('must be a SQL type');
  });
});

describe('timestamps', () => {
  it('maps Date and SfDate (also nullable) to TIMESTAMP_LTZ, for arguments and returns', () => {
    const d = declared(fn('p', [param('since', t.date), param('until', { kind: 'union', members: [t.sfDate, t.null], text: 'SfDate | null' })], t.sfDate));
    expect(d.args.map((a) => a.sqlType)).toEqual(['TIMESTAMP_LTZ', 'TIMESTAMP_LTZ']);
    expect(d.returns).toBe('TIMESTAMP_LTZ');
  });

  it.each(['TIMESTAMP_NTZ', 'TIMESTAMP_TZ(9)', 'DATE', 'TIMESTAMP'])('lets @sqlType choose %s for a Date', (type) => {
    expect(declared(fn('p', [param('since', t.date)], t.string, [['sqlType', `since ${type}`]])).args[0]?.sqlType).toBe(type);
  });

  it('refuses a Date given a non-timestamp type, and a timestamp type on a string, each naming the fix and pointing at the tag', () => {
    const date = declareProcedure(fn('p', [param('since', t.date)], t.string, [['sqlType', 'since VARIANT']]));
    expect(date.errors[0]?.fix).toBe("use a timestamp type: '@sqlType since TIMESTAMP_LTZ' (an instant), TIMESTAMP_NTZ (wall-clock time), TIMESTAMP_TZ or DATE");
    expect(date.errors[0]?.location?.lineText).toBe('@sqlType since VARIANT');
    expect(errorsOf(fn('p', [param('at', t.string)], t.string, [['sqlType', 'at TIMESTAMP_LTZ']])).join()).toContain('type the parameter Date or SfDate');
    expect(errorsOf(fn('p', [param('at', { kind: 'unknown', text: 'unknown' })], t.string, [['sqlType', 'at TIMESTAMP_LTZ']]))).toEqual([]);
  });
});

describe('the option table', () => {
  it('documents every tag the rules read, in the README', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const tag of PROCEDURE_TAGS) expect(readme, tag.tag).toContain(`| \`${tag.syntax}\` |`);
  });

  it('reads no tag it does not document: a mis-cased one is an error naming the right spelling', () => {
    expect(errorsOf(fn('p', [], t.string, [['nullhandling', 'STRICT']]))).toEqual(["unknown JSDoc tag @nullhandling on 'p' — did you mean @nullHandling?"]);
    expect(errorsOf(fn('p', [], t.string, [['param', 'x the x']]))).toEqual([]);
  });
});

describe('template markers outside the body', () => {
  it('refuses &{ or <% in @comment and in a string DEFAULT, at the tag or the initializer', () => {
    const comment = declareProcedure(fn('p', [], t.string, [['comment', 'costs &{amount}']]));
    expect(comment.errors.map((e) => [e.text, e.location?.lineText])).toEqual([
      ["@comment of 'p' contains '&{', which the Snowflake CLI ('snow sql -f') would replace as a template variable", '@comment costs &{amount}'],
    ]);
    const withDefault = fn('p', [param('label', t.string, { initializer: { text: "'<% x %>'", literal: { kind: 'string', value: '<% x %>' }, location: at(7, "label = '<% x %>'") } })]);
    expect(declareProcedure(withDefault).errors.map((e) => [e.text, e.location?.line])).toEqual([
      ["the DEFAULT of 'label' of 'p' contains '<%', which the Snowflake CLI ('snow sql -f') would replace as a template variable", 7],
    ]);
    expect(errorsOf(fn('p', [], t.string, [['comment', 'R&D {team} 100%']]))).toEqual([]);
  });
});
