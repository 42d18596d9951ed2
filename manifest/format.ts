/**
 * The shape of `dist/manifest.json`: what `npm run build:proc` wrote, where each object's SQL is,
 * and hashes to tell a `dist/` edited by hand (or left behind by its sources) from a fresh one.
 * Types only; the build writes it (scripts/lib/manifest-build.ts), deploy reads and checks it
 * (scripts/lib/dist-manifest.ts).
 */
import type { Installed, ObjectKind } from './objects.js';

/** Bump when the shape changes; deploy refuses a manifest of another format. */
export const MANIFEST_FORMAT = 1;

/** One statement of an object: where it is in its file and what it does. */
export interface DistStatement {
  /** [start, end) in the file's text (UTF-16 code units of the file read as UTF-8), without the final `;`. */
  at: [number, number];
  /** e.g. `CREATE HYBRID TABLE`, `CREATE OR ALTER TASK`, `ALTER TASK SUSPEND`, `ALTER TABLE`. */
  action: string;
}

/** A value deploy may replace in an object's CREATE statement, and how often it occurs there. */
export interface DistParameter {
  name: 'integration' | 'recipients' | 'lagSeconds';
  /** The exact text in dist/ (a SQL literal). */
  token: string;
  count: number;
}

/** An object of the deployment, as the build found it in dist/. */
export interface DistObject {
  name: string;
  kind: ObjectKind;
  file: string;
  installed: Installed;
  purpose: string;
  /** sha256 of the object's statements, joined by `;\n`. */
  sha256: string;
  statements: DistStatement[];
  /** Procedures: `NAME(ARG TYPE, …) RETURNS TYPE` and the declared argument types. */
  signature?: string;
  argTypes?: string[];
  /** Alerts: values deploy fills in from its options. */
  parameters?: DistParameter[];
}

/** What deploy checks before relying on an existing source table. */
export interface DistPreflight {
  source: string;
  replica: string;
  watermarkColumn: string;
  /** The columns the sync reads, as configured. */
  columns: Array<{ name: string; type: string }>;
  /** The index the source should have, for `--create-index`. */
  sourceIndex: { name: string; statement: string };
}

export interface DistManifest {
  format: number;
  generatedBy: string;
  /** sha256 of every input of the build, by path relative to the repository. */
  sources: Record<string, string>;
  files: Array<{ file: string; sha256: string; bytes: number }>;
  objects: DistObject[];
  preflight: DistPreflight;
}

/**
 * How a parameter's token is found in a statement: as written, and a number only where it stands
 * alone (`900`, not the `900` in `9000`).
 */
export function tokenPattern(token: string): RegExp {
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(/^\d+$/.test(token) ? `(?<![\\w.])${escaped}(?![\\w.])` : escaped, 'g');
}
