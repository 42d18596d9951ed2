/**
 * The registry of statement kinds (local/statements/registry.ts): which kind takes each form, in
 * order, from one recognition of the statement (comments, literals, `$$` bodies and trailing
 * semicolons handled by the tokenizer once).
 */
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STATEMENT_KINDS } from '../../../local/statements/registry.js';
import { recognise, tokenize } from '../../../local/sql-text.js';

const kindOf = (sql: string): string | undefined => STATEMENT_KINDS.find((k) => k.match(recognise(sql)) !== undefined)?.name;

describe('statement kinds', () => {
  it('each form goes to its kind, and the catch-all comes last', () => {
    const cases: Array<[string, string]> = [
      ["SET X = 'a'", 'SET / UNSET (session variables)'],
      ['UNSET (A, B)', 'SET / UNSET (session variables)'],
      ['BEGIN;', 'transaction control'],
      ['-- first\nSTART TRANSACTION NAME T1 ;;', 'transaction control'],
      ['commit work', 'transaction control'],
      ['CREATE OR REPLACE PROCEDURE P() RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$ BEGIN; $$', 'CREATE / DROP PROCEDURE'],
      ['DROP PROCEDURE P(NUMBER(38,0))', 'CREATE / DROP PROCEDURE'],
      ['CALL P(1)', 'CALL'],
      ["CALL SYSTEM$SEND_EMAIL('i', 'a@b.c', 's', 'b')", 'CALL'],
      ["WITH P AS PROCEDURE () RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$ return 'x'; $$ CALL P()", 'CALL'],
      ["CREATE OR ALTER TASK T SCHEDULE = '1 MINUTE' AS SELECT 1", 'tasks'],
      ['SHOW ALERTS', 'alerts'],
      ['USE SCHEMA PUBLIC', 'databases and schemas (CREATE, DROP, USE)'],
      ['USE WAREHOUSE W', 'USE'],
      ['USE ROLE R', 'USE'],
      ["ALTER SESSION SET TIMEZONE = 'UTC'", 'ALTER SESSION'],
      ['CREATE SEQUENCE S START = 1', 'sequences, ADD COLUMN, CREATE INDEX, DESCRIBE TABLE'],
      ['DESCRIBE TABLE T', 'sequences, ADD COLUMN, CREATE INDEX, DESCRIBE TABLE'],
      ['SHOW TABLES', 'SHOW TABLES | HYBRID TABLES | VIEWS | SCHEMAS | DATABASES | COLUMNS | PROCEDURES | INDEXES | NOTIFICATION INTEGRATIONS'],
      ['SHOW GRANTS', 'refused statements (SHOW, DESCRIBE, stages, grants, other objects)'],
      ['CREATE SCHEMA S2', 'databases and schemas (CREATE, DROP, USE)'],
      ['DROP DATABASE IF EXISTS D', 'databases and schemas (CREATE, DROP, USE)'],
      ['ALTER SCHEMA S2 RENAME TO S3', 'refused statements (SHOW, DESCRIBE, stages, grants, other objects)'],
      ['CREATE HYBRID TABLE T (ID INT PRIMARY KEY)', 'CREATE TABLE'],
      ['MERGE INTO T USING S ON T.ID = S.ID WHEN MATCHED THEN DELETE', 'MERGE'],
      ['SELECT 1', 'queries, DML and other DDL (to DuckDB)'],
      ["/* BEGIN */ SELECT 'COMMIT'", 'queries, DML and other DDL (to DuckDB)'],
    ];
    for (const [sql, kind] of cases) expect(kindOf(sql), sql).toBe(kind);
    expect(STATEMENT_KINDS[0]?.raw).toBe(true);
    expect(STATEMENT_KINDS.slice(1).every((k) => !k.raw)).toBe(true);
    expect(STATEMENT_KINDS[STATEMENT_KINDS.length - 1]?.name).toBe('queries, DML and other DDL (to DuckDB)');
  });

  it('recognise: text without comments, collapsed, trailing semicolons dropped; tokens without whitespace', () => {
    const s = recognise("-- c\nbegin  /* x */ transaction ;  ;");
    expect([s.text, s.upper]).toEqual(['begin transaction', 'BEGIN TRANSACTION']);
    expect(s.tokens.map((t) => t.text)).toEqual(['begin', 'transaction']);
    // The statement kinds see the statement without them (CREATE TABLE t (a INT); is one statement).
    expect(s.sql).toBe('-- c\nbegin  /* x */ transaction');
    expect(recognise("SELECT ';' AS x ; -- end").sql).toBe("SELECT ';' AS x");
  });

  it('tokenize: words, quoted names, strings, $$ bodies, binds, variables, operators; the texts give the input back', () => {
    const sql = `SELECT "a""b", 'it''s', $$x;y$$, ?, :2, $V, a::INT, 1.5e3 <= 2 -- end`;
    const tokens = tokenize(sql);
    expect(tokens.map((t) => t.text).join('')).toBe(sql);
    const kinds = tokens.filter((t) => t.kind !== 'space').map((t) => `${t.kind}:${t.text}`);
    expect(kinds).toEqual([
      'word:SELECT', 'quoted:"a""b"', 'op:,', "string:'it''s'", 'op:,', 'dollar:$$x;y$$', 'op:,', 'bind:?', 'op:,', 'bind::2', 'op:,',
      'variable:$V', 'op:,', 'word:a', 'op:::', 'word:INT', 'op:,', 'number:1.5e3', 'op:<=', 'number:2', 'comment:-- end',
    ]);
    expect(tokens.every((t) => sql.slice(t.start, t.start + t.text.length) === t.text)).toBe(true);
  });

  it('every statement kind file has its own test file here', () => {
    const dir = new URL('../../../local/statements/', import.meta.url);
    const kinds = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'kind.ts' && f !== 'registry.ts');
    expect(kinds.length).toBeGreaterThanOrEqual(STATEMENT_KINDS.length - 1);
    const missing = kinds.filter((f) => !existsSync(new URL(f.replace(/\.ts$/, '.test.ts'), import.meta.url)));
    expect(missing).toEqual([]);
  });
});
