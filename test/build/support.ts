/** Shared by the build tests: project paths, running a body as Snowflake does, SQL unquoting. */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GeneratedProcedure } from '../../build/generate.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function fixture(name: string): string {
  return `test/fixtures/${name}.fixture.ts`;
}

export function byName(procs: readonly GeneratedProcedure[], sqlName: string): GeneratedProcedure {
  const p = procs.find((x) => x.declaration.sqlName === sqlName);
  if (p === undefined) throw new Error(`no procedure ${sqlName} among ${procs.map((x) => x.declaration.sqlName).join(', ')}`);
  return p;
}

/**
 * Runs a body the way Snowflake does: as the body of a function whose parameters are the
 * UPPERCASE argument names, with `snowflake` in scope.
 */
export function runBody(p: GeneratedProcedure, snowflake: object, ...args: unknown[]): unknown {
  const names = p.declaration.args.map((a) => a.bodyName);
  const fn = new Function('snowflake', ...names, p.body) as (...a: unknown[]) => unknown;
  return fn(snowflake, ...args);
}

/** Reads a Snowflake single-quoted literal starting at `text[start]` (a `'`): its value and end. */
export function readSqlString(text: string, start: number): { value: string; end: number } {
  if (text[start] !== "'") throw new Error(`no string literal at ${start}`);
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\\') {
      value += text[i + 1];
      i++;
    } else if (ch === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i++;
      } else return { value, end: i + 1 };
    } else value += ch;
  }
  throw new Error('unterminated string literal');
}

/** A minimal `snowflake` object: answers every query with one row of `row`, records each call. */
export function scriptedSnowflake(row: unknown[]): { snowflake: object; calls: Array<{ sqlText: string; binds: unknown[] }>; logs: string[] } {
  const calls: Array<{ sqlText: string; binds: unknown[] }> = [];
  const logs: string[] = [];
  const snowflake = {
    execute(cmd: { sqlText: string; binds?: unknown[] }) {
      calls.push({ sqlText: cmd.sqlText, binds: cmd.binds ?? [] });
      let read = false;
      return {
        next: () => (read ? false : (read = true)),
        getColumnValue: (i: number) => row[i - 1],
      };
    },
    log(level: string, message: string) {
      logs.push(`${level}: ${message}`);
    },
  };
  return { snowflake, calls, logs };
}
