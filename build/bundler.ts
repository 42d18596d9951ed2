/**
 * The esbuild adapter: bundles one handler into the body of a JavaScript procedure.
 *
 * The body Snowflake runs is a function body with the arguments in scope as UPPERCASE
 * identifiers and `snowflake` as a global
 * (https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-javascript#case-sensitivity-in-javascript-arguments).
 * So the handler is bundled as an IIFE (its declarations cannot shadow the arguments) whose
 * virtual entry stores the handler in `__hybridSync`; one line is appended that passes the
 * global and the arguments in: `return __hybridSync(snowflake, A, B);`. The entry exports
 * nothing, so esbuild adds no module-interop helpers to the body.
 */
import { isBuiltin } from 'node:module';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import type { BuildMessage } from './messages.js';

/** What to bundle: one exported function of one file. */
export interface BundleRequest {
  /** Absolute path of the file that exports the handler. */
  entryFile: string;
  /** The exported function to call. */
  exportName: string;
  /**
   * The identifiers the body reads the arguments from, in order: UPPERCASE for unquoted SQL
   * arguments, exactly as quoted otherwise.
   */
  argNames: readonly string[];
}

export interface BundleResult {
  /** The complete procedure body, or '' when there are errors. */
  body: string;
  /** Absolute paths of the source files that went into the bundle. */
  inputs: string[];
  errors: BuildMessage[];
}

/** Bundles a handler; the only place that knows about esbuild. */
export interface Bundler {
  bundle(request: BundleRequest): Promise<BundleResult>;
}

/** The variable the IIFE assigns the handler to; the body's only top-level name. */
export const GLOBAL_NAME = '__hybridSync';

/** The ECMAScript level bodies are compiled to unless `--target` says otherwise. */
export const DEFAULT_TARGET = 'es2019';
/** Targets `--target` accepts: ES2015 (the first with `let`/classes) to ES2022. */
export const TARGETS = ['es2015', 'es2016', 'es2017', 'es2018', 'es2019', 'es2020', 'es2021', 'es2022'] as const;
export type Target = (typeof TARGETS)[number];

/**
 * esbuild with a conservative target (the ECMAScript level of Snowflake's JavaScript engine is
 * undocumented), no minification (bodies stay readable in `DESCRIBE PROCEDURE`), and paths in
 * its comments relative to `root` so the output does not depend on where the repo is checked out.
 */
export class EsbuildBundler implements Bundler {
  constructor(
    private readonly root: string,
    private readonly target: Target = DEFAULT_TARGET,
  ) {}

  async bundle(request: BundleRequest): Promise<BundleResult> {
    const rel = path.relative(this.root, request.entryFile).split(path.sep).join('/');
    const entry =
      `import { ${request.exportName} as handler } from ${JSON.stringify('./' + rel)};\n` +
      `${GLOBAL_NAME} = handler;\n`;
    let result: esbuild.BuildResult<{ write: false; metafile: true }>;
    try {
      result = await esbuild.build({
        stdin: { contents: entry, resolveDir: this.root, sourcefile: `<procedure ${request.exportName}>`, loader: 'ts' },
        absWorkingDir: this.root,
        bundle: true,
        write: false,
        metafile: true,
        format: 'iife',
        target: this.target,
        // 'neutral' keeps Node's built-ins out (the plugin below names them), but on its own it
        // reads no package.json main field, so a package that declares only `main` (no
        // `exports`) would not resolve. Node reads `main`; `module` first keeps an ES module
        // build tree-shakeable when a package ships both.
        platform: 'neutral',
        mainFields: ['module', 'main'],
        minify: false,
        treeShaking: true,
        sourcemap: false,
        legalComments: 'none',
        charset: 'ascii',
        logLevel: 'silent',
        plugins: [noNodeBuiltins(this.root)],
      });
    } catch (e) {
      if (isEsbuildFailure(e)) return { body: '', inputs: [], errors: [...e.errors, ...e.warnings].map(fromEsbuild) };
      throw e;
    }
    // A warning in a procedure build is a bug waiting in production (e.g. an import that
    // will always be undefined), so it fails the build.
    const errors = [...result.errors, ...result.warnings].map(fromEsbuild);
    const out = result.outputFiles[0];
    if (errors.length > 0 || out === undefined) return { body: '', inputs: [], errors };
    const inputs = Object.keys(result.metafile.inputs)
      .filter((f) => !f.startsWith('<'))
      .map((f) => path.resolve(this.root, f))
      .sort();
    const call = `return ${GLOBAL_NAME}(${['snowflake', ...request.argNames.map(asciiIdentifier)].join(', ')});\n`;
    return { body: `var ${GLOBAL_NAME};\n${out.text}${call}`, inputs, errors: [] };
  }
}

/**
 * The identifier with every non-ASCII character written as a `\u` escape, which JavaScript
 * reads as the same identifier (`gr\u00F6\u00DFe` is `größe`); the body stays ASCII, like
 * the rest of esbuild's output (`charset: 'ascii'`).
 */
export function asciiIdentifier(name: string): string {
  let out = '';
  for (const ch of name) {
    const code = ch.codePointAt(0) as number;
    if (code < 0x80) out += ch;
    else if (code <= 0xffff) out += '\\u' + code.toString(16).toUpperCase().padStart(4, '0');
    else out += '\\u{' + code.toString(16).toUpperCase() + '}';
  }
  return out;
}

/** Fails the build at the import of a Node built-in, naming the module and the importer. */
function noNodeBuiltins(root: string): esbuild.Plugin {
  return {
    name: 'no-node-builtins',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (!isBuiltin(args.path) && !args.path.startsWith('node:')) return undefined;
        const importer = path.relative(root, args.importer).split(path.sep).join('/');
        return {
          errors: [
            {
              text:
                `${importer} imports the Node.js built-in module "${args.path}", which does not exist in Snowflake's JavaScript procedures ` +
                '(no file, network, process or timer APIs). Remove the import from procedure code; do that work outside the procedure.',
            },
          ],
        };
      });
    },
  };
}

function isEsbuildFailure(e: unknown): e is esbuild.BuildFailure {
  return e instanceof Error && Array.isArray((e as Partial<esbuild.BuildFailure>).errors);
}

function fromEsbuild(m: esbuild.Message): BuildMessage {
  const notes = m.notes.map((n) => n.text).filter((t) => t.length > 0);
  const text = notes.length > 0 ? `${m.text} (${notes.join(' ')})` : m.text;
  if (m.location === null) return { text, location: null };
  const { file, line, column, lineText } = m.location;
  return { text, location: { file, line, column, lineText } };
}
