/**
 * Names that are not valid unquoted Snowflake identifiers (unicode.fixture.ts) are emitted
 * double-quoted and exactly as written; the body reads each argument by that exact name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, type GeneratedProcedure } from '../../build/generate.js';
import { LocalSnowflake } from '../../local/index.js';
import { ROOT, byName, fixture, runBody } from './support.js';

let procs: GeneratedProcedure[];
beforeAll(async () => {
  procs = await generate({ root: ROOT, entry: fixture('unicode') });
});

describe('non-ASCII names', () => {
  it('quotes the procedure and argument names exactly, never upper-casing ß into SS', () => {
    expect(byName(procs, '"grüßen"').signature).toBe('"grüßen"(NAME VARCHAR) RETURNS VARCHAR');
    expect(byName(procs, 'VOLUME').signature).toBe('VOLUME("größe" FLOAT, "höhe" FLOAT DEFAULT 2) RETURNS FLOAT');
    expect(byName(procs, 'ANALYTICS."Größte Zahl"').sql).toContain('CREATE OR REPLACE PROCEDURE ANALYTICS."Größte Zahl"(ZAHLEN ARRAY)');
    for (const p of procs) expect(p.sql).not.toMatch(/GRÜSSEN|GRÖSSE|HÖHE/);
  });

  it('passes quoted arguments to the handler under their exact names, keeping the body ASCII', () => {
    const volume = byName(procs, 'VOLUME');
    expect(volume.body).toMatch(/^[\x00-\x7f]*$/);
    // Snowflake binds the quoted argument "größe" to the JavaScript identifier größe.
    expect(runBody(volume, {}, 3, 4)).toBe(12);
    expect(runBody(byName(procs, '"grüßen"'), {}, 'Anna')).toBe('Grüß Gott, Anna');
  });

  it('writes each procedure to a file named after it, lower-case, quotes dropped', () => {
    expect(procs.map((p) => p.declaration.output)).toEqual(['grüßen.sql', 'volume.sql', 'größte_zahl.sql']);
  });

  describe('on the local runtime', () => {
    const sf = LocalSnowflake.open();
    afterAll(() => sf.close());

    it('CREATE succeeds and CALL "grüßen"(…) finds the procedure by its exact quoted name', () => {
      sf.executeScript(byName(procs, '"grüßen"').sql);
      expect(sf.procedureNames()).toContain('grüßen');
      expect(sf.session().execute(`CALL "grüßen"('Anna')`).rows[0]?.[0]).toBe('Grüß Gott, Anna');
    });

    it('a procedure with quoted non-ASCII arguments runs with them under their exact names', () => {
      sf.executeScript(byName(procs, 'VOLUME').sql);
      expect(Number(sf.session().execute('CALL VOLUME(3, 4)').rows[0]?.[0])).toBe(12);
      expect(Number(sf.session().execute('CALL VOLUME(3)').rows[0]?.[0])).toBe(6);
    });
  });
});
