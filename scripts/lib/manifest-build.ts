/**
 * Build side of `dist/manifest.json`: finds every statement of every dist file, says which
 * manifest object it creates or changes, and fails naming the statement when dist/ and the
 * manifest (manifest/objects.ts) disagree. Deploy never loads this module.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { canonicalIdentifier, segments } from '../../local/sql-text.js';
import { MANIFEST_FORMAT, tokenPattern, type DistManifest, type DistObject, type DistParameter, type DistPreflight, type DistStatement } from '../../manifest/format.js';
import type { ManifestObject, ObjectKind } from '../../manifest/objects.js';

export const sha256 = (text: string): string => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/** A statement of a file, with its position (end excludes the `;`). */
export interface Located {
  text: string;
  at: [number, number];
}

/** The statements of a SQL script and where each is; comments between statements are skipped. */
export function locateStatements(sql: string): Located[] {
  const out: Located[] = [];
  let pos = 0;
  let start = -1;
  const close = (end: number): void => {
    if (start >= 0) {
      const text = sql.slice(start, end).trimEnd();
      out.push({ text, at: [start, start + text.length] });
    }
    start = -1;
  };
  for (const seg of segments(sql)) {
    if (seg.kind === 'code') {
      for (let i = 0; i < seg.text.length; i++) {
        const ch = seg.text[i] as string;
        if (ch === ';') close(pos + i);
        else if (start < 0 && !/\s/.test(ch)) start = pos + i;
      }
    } else if (seg.kind !== 'comment' && start < 0) {
      start = pos;
    }
    pos += seg.text.length;
  }
  close(sql.length);
  return out;
}

const NAME = String.raw`("(?:[^"]|"")+"|[A-Za-z_][\w$]*(?:\.(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*))*)`;
const HEADS: Array<{ re: RegExp; kind: ObjectKind; name: number; action: (m: RegExpExecArray) => string }> = [
  { re: new RegExp(String.raw`^CREATE (?:OR (?:REPLACE|ALTER) )?(HYBRID |TRANSIENT )?TABLE (?:IF NOT EXISTS )?${NAME}`, 'i'), kind: 'table', name: 2, action: (m) => `CREATE ${m[1] ? m[1].toUpperCase() : ''}TABLE` },
  { re: new RegExp(String.raw`^ALTER TABLE (?:IF EXISTS )?${NAME}`, 'i'), kind: 'table', name: 1, action: () => 'ALTER TABLE' },
  { re: new RegExp(String.raw`^CREATE (?:OR REPLACE )?INDEX (?:IF NOT EXISTS )?\S+ ON ${NAME}`, 'i'), kind: 'table', name: 1, action: () => 'CREATE INDEX' },
  { re: new RegExp(String.raw`^CREATE (?:OR (?:REPLACE|ALTER) )?SEQUENCE (?:IF NOT EXISTS )?${NAME}`, 'i'), kind: 'sequence', name: 1, action: () => 'CREATE SEQUENCE' },
  { re: new RegExp(String.raw`^CREATE (?:OR (?:REPLACE|ALTER) )?(?:SECURE )?PROCEDURE (?:IF NOT EXISTS )?${NAME}`, 'i'), kind: 'procedure', name: 1, action: () => 'CREATE PROCEDURE' },
  { re: new RegExp(String.raw`^CREATE (?:OR (?:REPLACE|ALTER) )?(?:SECURE )?VIEW (?:IF NOT EXISTS )?${NAME}`, 'i'), kind: 'view', name: 1, action: () => 'CREATE VIEW' },
  { re: new RegExp(String.raw`^CREATE (OR (?:REPLACE|ALTER) )?TASK (?:IF NOT EXISTS )?${NAME}`, 'i'), kind: 'task', name: 2, action: (m) => `CREATE ${m[1] ? m[1].toUpperCase() : ''}TASK` },
  { re: new RegExp(String.raw`^ALTER TASK (?:IF EXISTS )?${NAME} (\w+)`, 'i'), kind: 'task', name: 1, action: (m) => `ALTER TASK ${(m[2] ?? '').toUpperCase()}` },
  { re: new RegExp(String.raw`^CREATE (?:OR (?:REPLACE|ALTER) )?ALERT (?:IF NOT EXISTS )?${NAME}`, 'i'), kind: 'alert', name: 1, action: () => 'CREATE ALERT' },
  { re: new RegExp(String.raw`^ALTER ALERT (?:IF EXISTS )?${NAME} (\w+)`, 'i'), kind: 'alert', name: 1, action: (m) => `ALTER ALERT ${(m[2] ?? '').toUpperCase()}` },
];

/** Which object a statement creates or changes, or null when it is none of the known forms. */
export function classify(statement: string): { kind: ObjectKind; name: string; action: string } | null {
  const flat = statement.replace(/\s+/g, ' ').trim();
  for (const h of HEADS) {
    const m = h.re.exec(flat);
    if (m) return { kind: h.kind, name: canonicalIdentifier(m[h.name] ?? ''), action: h.action(m) };
  }
  return null;
}

/** A problem with dist/ against the manifest: which file, which statement, what to do. */
export class ManifestMismatch extends Error {}

export interface ManifestInput {
  /** dist files by name, with their full text. */
  files: ReadonlyArray<{ name: string; text: string }>;
  objects: readonly ManifestObject[];
  /** Procedure signatures by upper-case name. */
  procedures: ReadonlyArray<{ name: string; signature: string; argTypes: string[] }>;
  /** Alert values deploy replaces: the default of each as written in dist/. */
  alertDefaults: { integration: string; recipients: string; lagSeconds: string };
  preflight: DistPreflight;
  /** Repository root and the files whose content decides dist/ (relative paths). */
  root: string;
  sources: readonly string[];
  command: string;
}

/** The manifest for these dist files, or a ManifestMismatch naming each disagreement. */
export function buildManifest(input: ManifestInput): DistManifest {
  const problems: string[] = [];
  const found = new Map<string, { kind: ObjectKind; file: string; statements: DistStatement[]; texts: string[] }>();
  const unlisted = new Set<string>();
  for (const f of input.files) {
    if (!f.name.endsWith('.sql')) continue;
    for (const st of locateStatements(f.text)) {
      const c = classify(st.text);
      const line = f.text.slice(0, st.at[0]).split('\n').length;
      if (!c) {
        problems.push(`dist/${f.name}:${line}: a statement deploy cannot attribute to an object: ${st.text.split('\n')[0]?.slice(0, 100)}`);
        continue;
      }
      const listed = input.objects.find((o) => o.name === c.name && o.kind === c.kind);
      if (!listed) {
        const key = `${c.kind} ${c.name}`;
        if (!unlisted.has(key)) problems.push(`dist/${f.name}:${line}: ${c.action} ${c.name} is not in manifest/objects.ts; add { name: '${c.name}', kind: '${c.kind}', file: '${f.name}', … } to OBJECTS`);
        unlisted.add(key);
        continue;
      }
      if (listed.file !== f.name) problems.push(`dist/${f.name}:${line}: ${c.kind} ${c.name} is listed in manifest/objects.ts with file '${listed.file}'`);
      const key = `${c.kind} ${c.name}`;
      const entry = found.get(key) ?? { kind: c.kind, file: f.name, statements: [], texts: [] };
      entry.statements.push({ at: st.at, action: c.action });
      entry.texts.push(st.text);
      found.set(key, entry);
    }
  }
  for (const o of input.objects) {
    if (!found.has(`${o.kind} ${o.name}`)) problems.push(`manifest/objects.ts lists ${o.kind} ${o.name} in dist/${o.file}, but no statement of dist/ creates it`);
  }
  if (problems.length > 0) throw new ManifestMismatch(`dist/ and manifest/objects.ts disagree:\n  ${problems.join('\n  ')}`);

  const objects: DistObject[] = input.objects.map((o) => {
    const e = found.get(`${o.kind} ${o.name}`) as { statements: DistStatement[]; texts: string[] };
    const obj: DistObject = { name: o.name, kind: o.kind, file: o.file, installed: o.installed, purpose: o.purpose, sha256: sha256(e.texts.join(';\n')), statements: e.statements };
    if (o.kind === 'procedure') {
      const p = input.procedures.find((x) => x.name === o.name);
      if (!p) throw new ManifestMismatch(`manifest/objects.ts lists procedure ${o.name}, but no handler in procedure/procedures.ts has '@procedure ${o.name}'`);
      obj.signature = p.signature;
      obj.argTypes = p.argTypes;
    }
    if (o.kind === 'alert') {
      const create = e.texts.find((t) => /^CREATE/i.test(t)) ?? '';
      const params: DistParameter[] = [
        { name: 'integration', token: input.alertDefaults.integration, count: 0 },
        { name: 'recipients', token: input.alertDefaults.recipients, count: 0 },
        { name: 'lagSeconds', token: input.alertDefaults.lagSeconds, count: 0 },
      ];
      for (const p of params) p.count = countToken(create, p.token);
      const missing = params.filter((p) => p.count === 0);
      if (missing.length) throw new ManifestMismatch(`the alert ${o.name} in dist/${o.file} does not contain ${missing.map((p) => `${p.name} ${p.token}`).join(', ')}; deploy could not fill it in`);
      obj.parameters = params;
    }
    return obj;
  });

  const sources: Record<string, string> = {};
  for (const rel of [...input.sources].sort()) sources[rel] = sha256(fs.readFileSync(path.join(input.root, rel), 'utf8'));
  return {
    format: MANIFEST_FORMAT,
    generatedBy: input.command,
    sources,
    files: input.files.filter((f) => f.name.endsWith('.sql')).map((f) => ({ file: f.name, sha256: sha256(f.text), bytes: Buffer.byteLength(f.text) })),
    objects,
    preflight: input.preflight,
  };
}

/** Occurrences of `token` standing alone (a number is not counted inside a longer number). */
export function countToken(text: string, token: string): number {
  return text.split(tokenPattern(token)).length - 1;
}

/** The build's inputs: every .ts file of procedure/, build/, manifest/ and scripts/build.ts. */
export function buildSources(root: string): string[] {
  const out: string[] = ['scripts/build.ts', 'scripts/lib/manifest-build.ts'];
  for (const dir of ['procedure', 'build', 'manifest']) {
    for (const f of fs.readdirSync(path.join(root, dir))) if (f.endsWith('.ts')) out.push(`${dir}/${f}`);
  }
  return out.sort();
}
