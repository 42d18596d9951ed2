/**
 * No way out to the host. Procedure code reaches nothing of the host realm through any object
 * it is given, and SQL reaches no file, network or extension: each attempt below fails (as not
 * implemented, for SQL) or finds only the sandbox's own objects. Snowflake's promise this
 * emulates: "JavaScript code is executed within a restricted engine, preventing system calls from
 * the JavaScript context (e.g. no network and disk access)"
 * (https://docs.snowflake.com/en/developer-guide/stored-procedure/stored-procedures-javascript#restrictions-on-stored-procedures).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, LocalSnowflakeError } from '../../local/index.js';
import type { LocalSession } from '../../local/index.js';
import { failureOf } from '../support/failure.js';

let sf: LocalSnowflake;
let s: LocalSession;
let dir: string;

beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC', procedureTimeoutMs: 5_000 });
  s = sf.session();
  dir = mkdtempSync(join(tmpdir(), 'host-access-'));
  s.execute('CREATE OR REPLACE TABLE T (ID NUMBER, TS TIMESTAMP_NTZ, V VARIANT)');
  s.execute("INSERT INTO T SELECT 1, '2024-01-01 00:00:00', PARSE_JSON('{\"a\": [1]}')");
});
afterAll(() => {
  sf.close();
  rmSync(dir, { recursive: true, force: true });
});

function call(body: string, args = '', callArgs = ''): unknown {
  s.execute(`CREATE OR REPLACE PROCEDURE ESCAPE(${args}) RETURNS VARIANT LANGUAGE JAVASCRIPT AS $$${body}$$`);
  return s.execute(`CALL ESCAPE(${callArgs})`).rows[0]?.[0];
}

describe('procedure code reaches nothing of the host realm', () => {
  // Every object the body can get hold of; for each, the Function constructor behind it must not
  // run code that sees the host (`process`). Each entry is [label, expression].
  const reachable: Array<[string, string]> = [
    ['the snowflake object', 'snowflake'],
    ['snowflake.execute', 'snowflake.execute'],
    ['snowflake.createStatement', 'snowflake.createStatement'],
    ['snowflake.log', 'snowflake.log'],
    ['the global object', 'globalThis'],
    ['this at top level', 'this'],
    ['a Statement', "snowflake.createStatement({ sqlText: 'SELECT 1' })"],
    ['a ResultSet', "snowflake.execute({ sqlText: 'SELECT 1' })"],
    ['an SfDate', "(function () { var r = snowflake.execute({ sqlText: 'SELECT TS FROM T' }); r.next(); return r.getColumnValue(1); })()"],
    ['the SfDate prototype', "Object.getPrototypeOf((function () { var r = snowflake.execute({ sqlText: 'SELECT TS FROM T' }); r.next(); return r.getColumnValue(1); })())"],
    ['a VARIANT value', "(function () { var r = snowflake.execute({ sqlText: 'SELECT V FROM T' }); r.next(); return r.getColumnValue(1); })()"],
    ['a statement error', "(function () { try { snowflake.execute({ sqlText: 'SELECT * FROM NOPE' }); } catch (e) { return e; } })()"],
    ['a bind error', "(function () { try { snowflake.execute({ sqlText: 'SELECT ?', binds: [true] }); } catch (e) { return e; } })()"],
    ['an argument object', 'O'],
    ['the procedure function', 'arguments.callee'],
    ['its caller', 'arguments.callee.caller'],
    ['an async function', '(async function () {})'],
    ['a generator', '(function* () {})'],
  ];

  it.each(reachable)('%s', (_label, expr) => {
    const out = call(
      `
      var target = ${expr};
      if (target === null || target === undefined) return 'nothing';
      var results = [];
      var candidates = [target, target.constructor, Object.getPrototypeOf(target)];
      for (var i = 0; i < candidates.length; i++) {
        var c = candidates[i];
        if (c === null || c === undefined) continue;
        var F = typeof c === 'function' ? c.constructor : c.constructor && c.constructor.constructor;
        if (typeof F !== 'function') continue;
        try { results.push(typeof F('return typeof process')()); } catch (e) { results.push(String(e.name)); }
        results.push(F === Function || F === (async function () {}).constructor || F === (function* () {}).constructor ? 'sandbox' : 'foreign');
      }
      return results;
    `,
      'o OBJECT',
      "{'a': 1}",
    );
    expect(out).not.toContain('string'); // typeof F(...)() ran and returned a type name: code ran
    expect(out).not.toContain('foreign'); // a constructor from another realm
  });

  it('has no process, require or host function on the global object', () => {
    expect(
      call(`
      var names = Object.getOwnPropertyNames(globalThis);
      var found = [];
      for (var i = 0; i < names.length; i++) {
        var d = Object.getOwnPropertyDescriptor(globalThis, names[i]);
        var v = d && d.value;
        if (typeof v === 'function' && v.constructor !== Function && v.constructor !== (async function () {}).constructor
            && v.constructor !== (function* () {}).constructor && v.constructor !== (async function* () {}).constructor) found.push(names[i]);
      }
      return [typeof process, typeof require, typeof module, typeof Buffer, typeof setTimeout, found];
    `),
    ).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined', []]);
  });

  it('cannot reach host frames through a custom Error.prepareStackTrace', () => {
    const out = call(`
      var leaked = [];
      Error.prepareStackTrace = function (err, frames) {
        for (var i = 0; i < frames.length; i++) {
          var f = frames[i].getFunction && frames[i].getFunction();
          var t = frames[i].getThis && frames[i].getThis();
          [f, t].forEach(function (x) {
            if (!x) return;
            try { var F = (typeof x === 'function' ? x : x.constructor).constructor; leaked.push(typeof F('return typeof process')()); } catch (e) { leaked.push('blocked'); }
            if ((typeof x === 'function' ? x : x.constructor).constructor !== Function) leaked.push('foreign');
          });
        }
        return 'stack';
      };
      try { snowflake.execute({ sqlText: 'SELECT * FROM NOPE' }); } catch (e) { String(e.stack); }
      try { snowflake.execute({ sqlText: 'SELECT ?', binds: [true] }); } catch (e) { String(e.stack); }
      String(new Error('x').stack);
      return leaked;
    `);
    expect(out).not.toContain('string');
    expect(out).not.toContain('foreign');
  });

  it('cannot compile code from strings or WebAssembly', () => {
    expect(
      call(`
      var r = [];
      try { eval('1'); r.push('eval ran'); } catch (e) { r.push(e.name); }
      try { new Function('return 1')(); r.push('Function ran'); } catch (e) { r.push(e.name); }
      try { new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])); r.push('wasm compiled'); } catch (e) { r.push(e.name); }
      return r;
    `),
    ).toEqual(['EvalError', 'EvalError', 'CompileError']);
  });
});

const refusal = (sql: string): LocalSnowflakeError => failureOf(s, sql);

describe('SQL reaches no file, network or extension', () => {
  it.each([
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_csv_auto('/etc/passwd')",
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM read_parquet('/tmp/x.parquet')",
    "SELECT * FROM read_json('/tmp/x.json')",
    "SELECT * FROM glob('/etc/*')",
    "SELECT getenv('HOME')",
    "SELECT current_setting('home_directory')",
    'SELECT * FROM duckdb_settings()',
    'SELECT * FROM duckdb_extensions()',
    'SELECT * FROM pragma_database_list',
    "SELECT * FROM query('SELECT 42')",
    "SELECT * FROM sniff_csv('/etc/passwd')",
    "CREATE TABLE LEAK AS SELECT * FROM read_csv('/etc/passwd')",
    'INSTALL httpfs',
    'LOAD httpfs',
    'FORCE INSTALL httpfs',
    'UPDATE EXTENSIONS',
    'PRAGMA database_list',
    'CHECKPOINT',
    "CREATE SECRET s (TYPE s3, KEY_ID 'x', SECRET 'y')",
    'CREATE MACRO m(x) AS x',
    'CREATE TYPE t2 AS INTEGER',
  ])('%s fails as not implemented', (sql) => {
    const e = refusal(sql);
    expect([e.code, e.state]).toEqual([9999, '0A000']);
    expect(e.message).toMatch(/not implemented/);
  });

  it('writes and attaches no file', () => {
    const attached = join(dir, 'attached.duckdb');
    const copied = join(dir, 'copied.csv');
    const exported = join(dir, 'export');
    for (const sql of [`ATTACH '${attached}' AS x`, `COPY (SELECT 1) TO '${copied}'`, `EXPORT DATABASE '${exported}'`]) {
      expect(refusal(sql).code).toBe(9999);
    }
    expect([existsSync(attached), existsSync(copied), existsSync(exported)]).toEqual([false, false, false]);
  });

  // Not Snowflake functions, but they describe only the database's own objects: the deploy
  // tooling's local client reads them, and they reach nothing of the host.
  it('allows the catalog functions that describe only the database itself', () => {
    expect(s.execute("SELECT COUNT(*) FROM duckdb_tables() WHERE table_name = 'T'").rows).toEqual([[1]]);
    expect(s.execute("SELECT COUNT(*) FROM duckdb_constraints() WHERE table_name = 'T'").rows).toEqual([[0]]);
  });

  it('reads no file through a replacement scan', () => {
    expect(() => s.execute("SELECT * FROM '/etc/passwd'")).toThrow(LocalSnowflakeError);
    expect(() => s.execute('SELECT * FROM "/etc/passwd"')).toThrow(LocalSnowflakeError);
  });

  it('refuses the same from inside a procedure', () => {
    expect(call("try { snowflake.execute({ sqlText: \"SELECT * FROM read_csv('/etc/passwd')\" }); return 'read'; } catch (e) { return [e.code, /not implemented/.test(e.message)]; }")).toEqual([
      9999,
      true,
    ]);
  });
});
