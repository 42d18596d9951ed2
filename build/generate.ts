/**
 * The generator: exported functions (ts-reader) → declarations (signature-rules) → one bundle
 * per handler (bundler) → checks → SQL (emit). Collects every problem before failing, so one
 * build shows them all.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_TARGET, EsbuildBundler, TARGETS, type Bundler, type Target } from './bundler.js';
import type { ProcedureDeclaration } from './declarations.js';
import { bodyQuoting, createProcedure, signature, type BodyQuoting } from './emit.js';
import { BuildFailure, type BuildLocation, type BuildMessage } from './messages.js';
import { declareProcedures, TEMPLATE_MARKERS } from './signature-rules.js';
import type { SourceString } from './source.js';
import { TsMorphReader, type TsReader } from './ts-reader.js';

/**
 * Bodies stay under 100 KiB: large bodies slow every CREATE and make the procedure hard to read
 * in DESCRIBE PROCEDURE; if the limit is hit, something unintended was bundled.
 */
export const MAX_BODY_BYTES = 100 * 1024;

export { TEMPLATE_MARKERS } from './signature-rules.js';

export interface GenerateOptions {
  /** Absolute path of the project root (holds tsconfig.json; paths in output are relative to it). */
  root: string;
  /** The file declaring the procedures, relative to `root` (or absolute). */
  entry: string;
  /** Largest body accepted, in bytes; `MAX_BODY_BYTES` unless given. */
  maxBodyBytes?: number;
  /** ECMAScript level of the bodies; `es2019` unless given. */
  target?: Target;
  /** Adapters, replaceable in tests. */
  reader?: TsReader;
  bundler?: Bundler;
}

/** One procedure, compiled. */
export interface GeneratedProcedure {
  declaration: ProcedureDeclaration;
  /** The JavaScript body between the delimiters. */
  body: string;
  /** UTF-8 size of `body`. */
  bodyBytes: number;
  /** `dollar` (`AS $$...$$`) unless the body contains `$$`. */
  quoting: BodyQuoting;
  /** `CREATE OR REPLACE PROCEDURE ...;\n` */
  sql: string;
  /** `NAME(ARG TYPE, ...) RETURNS TYPE` */
  signature: string;
}

/**
 * Reads, bundles and emits every procedure of `entry`.
 * @throws BuildFailure with every problem found.
 * @example
 * const procs = await generate({ root: process.cwd(), entry: 'procedure/procedures.ts' });
 * for (const p of procs) console.log(p.signature, p.bodyBytes);
 */
export async function generate(options: GenerateOptions): Promise<GeneratedProcedure[]> {
  const root = path.resolve(options.root);
  const entry = path.resolve(root, options.entry);
  const maxBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  if (!fs.existsSync(entry)) {
    throw new BuildFailure([{ text: `entry file ${options.entry} does not exist`, location: null, fix: 'name the file that exports the procedures (functions whose first parameter is Snowflake)' }]);
  }
  const target = options.target ?? DEFAULT_TARGET;
  if (!TARGETS.includes(target)) {
    throw new BuildFailure([{ text: `target '${String(target)}' is not supported`, location: null, fix: `use one of ${TARGETS.join(', ')} (default ${DEFAULT_TARGET})` }]);
  }
  if (!(maxBytes > 0)) throw new BuildFailure([{ text: `the body size limit must be a positive number of bytes; got ${maxBytes}`, location: null, fix: 'give a positive limit' }]);
  const reader = options.reader ?? new TsMorphReader(root);
  const bundler = options.bundler ?? new EsbuildBundler(root, target);

  const read = declareProcedures(reader.readFunctions(entry));
  const errors: BuildMessage[] = [...read.errors];
  if (read.procedures.length === 0 && errors.length === 0) {
    errors.push({
      text: `${path.relative(root, entry)} declares no procedure`,
      location: null,
      fix: "export a function whose first parameter is typed Snowflake (import type { Snowflake } from 'hybrid-sync/snowflake-api')",
    });
  }
  if (errors.length > 0) throw new BuildFailure(errors);

  const generated: GeneratedProcedure[] = [];
  // One at a time, in declaration order: output order never depends on which bundle finished first.
  for (const decl of read.procedures) {
    const bundled = await bundler.bundle({ entryFile: entry, exportName: decl.functionName, argNames: decl.args.map((a) => a.bodyName) });
    if (bundled.errors.length > 0) {
      errors.push(...bundled.errors);
      continue;
    }
    const body = bundled.body;
    const sources = bundled.inputs.filter((f) => /\.[cm]?tsx?$/.test(f) && !f.includes(`${path.sep}node_modules${path.sep}`));
    const before = errors.length;
    // The JavaScript of bundled packages too: a package written for Node fails in Snowflake.
    const packages = bundled.inputs.filter((f) => /\.[cm]?jsx?$/.test(f));
    errors.push(...reader.findNodeGlobals([...sources, ...packages], body));
    errors.push(...checkBody(decl, body, [...sources, ...packages], reader, maxBytes));
    if (errors.length > before) continue;
    generated.push({
      declaration: decl,
      body,
      bodyBytes: Buffer.byteLength(body, 'utf8'),
      quoting: bodyQuoting(body),
      sql: createProcedure(decl, body),
      signature: signature(decl),
    });
  }
  if (errors.length > 0) throw new BuildFailure(dedupe(errors));
  return generated;
}

/** Size, template markers, and that the body compiles as a function body. */
function checkBody(decl: ProcedureDeclaration, body: string, sources: string[], reader: TsReader, maxBytes: number): BuildMessage[] {
  const errors: BuildMessage[] = [];
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > maxBytes) {
    errors.push({
      text: `the body of procedure ${decl.sqlName} is ${bytes} bytes, over the ${maxBytes}-byte limit: something large was bundled`,
      location: decl.location,
      fix: 'check what the handler imports (esbuild keeps only what is reachable from it), or raise the limit with --max-body-kb',
    });
  }
  for (const marker of TEMPLATE_MARKERS) {
    if (!body.includes(marker)) continue;
    const text = `the body of procedure ${decl.sqlName} contains '${marker}', which the Snowflake CLI ('snow sql -f') would replace as a template variable even inside $$...$$`;
    const fix = `build the text at run time, e.g. ['${marker[0]}', '${marker[1]}'].join('') (esbuild folds '${marker[0]}' + '${marker[1]}' and escapes back into '${marker}')`;
    const carriers = markerCarriers(reader.findStrings(sources, marker), marker, body);
    if (carriers.length === 0) errors.push({ text, location: bodyLocation(body, marker, `<body of ${decl.sqlName}>`), fix });
    for (const c of carriers) errors.push({ text, location: c.location, fix });
  }
  if (errors.length === 0) {
    try {
      // Compiles (never runs) the body the way Snowflake wraps it: a function of the arguments.
      new Function('snowflake', ...decl.args.map((a) => a.bodyName), body);
    } catch (e) {
      errors.push({
        text: `the generated body of ${decl.sqlName} is not valid JavaScript: ${(e as Error).message}`,
        location: decl.location,
        fix: 'a generator bug: build with a lower --target, and report the procedure',
      });
    }
  }
  return errors;
}

/**
 * The strings that carry `marker` into the body. A string esbuild shook out (in a function the
 * handler never reaches) is not one: a string is kept when the plain text around its marker
 * (no quotes or backslashes, which esbuild may escape differently) is in the body. When no
 * string passes that test, every candidate is kept rather than none.
 */
function markerCarriers(candidates: readonly SourceString[], marker: string, body: string): SourceString[] {
  const inBody = candidates.filter((c) => {
    let at = c.value.indexOf(marker);
    while (at >= 0) {
      if (body.includes(plainAround(c.value, at, marker.length))) return true;
      at = c.value.indexOf(marker, at + 1);
    }
    return false;
  });
  return inBody.length > 0 ? inBody : [...candidates];
}

function plainAround(value: string, at: number, length: number): string {
  const plain = (ch: string | undefined): boolean => ch !== undefined && /[ -~]/.test(ch) && ch !== '"' && ch !== "'" && ch !== '`' && ch !== '\\';
  let start = at;
  let end = at + length;
  while (start > 0 && at - start < 24 && plain(value[start - 1])) start--;
  while (end < value.length && end - at < 24 + length && plain(value[end])) end++;
  return value.slice(start, end);
}

function bodyLocation(text: string, needle: string, file: string): BuildLocation {
  const at = text.indexOf(needle);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = text.indexOf('\n', at);
  return { file, line, column: at - lineStart, lineText: text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd) };
}

/** The same problem found through two handlers that share a module is reported once. */
function dedupe(messages: BuildMessage[]): BuildMessage[] {
  const seen = new Set<string>();
  return messages.filter((m) => {
    const key = JSON.stringify(m);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
