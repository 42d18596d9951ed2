/**
 * The API shim is recognised by the file that declares it (procedure/snowflake-api.ts, imported
 * as `hybrid-sync/snowflake-api` or by a relative path), never by a file name: a user's own
 * `Snowflake` type in a file that happens to be called snowflake-api.ts declares no procedure.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../build/generate.js';
import { BuildFailure } from '../../build/messages.js';
import { SHIM_FILE } from '../../build/ts-reader.js';
import { ROOT } from './support.js';

const dir = fs.mkdtempSync(path.join(ROOT, '.scratch-shim-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
}

describe('the Snowflake shim', () => {
  it('is procedure/snowflake-api.ts', () => {
    expect(path.relative(ROOT, SHIM_FILE)).toBe(path.join('procedure', 'snowflake-api.ts'));
  });

  it('is found through the package path hybrid-sync/snowflake-api and through a relative path alike', async () => {
    const rel = path.relative(dir, path.join(ROOT, 'procedure', 'snowflake-api.js')).split(path.sep).join('/');
    const entry = write(
      'both.ts',
      "import type { Snowflake } from 'hybrid-sync/snowflake-api';\n" +
        `import type { Snowflake as Same } from '${rel}';\n` +
        'export function viaPackage(snowflake: Snowflake): number { return 1; }\n' +
        'export function viaPath(snowflake: Same): number { return 2; }\n',
    );
    expect((await generate({ root: ROOT, entry })).map((p) => p.declaration.sqlName)).toEqual(['VIA_PACKAGE', 'VIA_PATH']);
  });

  it('is not any interface named Snowflake in a file named snowflake-api.ts', async () => {
    write('snowflake-api.ts', 'export interface Snowflake { execute(sql: string): void }\n');
    const entry = write('impostor.ts', "import type { Snowflake } from './snowflake-api.js';\nexport function notOurs(snowflake: Snowflake): number { return 1; }\n");
    const failure = await generate({ root: ROOT, entry }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(BuildFailure);
    const [e] = (failure as BuildFailure).errors;
    expect(e?.text).toMatch(/impostor\.ts declares no procedure$/);
    expect(e?.fix).toContain("import type { Snowflake } from 'hybrid-sync/snowflake-api'");
  });
});
