/**
 * Deploy installs what dist/ holds, and nothing else: the statements it sends are dist's
 * statements (a task's settings lines aside); a dist/ edited by hand, missing, or older than its
 * sources is refused before anything is sent, naming the file; and deploy's module graph holds
 * nothing of the generator (build/, ts-morph, esbuild, typescript).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { splitStatements } from '../../local/index.js';
import { DIST_FILES, MANIFEST_FILE } from '../../manifest/objects.js';
import { deployMain } from '../../scripts/deploy.js';
import { loadDist, setProperties } from '../../scripts/lib/dist-manifest.js';
import { DeployError } from '../../scripts/lib/errors.js';
import { capture, snowflakeHome } from './support.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = path.join(ROOT, 'dist');

/** A copy of dist/ to spoil. */
function distCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-dist-'));
  for (const f of fs.readdirSync(DIST)) fs.copyFileSync(path.join(DIST, f), path.join(dir, f));
  return dir;
}

/** Statements of a script, each without the comment lines before it. */
const statementsOf = (script: string): string[] => splitStatements(script).map((x) => x.replace(/^(?:\s*--[^\n]*\n)+/, '').trim());

const dryRunArgs = ['--connection', 'prod', '--warehouse', 'WH', '--dry-run'];
/** An environment with no Snowflake configuration at all: an empty home, no SNOWFLAKE_HOME. */
const bareEnv = (): NodeJS.ProcessEnv => ({ HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'hs-home-')) });

describe('deploy sends what dist/ holds', () => {
  it('every table, procedure and view statement of the dry run is a statement of dist/, byte for byte', async () => {
    const io = capture();
    expect(await deployMain(dryRunArgs, io, { SNOWFLAKE_HOME: snowflakeHome({}) })).toBe(0);
    const printed = statementsOf(io.text());
    // Split dist/ with the local runtime's splitter, not with the manifest's positions, so the
    // comparison does not trust the mechanism it checks.
    const fromDist = new Set(Object.values(DIST_FILES).flatMap((f) => statementsOf(fs.readFileSync(path.join(DIST, f), 'utf8'))));
    // Every table, sequence, procedure and view of the files a plain deploy installs, and nothing else.
    const kinds = /^(CREATE HYBRID TABLE|ALTER TABLE|CREATE INDEX|CREATE SEQUENCE|CREATE OR REPLACE PROCEDURE|CREATE OR REPLACE VIEW)/;
    const expected = [DIST_FILES.tables, DIST_FILES.sync, DIST_FILES.reconcile].flatMap((f) => statementsOf(fs.readFileSync(path.join(DIST, f), 'utf8'))).filter((s) => kinds.test(s));
    const creates = printed.filter((s) => kinds.test(s));
    expect(creates.length).toBeGreaterThanOrEqual(4 + 3 + 4);
    expect([...creates].sort()).toEqual([...expected].sort()); // same statements (deploy orders them by kind)
    for (const s of creates) expect(fromDist.has(s), s.split('\n')[0]).toBe(true);
    // The task statement is dist's with only the settings lines deploy owns changed.
    const task = printed.find((s) => s.startsWith('CREATE OR ALTER TASK "SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION"')) as string;
    const distTask = [...fromDist].find((s) => s.startsWith('CREATE OR ALTER TASK "SYNC_PIPELINE_RUN_HISTORY_TO_REPLICATION"')) as string;
    expect(task).toBe(setProperties(distTask, { WAREHOUSE: '"WH"' }));
    expect(task).not.toBe(distTask);
  });

  it('sets, adds and removes settings lines, keeping the rest of the statement', () => {
    const sql = 'CREATE OR ALTER TASK "T"\n  WAREHOUSE = "W"\n  SCHEDULE = \'1 MINUTE\'\n  COMMENT = \'c\'\nAS\n  CALL "P"()';
    expect(setProperties(sql, { WAREHOUSE: null, USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE: "'XSMALL'", SCHEDULE: "'5 MINUTE'", ERROR_INTEGRATION: null })).toBe(
      'CREATE OR ALTER TASK "T"\n  SCHEDULE = \'5 MINUTE\'\n  USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE = \'XSMALL\'\n  COMMENT = \'c\'\nAS\n  CALL "P"()',
    );
  });
});

describe('a dist/ that is not the build is refused before anything is sent', () => {
  it('a dist/ file edited by hand: exit 2, the file named, the fix given', async () => {
    const dir = distCopy();
    const file = path.join(dir, DIST_FILES.sync);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace("SCHEDULE = '1 MINUTE'", "SCHEDULE = '2 MINUTE'"));
    const io = capture();
    expect(await deployMain(['--connection', 'prod', '--warehouse', 'WH', '--dry-run'], io, bareEnv(), { distDir: dir })).toBe(2);
    expect(io.text()).toContain(`deploy failed [dist]: dist/ is not the build of these sources, so deploy will not install it:`);
    expect(io.text()).toContain(`${path.relative(process.cwd(), file)} differs from what the build wrote (edited by hand, or copied from another build)`);
    expect(io.text()).toContain('npm run build:proc');
    expect(io.text()).not.toContain('CREATE HYBRID TABLE');
  });

  it('a missing dist/ file, or a missing manifest: refused, naming it', async () => {
    const dir = distCopy();
    fs.rmSync(path.join(dir, DIST_FILES.reconcile));
    expect(() => loadDist({ dir })).toThrow(new RegExp(`${DIST_FILES.reconcile} is missing`));
    fs.rmSync(path.join(dir, MANIFEST_FILE));
    const io = capture();
    expect(await deployMain(dryRunArgs, io, bareEnv(), { distDir: dir })).toBe(2);
    expect(io.text()).toMatch(/manifest\.json is missing: deploy installs exactly what dist\/ holds/);
  });

  it('sources changed or added since the build: dist/ is stale, each file named', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-root-'));
    fs.cpSync(DIST, path.join(root, 'dist'), { recursive: true });
    for (const d of ['procedure', 'build', 'manifest']) fs.cpSync(path.join(ROOT, d), path.join(root, d), { recursive: true });
    expect(loadDist({ root }).objects.length).toBeGreaterThan(0); // the copy itself is fresh
    fs.appendFileSync(path.join(root, 'procedure', 'sync.ts'), '\n// changed\n');
    fs.writeFileSync(path.join(root, 'build', 'new-step.ts'), 'export {};\n');
    let err: unknown = null;
    try {
      loadDist({ root });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DeployError);
    expect((err as DeployError).message).toContain('procedure/sync.ts changed since dist/ was built');
    expect((err as DeployError).message).toContain('build/new-step.ts is new since dist/ was built');
  });
});

describe("deploy's module graph", () => {
  /** The files reachable from `entry` when node runs it with these arguments. */
  function graph(entry: string, args: string[], env: NodeJS.ProcessEnv): Set<string> {
    const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hs-imports-')), 'imports.log');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', './test/deploy/record-imports.mjs', entry, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env, HYBRID_SYNC_IMPORT_LOG: log },
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const edges = new Map<string, Set<string>>();
    for (const line of fs.readFileSync(log, 'utf8').split('\n')) {
      const [from, to] = line.split(' -> ');
      if (!from || !to) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)?.add(to);
    }
    const start = pathToFileURL(path.join(ROOT, entry)).href;
    const seen = new Set<string>([start]);
    const todo = [start];
    while (todo.length) for (const next of edges.get(todo.pop() as string) ?? []) if (!seen.has(next)) (seen.add(next), todo.push(next));
    return new Set([...seen].filter((u) => u.startsWith('file:')).map((u) => path.relative(ROOT, fileURLToPath(u))));
  }
  const generator = (files: Set<string>): string[] => [...files].filter((f) => f.startsWith('build/') || /node_modules\/(esbuild|ts-morph|typescript|@ts-morph)\//.test(f));

  it('the dry run of a fresh clone with no ~/.snowflake loads nothing from build/, ts-morph, esbuild or typescript, and exits 0', () => {
    const files = graph('scripts/deploy.ts', dryRunArgs, bareEnv());
    expect(files.has('scripts/lib/dist-manifest.ts')).toBe(true);
    expect(files.has('manifest/objects.ts')).toBe(true);
    expect(generator(files)).toEqual([]);
  }, 120_000);

  it('(control) the same recorder sees the generator in the build', () => {
    const files = graph('scripts/build.ts', ['--check'], {});
    expect(generator(files)).toEqual(expect.arrayContaining(['build/generate.ts', expect.stringMatching(/node_modules\/esbuild\//), expect.stringMatching(/node_modules\/ts-morph\//)]));
  }, 120_000);
});
