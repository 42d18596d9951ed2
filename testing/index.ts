/**
 * Test your own procedures: compile a procedure file with the generator and load it into a fresh
 * local runtime (DuckDB, in memory) in one call, then CALL it as Snowflake would.
 *
 * Import it as `hybrid-sync/testing` (package.json `exports`).
 *
 * @example
 * import { afterAll, expect, it } from 'vitest';
 * import { localSnowflake } from 'hybrid-sync/testing';
 *
 * const sf = await localSnowflake({ procedures: 'my/procs.ts', sql: 'CREATE HYBRID TABLE RUNS (…)' });
 * afterAll(() => sf.close());
 * it('purges', () => {
 *   expect(sf.call('PURGE_OLD_RUNS', 30)).toEqual({ deleted: 12 });
 *   expect(sf.log.matching(/^DELETE/i)).toHaveLength(1);
 * });
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Target } from '../build/bundler.js';
import { generate, MAX_BODY_BYTES, type GeneratedProcedure } from '../build/generate.js';
import { TsMorphReader } from '../build/ts-reader.js';
import { LocalSnowflake, type Clock, type LocalSession, type StatementLog, type StatementResult } from '../local/index.js';

/** The project root: where tsconfig.json and the generator live. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A file: a path (absolute, or relative to the working directory) or a `file:` URL. */
export type FileRef = string | URL;

export interface CompileOptions {
  /** ECMAScript level of the bodies (default `es2019`). */
  target?: Target;
  /** Largest body accepted, in KiB (default 100). */
  maxBodyKb?: number;
}

let reader: TsMorphReader | null = null;
const compiled = new Map<string, Promise<GeneratedProcedure[]>>();

/**
 * Compiles every procedure of a file, as `npm run build:proc -- --entry FILE` does (same checks,
 * same errors: a `BuildFailure` listing each problem with file, line and fix). Compiled once per
 * process and options.
 * @example
 * const [purge] = await compileProcedures('examples/purge-old-rows/procedures.ts');
 * purge.signature; // 'PURGE_OLD_ROWS(TABLE_NAME VARCHAR, …) RETURNS OBJECT NOT NULL'
 */
export function compileProcedures(entry: FileRef, options: CompileOptions = {}): Promise<GeneratedProcedure[]> {
  const file = resolveFile(entry);
  const key = JSON.stringify([file, options.target ?? null, options.maxBodyKb ?? null]);
  let result = compiled.get(key);
  if (result === undefined) {
    reader ??= new TsMorphReader(ROOT);
    result = generate({
      root: ROOT,
      entry: file,
      reader,
      maxBodyBytes: options.maxBodyKb === undefined ? MAX_BODY_BYTES : Math.floor(options.maxBodyKb * 1024),
      ...(options.target === undefined ? {} : { target: options.target }),
    });
    compiled.set(key, result);
  }
  return result;
}

export interface LocalSnowflakeSetup extends CompileOptions {
  /** SQL files to run first, in order (e.g. committed build output: `out/procs.sql`). */
  sqlFiles?: FileRef[];
  /** SQL to run next (tables, rows); each string may hold several statements. */
  sql?: string | string[];
  /** Procedure files to compile and CREATE, last. */
  procedures?: FileRef | FileRef[];
  /** The clock behind SYSDATE(), CURRENT_TIMESTAMP() and tasks (`new ManualClock(...)` to drive it). */
  clock?: Clock;
  /** The session time zone (default America/Los_Angeles, Snowflake's default). */
  timezone?: string;
}

/** A fresh local Snowflake with your procedures in it. */
export interface TestSnowflake {
  /**
   * `CALL name(args…)` and the procedure's result as Snowflake returns it: the value converted
   * to the declared return type (VARIANT/OBJECT/ARRAY parsed, a TIMESTAMP as a date, NULL as
   * null). A failure throws Snowflake's error (code, state, message). Numbers, strings,
   * booleans, dates and null are bound; objects and arrays are passed as `PARSE_JSON(?)`.
   * Arguments left out take their DEFAULT. Write a quoted name with its quotes: `'"grüßen"'`.
   */
  call(name: string, ...args: unknown[]): unknown;
  /** Runs one statement in the test's session and returns its rows as objects. */
  query(sql: string, binds?: unknown[]): Record<string, unknown>[];
  /** Runs one statement in the test's session and returns the full result. */
  execute(sql: string, binds?: unknown[]): StatementResult;
  /** Every statement run, including the ones your procedure issued (`callDepth` > 0). */
  readonly log: StatementLog;
  /** What procedures wrote with `snowflake.log(level, message)`. */
  readonly procedureLog: ReadonlyArray<{ procedure: string; level: string; message: string }>;
  /** The compiled procedures, in the order they were created. */
  readonly procedures: readonly GeneratedProcedure[];
  /** The session `call`, `query` and `execute` use. */
  readonly session: LocalSession;
  /** The runtime itself: more sessions, tasks, fault injection (see local/README.md). */
  readonly runtime: LocalSnowflake;
  close(): void;
}

/**
 * Opens an in-memory local Snowflake, runs `sqlFiles` and `sql`, and creates every procedure of
 * `procedures`, compiled from TypeScript. Close it when done (`afterAll(() => sf.close())`).
 */
export async function localSnowflake(setup: LocalSnowflakeSetup = {}): Promise<TestSnowflake> {
  const entries = setup.procedures === undefined ? [] : Array.isArray(setup.procedures) ? setup.procedures : [setup.procedures];
  const procedures: GeneratedProcedure[] = [];
  const compileOptions: CompileOptions = {
    ...(setup.target === undefined ? {} : { target: setup.target }),
    ...(setup.maxBodyKb === undefined ? {} : { maxBodyKb: setup.maxBodyKb }),
  };
  for (const e of entries) procedures.push(...(await compileProcedures(e, compileOptions)));

  const runtime = LocalSnowflake.open({
    ...(setup.clock === undefined ? {} : { clock: setup.clock }),
    ...(setup.timezone === undefined ? {} : { timezone: setup.timezone }),
  });
  try {
    const session = runtime.session({ name: 'test', ...(setup.timezone === undefined ? {} : { timezone: setup.timezone }) });
    for (const f of setup.sqlFiles ?? []) runtime.executeScript(fs.readFileSync(resolveFile(f), 'utf8'), session);
    for (const text of typeof setup.sql === 'string' ? [setup.sql] : (setup.sql ?? [])) runtime.executeScript(text, session);
    for (const p of procedures) runtime.executeScript(p.sql, session);
    return {
      call(name: string, ...args: unknown[]): unknown {
        if (!/^[^();]+$/.test(name)) throw new Error(`call: '${name}' is not a procedure name; pass the arguments separately: call('NAME', 1, 'x')`);
        const binds: unknown[] = [];
        const placeholders = args.map((a) => {
          if (a !== null && typeof a === 'object' && !(a instanceof Date)) {
            binds.push(JSON.stringify(a));
            return 'PARSE_JSON(?)';
          }
          binds.push(a === undefined ? null : a);
          return '?';
        });
        return session.execute(`CALL ${name}(${placeholders.join(', ')})`, binds).rows[0]?.[0] ?? null;
      },
      query: (sql, binds = []) => session.execute(sql, binds).objects(),
      execute: (sql, binds = []) => session.execute(sql, binds),
      log: runtime.log,
      procedureLog: runtime.procedureLog,
      procedures,
      session,
      runtime,
      close: () => runtime.close(),
    };
  } catch (e) {
    runtime.close();
    throw e;
  }
}

function resolveFile(ref: FileRef): string {
  return ref instanceof URL ? fileURLToPath(ref) : path.resolve(ref);
}
