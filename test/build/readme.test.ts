/**
 * The README's "Write your own procedure" walk-through is real: its procedure compiles to the
 * signature, body size and files the README shows, and its test passes against that procedure.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEntry, type EntryBuild } from '../../build/entry-build.js';
import { localSnowflake, type TestSnowflake } from '../../testing/index.js';
import { ROOT } from './support.js';

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Write your own procedure'), readme.indexOf('### Declaring a procedure'));

/** The fenced block right after the line naming `file`, or the block starting with `$ command`. */
function block(after: string, lang: string): string {
  const from = section.indexOf(after);
  const open = section.indexOf('```' + lang + '\n', from);
  if (from < 0 || open < 0) throw new Error(`no ${lang} block after ${after} in the README section`);
  const start = open + 3 + lang.length + 1;
  return section.slice(start, section.indexOf('```', start));
}

const dir = fs.mkdtempSync(path.join(ROOT, '.scratch-readme-'));
let built: EntryBuild;
beforeAll(async () => {
  fs.writeFileSync(path.join(dir, 'procs.ts'), block('`my/procs.ts`:', 'ts'));
  built = await buildEntry({ root: ROOT, entry: path.join(dir, 'procs.ts'), out: path.join(dir, 'dist') });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('README: Write your own procedure', () => {
  it('shows the output the build really prints: signature, body size, files', () => {
    const shown = block('**2. Build it.**', '');
    const [p] = built.procedures;
    expect(built.procedures).toHaveLength(1);
    // Built in a scratch folder instead of my/: sizes as if the paths in the output read my/.
    const asMy = (text: string): number => Buffer.byteLength(text.split(path.relative(ROOT, dir)).join('my'));
    expect(shown).toContain(`  ${p?.signature}\n`);
    expect(shown).toContain(`body ${asMy(p?.body ?? '')} bytes ($$-quoted) -> my/dist/${p?.declaration.output}`);
    for (const f of built.files) expect(shown).toContain(`wrote     my/dist/${f.name} (${asMy(f.text)} bytes)`);
  });

  describe("the README's test, against the README's procedure", () => {
    let sf: TestSnowflake;
    const test = block('`my/procs.test.ts`:', 'ts');
    beforeAll(async () => {
      const sql = /sql: \[\n([\s\S]*?)\n\s*\],/.exec(test)?.[1] ?? '';
      const statements = [...sql.matchAll(/^\s*(['"])(.*)\1,?$/gm)].map((m) => m[2] as string);
      expect(statements).toHaveLength(2);
      sf = await localSnowflake({ procedures: path.join(dir, 'procs.ts'), sql: statements });
    });
    afterAll(() => sf.close());

    it('passes', () => {
      const call = /expect\(sf\.call\('(\w+)', (\d+)\)\)\.toEqual\((\{.*\})\);/.exec(test);
      expect(call).not.toBeNull();
      expect(sf.call(call?.[1] as string, Number(call?.[2]))).toEqual(JSON.parse((call?.[3] as string).replace(/(\w+):/g, '"$1":')));
      expect(sf.query('SELECT ID FROM RUNS')).toEqual([{ ID: 2 }]);
      expect(test).toContain("expect(sf.query('SELECT ID FROM RUNS')).toEqual([{ ID: 2 }]);");
    });
  });
});
