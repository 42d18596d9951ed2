/**
 * The generated bodies: they run as Snowflake runs them (arguments as UPPERCASE identifiers,
 * `snowflake` in scope), hold only what the handler reaches, and are refused when Snowflake or
 * the Snowflake CLI could not take them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, type GeneratedProcedure } from '../../build/generate.js';
import { BuildFailure, type BuildMessage } from '../../build/messages.js';
import { ROOT, byName, fixture, readSqlString, runBody, scriptedSnowflake } from './support.js';

async function buildErrors(entry: string, maxBodyBytes?: number): Promise<BuildMessage[]> {
  const options = maxBodyBytes === undefined ? { root: ROOT, entry } : { root: ROOT, entry, maxBodyBytes };
  const failure = await generate(options).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(failure instanceof BuildFailure)) throw new Error(`expected ${entry} to fail the build`);
  return failure.errors;
}

let procs: GeneratedProcedure[];
beforeAll(async () => {
  procs = await generate({ root: ROOT, entry: fixture('mapping') });
});

describe('bodies run as Snowflake runs them', () => {
  it('passes the UPPERCASE arguments to the handler and returns its result', () => {
    const p = byName(procs, 'FIRST_COLUMN');
    expect(p.body.trimEnd().split('\n').pop()).toBe('return __hybridSync(snowflake, SQL_TEXT, LOOKBACK_SECONDS);');
    const fake = scriptedSnowflake(['2026-01-01 00:00:00']);
    expect(runBody(p, fake.snowflake, 'SELECT MAX(X) FROM T WHERE AGE > ?', 300)).toBe('2026-01-01 00:00:00');
    expect(fake.calls).toEqual([{ sqlText: 'SELECT MAX(X) FROM T WHERE AGE > ?', binds: [300] }]);
  });

  it('runs bundled imports (helpers.fixture.ts) and plain arithmetic', () => {
    const fake = scriptedSnowflake([]);
    expect(runBody(byName(procs, 'ECHO_STRING'), fake.snowflake, 'hello')).toBe('HELLO!');
    expect(runBody(byName(procs, 'ADD_NUMBERS'), fake.snowflake, 2, 3.5)).toBe(5.5);
    expect(runBody(byName(procs, 'POINT_KEYS'), fake.snowflake, { y: 1, x: 2 })).toEqual(['x', 'y']);
  });

  it('passes SQL NULL through as null or undefined, whichever Snowflake hands over', () => {
    const fake = scriptedSnowflake([]);
    expect(runBody(byName(procs, 'NULLABLES'), fake.snowflake, null, undefined)).toBe('null/undefined');
    expect(runBody(byName(procs, 'NULLABLES'), fake.snowflake, 'x', 1)).toBe('string/number');
    const defaults = runBody(byName(procs, 'WITH_DEFAULTS'), fake.snowflake, undefined, 'l', true, 2, undefined);
    expect(defaults).toEqual({ lookbackSeconds: 300, label: 'l', verbose: true, ratio: 2, note: null });
  });

  it('returns undefined (SQL NULL) from a void handler after its side effects', () => {
    const fake = scriptedSnowflake([]);
    expect(runBody(byName(procs, 'RETURNS_NOTHING'), fake.snowflake)).toBeUndefined();
    expect(fake.logs).toEqual(['info: nothing']);
  });

  it('lowers ES2020 syntax to the ES2019 target and keeps its meaning', () => {
    const p = byName(procs, 'OPTIONAL_CHAIN');
    expect(p.body).not.toContain('?.');
    expect(p.body).not.toContain('??');
    const fake = scriptedSnowflake([]);
    expect(runBody(p, fake.snowflake, null)).toBe('anonymous');
    expect(runBody(p, fake.snowflake, { name: 'n' })).toBe('n');
  });
});

describe('bundling', () => {
  it('bundles each handler separately, tree-shaken', () => {
    const body = byName(procs, 'ECHO_STRING').body;
    expect(body).toContain('function shout(');
    expect(body).not.toContain('TREE_SHAKEN_AWAY_MARKER');
    expect(body).not.toContain('helperNotAProcedure');
    expect(body).not.toContain('addNumbers');
    expect(byName(procs, 'ADD_NUMBERS').body).not.toContain('function shout(');
  });

  it('is deterministic: two builds are byte-identical and hold no absolute path', async () => {
    const again = await generate({ root: ROOT, entry: fixture('mapping') });
    expect(again.map((p) => p.sql)).toEqual(procs.map((p) => p.sql));
    for (const p of procs) expect(p.sql).not.toContain(ROOT);
    expect(byName(procs, 'ECHO_STRING').body).toContain('// test/fixtures/helpers.fixture.ts');
  });

  it('emits CREATE OR REPLACE PROCEDURE with clauses in the documented order', () => {
    const sql = byName(procs, 'ADMIN.RENAMED_PROC').sql;
    const clauses = [
      'CREATE OR REPLACE PROCEDURE ADMIN.RENAMED_PROC(BATCH_SIZE NUMBER(38,0))',
      'RETURNS VARIANT',
      'LANGUAGE JAVASCRIPT',
      'RETURNS NULL ON NULL INPUT',
      "COMMENT = 'fixture: every tag, with a quote '' and a backslash \\\\'",
      'EXECUTE AS CALLER',
      'AS $$',
    ];
    let from = 0;
    for (const c of clauses) {
      const at = sql.indexOf(c, from);
      expect(at, c).toBeGreaterThanOrEqual(from);
      from = at + c.length;
    }
    expect(sql.endsWith('$$;\n')).toBe(true);
  });
});

describe('bodies Snowflake or the CLI could not take', () => {
  it("emits a body containing '$$' as an escaped single-quoted string that still runs", async () => {
    const [p] = await generate({ root: ROOT, entry: fixture('dollar') });
    if (p === undefined) throw new Error('no procedure');
    expect(p.quoting).toBe('single-quote');
    expect(p.sql).not.toContain('AS $$');
    const start = p.sql.indexOf("AS '") + 3;
    const { value, end } = readSqlString(p.sql, start);
    expect(p.sql.slice(end)).toBe(';\n');
    expect(value.trim()).toBe(p.body.trim());
    const run = new Function('snowflake', 'AMOUNT', value) as (s: object, a: number) => unknown;
    expect(run({}, 5)).toBe("cost: $$5 (it's \\ fine)");
  });

  it("rejects '&{' and '<%' (snow sql templates), pointing at the source line", async () => {
    const [legacy] = await buildErrors(fixture('template'));
    expect(legacy?.text).toContain("contains '&{'");
    expect(legacy?.location).toMatchObject({ file: 'test/fixtures/template.fixture.ts', line: 5 });
    const [standard] = await buildErrors(fixture('template-standard'));
    expect(standard?.text).toContain("contains '<%'");
    expect(standard?.location?.lineText).toContain('<% name %>');
  });

  it('rejects imports of Node built-ins, naming the module and the importing file', async () => {
    const errors = await buildErrors(fixture('node-builtin'));
    const texts = errors.map((e) => e.text).join('\n');
    expect(texts).toContain('"node:fs"');
    expect(texts).toContain('"os"');
    expect(errors.every((e) => e.location?.file === 'test/fixtures/node-builtin.fixture.ts')).toBe(true);
    expect(errors.map((e) => e.location?.line).sort()).toEqual([2, 3]);
  });

  it('rejects uses of Node globals such as process', async () => {
    const [e, ...rest] = await buildErrors(fixture('node-global'));
    expect(rest).toEqual([]);
    expect(e?.text).toContain("'process' is a Node.js global");
    expect(e?.location).toMatchObject({ file: 'test/fixtures/node-global.fixture.ts', line: 5 });
  });

  it("passes esbuild's own errors through with file, line and text", async () => {
    const [e, ...rest] = await buildErrors(fixture('esbuild-error'));
    expect(rest).toEqual([]);
    expect(e?.text).toMatch(/Big integer literals are not available in the configured target environment/);
    expect(e?.location).toMatchObject({ file: 'test/fixtures/esbuild-error.fixture.ts', line: 8 });
    expect(e?.location?.lineText).toContain('9007199254740993n');
  });

  it('rejects a body over the given limit, stating its size and the limit', async () => {
    const small = byName(procs, 'ECHO_STRING');
    const errors = await buildErrors(fixture('mapping'), small.bodyBytes - 1);
    const m = errors.find((e) => e.text.includes('ECHO_STRING'));
    expect(m?.text).toContain(`is ${small.bodyBytes} bytes, over the ${small.bodyBytes - 1}-byte limit`);
  });

  describe('the default limit is 100 KiB', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hybrid-sync-build-'));
    const api = path.join(ROOT, 'procedure', 'snowflake-api.js');
    const write = (name: string, chars: number): string => {
      const file = path.join(dir, `${name}.fixture.ts`);
      fs.writeFileSync(
        file,
        `import type { Snowflake } from ${JSON.stringify(api)};\n` +
          `const TEXT = ${JSON.stringify('x'.repeat(chars))};\n` +
          `export function ${name}(snowflake: Snowflake): number {\n  return TEXT.length;\n}\n`,
      );
      return file;
    };
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('accepts a 99,000-character body and refuses a 103,000-character one', async () => {
      const [ok] = await generate({ root: ROOT, entry: write('justUnder', 99_000) });
      expect(ok?.bodyBytes).toBeGreaterThan(99_000);
      expect(ok?.bodyBytes).toBeLessThan(100 * 1024);
      const [tooBig] = await buildErrors(write('justOver', 103_000));
      expect(tooBig?.text).toMatch(/is 103\d{3} bytes, over the 102400-byte limit/);
    });
  });
});

describe('the shipped procedures (procedure/procedures.ts)', () => {
  it('build, with the task procedure in sync_pipeline_run_history.sql and every body well under the limit', async () => {
    const shipped = await generate({ root: ROOT, entry: 'procedure/procedures.ts' });
    const sync = byName(shipped, 'SYNC_PIPELINE_RUN_HISTORY_PROC');
    expect(sync.declaration.output).toBe('sync_pipeline_run_history.sql');
    expect(sync.declaration.args).toEqual([]);
    for (const p of shipped) expect(p.bodyBytes).toBeLessThan(50 * 1024);
  });
});
