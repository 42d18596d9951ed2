/**
 * dist/manifest.json: every statement of dist/ belongs to an object of manifest/objects.ts, of
 * any kind (tables with their ALTERs and indexes, sequences, views, procedures, tasks, alerts);
 * a statement no object claims, or an object no statement creates, fails the build naming it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DistManifest } from '../../manifest/format.js';
import { MANIFEST_FILE, OBJECTS, type ManifestObject } from '../../manifest/objects.js';
import { buildManifest, classify, locateStatements, ManifestMismatch } from '../../scripts/lib/manifest-build.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('statements and their objects', () => {
  it.each([
    ['CREATE HYBRID TABLE IF NOT EXISTS "ETL_PIPELINE_SYNC_STATE" (X INT)', 'table', 'ETL_PIPELINE_SYNC_STATE', 'CREATE HYBRID TABLE'],
    ['ALTER TABLE "ETL_PIPELINE_SYNC_CONTROL" ADD COLUMN IF NOT EXISTS "RUN_KIND" VARCHAR(20)', 'table', 'ETL_PIPELINE_SYNC_CONTROL', 'ALTER TABLE'],
    ['CREATE INDEX IF NOT EXISTS "I" ON "SRC" ("W")', 'table', 'SRC', 'CREATE INDEX'],
    ['CREATE SEQUENCE IF NOT EXISTS "ETL_PIPELINE_SYNC_RUN_ID_SEQ" START = 1', 'sequence', 'ETL_PIPELINE_SYNC_RUN_ID_SEQ', 'CREATE SEQUENCE'],
    ['CREATE OR REPLACE PROCEDURE P(A BOOLEAN DEFAULT NULL)\n  COPY GRANTS\n  RETURNS VARIANT', 'procedure', 'P', 'CREATE PROCEDURE'],
    ['CREATE OR REPLACE VIEW "V" COPY GRANTS AS SELECT 1', 'view', 'V', 'CREATE VIEW'],
    ['ALTER TASK IF EXISTS "T" SUSPEND', 'task', 'T', 'ALTER TASK SUSPEND'],
    ['CREATE OR ALTER TASK "T"\n  SCHEDULE = \'1 MINUTE\'\nAS CALL P()', 'task', 'T', 'CREATE OR ALTER TASK'],
    ['ALTER TASK "T" RESUME', 'task', 'T', 'ALTER TASK RESUME'],
    ['CREATE OR REPLACE ALERT "A" SCHEDULE = \'5 MINUTE\' IF (EXISTS (SELECT 1)) THEN SELECT 1', 'alert', 'A', 'CREATE ALERT'],
  ])('%s → %s %s', (sql, kind, name, action) => {
    expect(classify(sql)).toEqual({ kind, name, action });
  });

  it('finds statements and their positions, skipping comments and keeping $$ bodies whole', () => {
    const text = "-- header\nCREATE TABLE A (X INT);\n\n-- a procedure\nCREATE PROCEDURE P() RETURNS INT LANGUAGE JAVASCRIPT AS $$ return 1; $$;\n";
    const found = locateStatements(text);
    expect(found.map((f) => f.text)).toEqual(['CREATE TABLE A (X INT)', 'CREATE PROCEDURE P() RETURNS INT LANGUAGE JAVASCRIPT AS $$ return 1; $$']);
    for (const f of found) expect(text.slice(f.at[0], f.at[1])).toBe(f.text);
  });
});

describe('the manifest against dist/', () => {
  const objects: ManifestObject[] = [
    { name: 'S', kind: 'table', file: 'a.sql', installed: 'always', purpose: 'state' },
    { name: 'SEQ', kind: 'sequence', file: 'a.sql', installed: 'always', purpose: 'run ids' },
    { name: 'PURGE', kind: 'task', file: 'a.sql', installed: 'always', purpose: 'daily purge' },
  ];
  const text = [
    'CREATE HYBRID TABLE IF NOT EXISTS "S" (X INT, PRIMARY KEY (X));',
    'ALTER TABLE "S" ADD COLUMN IF NOT EXISTS "Y" INT;',
    'CREATE SEQUENCE IF NOT EXISTS "SEQ";',
    'ALTER TASK IF EXISTS "PURGE" SUSPEND;',
    'CREATE OR ALTER TASK "PURGE"\n  SCHEDULE = \'USING CRON 0 4 * * * UTC\'\nAS\n  DELETE FROM "S" WHERE X < 0;',
    'ALTER TASK "PURGE" RESUME;',
    '',
  ].join('\n');
  const input = (files: Array<{ name: string; text: string }>, objs: ManifestObject[]) => ({
    files,
    objects: objs,
    procedures: [],
    alertDefaults: { integration: "'I'", recipients: "'r@example.com'", lagSeconds: '900' },
    preflight: { source: 'S', replica: 'R', watermarkColumn: 'W', columns: [], sourceIndex: { name: 'I', statement: 'CREATE INDEX I ON S (W)' } },
    root: ROOT,
    sources: [],
    command: 'test',
  });

  it('lists a table with its ALTER, a sequence and a task of three statements', () => {
    const m = buildManifest(input([{ name: 'a.sql', text }], objects));
    expect(m.objects.map((o) => [o.kind, o.name, o.statements.map((s) => s.action)])).toEqual([
      ['table', 'S', ['CREATE HYBRID TABLE', 'ALTER TABLE']],
      ['sequence', 'SEQ', ['CREATE SEQUENCE']],
      ['task', 'PURGE', ['ALTER TASK SUSPEND', 'CREATE OR ALTER TASK', 'ALTER TASK RESUME']],
    ]);
  });

  it('a statement whose object is not listed fails the build, naming file, line and the entry to add', () => {
    expect(() => buildManifest(input([{ name: 'a.sql', text }], objects.filter((o) => o.name !== 'SEQ')))).toThrow(
      new ManifestMismatch("dist/ and manifest/objects.ts disagree:\n  dist/a.sql:3: CREATE SEQUENCE SEQ is not in manifest/objects.ts; add { name: 'SEQ', kind: 'sequence', file: 'a.sql', … } to OBJECTS"),
    );
  });

  it('a listed object that dist/ does not create fails the build', () => {
    expect(() => buildManifest(input([{ name: 'a.sql', text }], [...objects, { name: 'GONE', kind: 'view', file: 'a.sql', installed: 'always', purpose: 'x' }]))).toThrow(/lists view GONE in dist\/a\.sql, but no statement of dist\/ creates it/);
  });

  it('the committed dist/manifest.json lists exactly the objects of manifest/objects.ts', () => {
    const m = JSON.parse(fs.readFileSync(path.join(ROOT, 'dist', MANIFEST_FILE), 'utf8')) as DistManifest;
    expect(m.objects.map((o) => `${o.kind} ${o.name}`)).toEqual(OBJECTS.map((o) => `${o.kind} ${o.name}`));
    const reconcile = m.objects.find((o) => o.name === 'RECONCILE_PIPELINE_RUN_HISTORY_PROC');
    expect([reconcile?.signature, reconcile?.argTypes]).toEqual(['RECONCILE_PIPELINE_RUN_HISTORY_PROC(REPAIR BOOLEAN DEFAULT NULL, DELETE_EXTRA BOOLEAN DEFAULT NULL) RETURNS VARIANT', ['BOOLEAN', 'BOOLEAN']]);
  });
});
