/**
 * What deploy installs: `dist/` as built, read through `dist/manifest.json`. Every file's hash is
 * checked before anything is sent, so a `dist/` edited by hand, half-copied, or older than its
 * sources is refused with the file named and the fix. Reads files only: nothing of the generator
 * (build/, ts-morph, esbuild) is loaded here or by deploy.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MANIFEST_FORMAT, type DistManifest, type DistObject, type DistPreflight } from '../../manifest/format.js';
import { MANIFEST_FILE, OBJECTS } from '../../manifest/objects.js';
import { DeployError } from './errors.js';

/** The repository root (where dist/ and the build's sources are). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** One statement of an object, its text as dist/ holds it. */
export interface DistSql {
  action: string;
  sql: string;
}

/** An object with the text of its statements. */
export interface LoadedObject extends DistObject {
  sql: DistSql[];
}

/** dist/, checked. */
export interface LoadedDist {
  dir: string;
  objects: LoadedObject[];
  preflight: DistPreflight;
  /** The object of this name; throws when dist/ has none (a manifest and code out of step). */
  get(name: string): LoadedObject;
}

const sha256 = (text: string): string => crypto.createHash('sha256').update(text, 'utf8').digest('hex');
const REBUILD = 'run `npm run build:proc` (it needs the dev dependencies: `npm ci`), commit dist/, then deploy again';

function refuse(problem: string, fix: string): never {
  throw new DeployError('dist', problem, fix);
}

/**
 * Reads and checks dist/.
 * @throws DeployError of kind `dist` naming each file that is missing, edited or stale.
 */
export function loadDist(opts: { dir?: string; root?: string } = {}): LoadedDist {
  const root = opts.root ?? ROOT;
  const dir = opts.dir ?? path.join(root, 'dist');
  const rel = (f: string): string => path.relative(process.cwd(), path.join(dir, f)) || f;
  const manifestPath = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(manifestPath)) {
    refuse(`${rel(MANIFEST_FILE)} is missing: deploy installs exactly what dist/ holds, and the manifest says what that is.`, REBUILD);
  }
  let manifest: DistManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as DistManifest;
  } catch (e) {
    refuse(`${rel(MANIFEST_FILE)} is not valid JSON (${(e as Error).message}).`, REBUILD);
  }
  if (manifest.format !== MANIFEST_FORMAT) refuse(`${rel(MANIFEST_FILE)} has format ${String(manifest.format)}; this deploy reads format ${MANIFEST_FORMAT}.`, REBUILD);

  const problems: string[] = [];
  const texts = new Map<string, string>();
  for (const f of manifest.files) {
    const p = path.join(dir, f.file);
    if (!fs.existsSync(p)) {
      problems.push(`${rel(f.file)} is missing`);
      continue;
    }
    const text = fs.readFileSync(p, 'utf8');
    if (sha256(text) !== f.sha256) problems.push(`${rel(f.file)} differs from what the build wrote (edited by hand, or copied from another build)`);
    texts.set(f.file, text);
  }
  problems.push(...staleSources(manifest, root));
  const listed = new Set(manifest.objects.map((o) => `${o.kind} ${o.name}`));
  for (const o of OBJECTS) if (!listed.has(`${o.kind} ${o.name}`)) problems.push(`manifest/objects.ts lists ${o.kind} ${o.name}, which ${rel(MANIFEST_FILE)} does not have (dist/ was built before it was added)`);
  if (problems.length > 0) {
    refuse(`dist/ is not the build of these sources, so deploy will not install it:\n    ${problems.join('\n    ')}`, `${REBUILD}. A change made by hand in dist/ is lost by a rebuild: make it in procedure/, build/ or manifest/ instead (or undo it: git checkout -- dist/)`);
  }

  const objects: LoadedObject[] = manifest.objects.map((o) => {
    const text = texts.get(o.file) as string;
    return { ...o, sql: o.statements.map((s) => ({ action: s.action, sql: text.slice(s.at[0], s.at[1]) })) };
  });
  return {
    dir,
    objects,
    preflight: manifest.preflight,
    get(name: string): LoadedObject {
      const o = objects.find((x) => x.name === name);
      if (!o) refuse(`${rel(MANIFEST_FILE)} has no object ${name}.`, REBUILD);
      return o;
    },
  };
}

/**
 * Sources changed since dist/ was built: a recorded input whose content differs, or a new .ts
 * file in a folder the build reads. Where the sources are absent (dist/ shipped on its own)
 * there is nothing to compare and nothing is reported.
 */
function staleSources(manifest: DistManifest, root: string): string[] {
  const out: string[] = [];
  const recorded = Object.keys(manifest.sources);
  const dirs = new Set(recorded.map((r) => path.dirname(r)).filter((d) => d !== 'scripts' && d !== 'scripts/lib'));
  for (const r of recorded) {
    const p = path.join(root, r);
    if (!fs.existsSync(p)) continue;
    if (sha256(fs.readFileSync(p, 'utf8')) !== manifest.sources[r]) out.push(`${r} changed since dist/ was built`);
  }
  for (const d of dirs) {
    const p = path.join(root, d);
    if (!fs.existsSync(p)) continue;
    for (const f of fs.readdirSync(p)) {
      const r = `${d}/${f}`;
      if (f.endsWith('.ts') && !(r in manifest.sources)) out.push(`${r} is new since dist/ was built`);
    }
  }
  return out;
}

/**
 * The statement with some of its `KEY = value` lines set, added or removed (value null). The
 * property lines are those between the first line (`CREATE … name`) and the line that starts
 * the body (`AS` for a task, `IF` for an alert), one per line as the build writes them. New keys
 * go before COMMENT.
 * @example
 * setProperties('CREATE OR ALTER TASK T\n  WAREHOUSE = "W"\n  SCHEDULE = \'1 MINUTE\'\nAS\n  CALL P()', { SCHEDULE: "'5 MINUTE'" })
 */
export function setProperties(statement: string, set: Record<string, string | null>): string {
  const lines = statement.split('\n');
  const bodyAt = lines.findIndex((l, i) => i > 0 && /^\s*(AS|IF)\b/.test(l));
  if (bodyAt < 0) throw new Error(`internal: no AS/IF line in ${lines[0]}`);
  const head = lines.slice(1, bodyAt);
  const keyOf = (l: string): string => (/^\s*([A-Z_]+)\s*=/.exec(l)?.[1] ?? '').toUpperCase();
  const pending = new Map(Object.entries(set).map(([k, v]) => [k.toUpperCase(), v]));
  const out: string[] = [];
  for (const l of head) {
    const k = keyOf(l);
    if (k === 'COMMENT') {
      for (const [nk, nv] of pending) if (nv !== null && !head.some((h) => keyOf(h) === nk)) out.push(`  ${nk} = ${nv}`);
      for (const nk of [...pending.keys()]) if (!head.some((h) => keyOf(h) === nk)) pending.delete(nk);
    }
    if (pending.has(k)) {
      const v = pending.get(k) as string | null;
      pending.delete(k);
      if (v !== null) out.push(`  ${k} = ${v}`);
      continue;
    }
    out.push(l);
  }
  for (const [nk, nv] of pending) if (nv !== null) out.push(`  ${nk} = ${nv}`);
  return [lines[0] as string, ...out, ...lines.slice(bodyAt)].join('\n');
}
