/**
 * npm packages a procedure imports are resolved as Node resolves them: a package that declares
 * only `main` (no `exports`), `main` naming a folder, and `exports` with import/require
 * conditions. Each package is written into a temporary node_modules next to the entry file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate as generateWith, type GenerateOptions, type GeneratedProcedure } from '../../build/generate.js';
import { TsMorphReader } from '../../build/ts-reader.js';
import { BuildFailure } from '../../build/messages.js';
import { ROOT, byName, runBody } from './support.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hybrid-sync-packages-'));
// One TypeScript project for every build of this file (each entry is a file of its own).
const reader = new TsMorphReader(ROOT);
const generate = (o: GenerateOptions): Promise<GeneratedProcedure[]> => generateWith({ ...o, reader });
const api = path.join(ROOT, 'procedure', 'snowflake-api.js');

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
}

beforeAll(() => {
  // CommonJS, `main` only: the shape of most small npm packages.
  write('node_modules/main-only/package.json', JSON.stringify({ name: 'main-only', version: '1.0.0', main: 'lib/index.js' }));
  write('node_modules/main-only/lib/index.js', 'exports.double = function (x) { return x * 2; };\n');
  // `main` naming a folder: Node loads its index.js.
  write('node_modules/main-folder/package.json', JSON.stringify({ name: 'main-folder', version: '1.0.0', main: './lib' }));
  write('node_modules/main-folder/lib/index.js', 'module.exports = { shout: function (s) { return s.toUpperCase() + "!"; } };\n');
  // `exports` with conditions: an import resolves to the ES module build.
  write(
    'node_modules/conditional/package.json',
    JSON.stringify({ name: 'conditional', version: '1.0.0', exports: { '.': { import: './esm.mjs', require: './cjs.cjs' } } }),
  );
  write('node_modules/conditional/esm.mjs', 'export function triple(x) { return x * 3; }\n');
  write('node_modules/conditional/cjs.cjs', 'exports.triple = function () { throw new Error("the require build was bundled"); };\n');
  write(
    'procs.ts',
    [
      `import type { Snowflake } from ${JSON.stringify(api)};`,
      "// @ts-expect-error: no type declarations in this test package",
      "import { double } from 'main-only';",
      "// @ts-expect-error: no type declarations in this test package",
      "import folder from 'main-folder';",
      "// @ts-expect-error: no type declarations in this test package",
      "import { triple } from 'conditional';",
      'export function useMainOnly(snowflake: Snowflake, x: number): number { return double(x); }',
      'export function useMainFolder(snowflake: Snowflake, s: string): string { return folder.shout(s); }',
      'export function useConditional(snowflake: Snowflake, x: number): number { return triple(x); }',
      '',
    ].join('\n'),
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('npm packages', () => {
  let procs: GeneratedProcedure[];
  beforeAll(async () => {
    procs = await generate({ root: ROOT, entry: path.join(dir, 'procs.ts') });
  });

  it('bundles a package that declares only main (CommonJS)', () => {
    expect(runBody(byName(procs, 'USE_MAIN_ONLY'), {}, 21)).toBe(42);
  });

  it('bundles a package whose main is a folder', () => {
    expect(runBody(byName(procs, 'USE_MAIN_FOLDER'), {}, 'hi')).toBe('HI!');
  });

  it("takes the import condition of a package's exports for an import", () => {
    const p = byName(procs, 'USE_CONDITIONAL');
    expect(runBody(p, {}, 2)).toBe(6);
    expect(p.body).not.toContain('the require build was bundled');
  });

  it('fails on a package that uses a Node global, naming the package and the line, but not on a guarded use', async () => {
    write('node_modules/node-env/package.json', JSON.stringify({ name: 'node-env', version: '1.0.0', main: 'index.js' }));
    write('node_modules/node-env/index.js', "// Written for Node.\nmodule.exports = function mode() {\n  return process.env.NODE_ENV === 'production' ? 'prod' : 'dev';\n};\n");
    write('node_modules/guarded-env/package.json', JSON.stringify({ name: 'guarded-env', version: '1.0.0', main: 'index.js' }));
    write(
      'node_modules/guarded-env/index.js',
      [
        'module.exports = function mode() {',
        "  var fromEnv = typeof process !== 'undefined' && process.env.MODE;",
        "  if (typeof Buffer === 'function') { fromEnv = fromEnv || Buffer.from('x').toString(); }",
        "  try { fromEnv = fromEnv || setImmediate.name; } catch (e) { /* not Node */ }",
        "  return fromEnv ? 'node' : 'plain';",
        '};',
        '',
      ].join('\n'),
    );
    const entry = (name: string, pkg: string): string => {
      write(`${name}.ts`, `import type { Snowflake } from ${JSON.stringify(api)};\n// @ts-expect-error: untyped\nimport mode from '${pkg}';\nexport function ${name}(snowflake: Snowflake): string { return mode(); }\n`);
      return path.join(dir, `${name}.ts`);
    };
    const failure = await generate({ root: ROOT, entry: entry('nodeOnly', 'node-env') }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(BuildFailure);
    const errors = (failure as BuildFailure).errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]?.text).toContain("'process' is a Node.js global, used by the package node-env that this procedure bundles");
    expect(errors[0]?.location?.file).toMatch(/node_modules\/node-env\/index\.js$/);
    expect(errors[0]?.location?.lineText).toContain('process.env.NODE_ENV');
    expect(errors[0]?.fix).toContain('runs without Node.js');

    const [guarded] = await generate({ root: ROOT, entry: entry('guardedUse', 'guarded-env') });
    expect(guarded?.body).toContain('process.env.MODE');
  });

  it('points a template marker that comes from a package at the string in the package', async () => {
    write('node_modules/templating/package.json', JSON.stringify({ name: 'templating', version: '1.0.0', main: 'index.js' }));
    write('node_modules/templating/index.js', "// A comment with &{ is not it.\nexports.open = function () {\n  return 'Hello &{name}';\n};\n");
    write('templated.ts', `import type { Snowflake } from ${JSON.stringify(api)};\n// @ts-expect-error: untyped\nimport { open } from 'templating';\nexport function templated(snowflake: Snowflake): string { return open(); }\n`);
    const failure = await generate({ root: ROOT, entry: path.join(dir, 'templated.ts') }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(BuildFailure);
    const [e, ...rest] = (failure as BuildFailure).errors;
    expect(rest).toEqual([]);
    expect(e?.text).toContain("contains '&{'");
    expect(e?.location?.file).toMatch(/node_modules\/templating\/index\.js$/);
    expect(e?.location?.line).toBe(3);
  });

  it("still fails, with esbuild's message and the importing line, on a package that is not installed", async () => {
    write('missing.ts', `import type { Snowflake } from ${JSON.stringify(api)};\n// @ts-expect-error: not installed\nimport { x } from 'not-installed-anywhere';\nexport function m(snowflake: Snowflake): number { return x; }\n`);
    const failure = await generate({ root: ROOT, entry: path.join(dir, 'missing.ts') }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(BuildFailure);
    const [e] = (failure as BuildFailure).errors;
    expect(e?.text).toContain('Could not resolve "not-installed-anywhere"');
    expect(e?.location?.line).toBe(3);
  });
});
