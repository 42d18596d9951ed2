/**
 * A template marker (`&{`, `<%`) in a body is reported at the string that carries it into the
 * body: not at a comment or a tree-shaken function that holds the same text earlier in the file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../build/generate.js';
import { BuildFailure, type BuildMessage } from '../../build/messages.js';
import { ROOT, fixture } from './support.js';

async function errors(entry: string): Promise<BuildMessage[]> {
  const failure = await generate({ root: ROOT, entry }).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(failure instanceof BuildFailure)) throw new Error(`expected ${entry} to fail`);
  return failure.errors;
}

/** 1-based line of the first line of the fixture containing `text`. */
function lineOf(file: string, text: string): number {
  const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`${text} not in ${file}`);
  return i + 1;
}

describe('template markers', () => {
  const file = fixture('template-carrier');

  it('points at the string that carries &{ into the body, skipping the comment and the shaken-out helper above it', async () => {
    expect(lineOf(file, '&{')).toBeLessThan(lineOf(file, "' &{'"));
    const legacy = (await errors(file)).filter((e) => e.text.includes("'&{'"));
    expect(legacy.map((e) => [e.location?.file, e.location?.line])).toEqual([[file, lineOf(file, "' &{'")]]);
    expect(legacy[0]?.location?.column).toBe(legacy[0]?.location?.lineText.indexOf("' &{'"));
  });

  it('points at a + chain of literals that esbuild folds into <%', async () => {
    const standard = (await errors(file)).filter((e) => e.text.includes("'<%'"));
    expect(standard).toHaveLength(1);
    expect(standard[0]?.text).toContain('CARRIER_TWO');
    expect(standard[0]?.location?.line).toBe(lineOf(file, "'a <' + '%="));
  });
});
