/**
 * The procedures deploy installs, compiled by the same generator as `npm run build:proc`
 * (build/generate.ts), so what is deployed is exactly what dist/ holds when dist/ is fresh.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '../../build/generate.js';

/** A procedure ready to create. */
export interface ProcedureSpec {
  /** Upper-case name, e.g. `SYNC_PIPELINE_RUN_HISTORY_PROC`. */
  name: string;
  /** Declared argument types, e.g. `['BOOLEAN', 'BOOLEAN']`. */
  argTypes: string[];
  /** `CREATE OR REPLACE PROCEDURE …;` */
  sql: string;
  /** `NAME(ARG TYPE, …) RETURNS TYPE`, for logs. */
  signature: string;
}

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PROCEDURES_ENTRY = 'procedure/procedures.ts';

let cached: Promise<ProcedureSpec[]> | null = null;

/** Compiles procedure/procedures.ts (once per process). */
export function compileProcedures(): Promise<ProcedureSpec[]> {
  cached ??= generate({ root: ROOT, entry: PROCEDURES_ENTRY }).then((procs) =>
    procs.map((p) => ({
      name: p.declaration.sqlName.toUpperCase(),
      argTypes: p.declaration.args.map((a) => a.sqlType),
      sql: p.sql,
      signature: p.signature,
    })),
  );
  return cached;
}

const SYNONYMS: Record<string, string> = {
  STRING: 'VARCHAR',
  TEXT: 'VARCHAR',
  CHAR: 'VARCHAR',
  CHARACTER: 'VARCHAR',
  NCHAR: 'VARCHAR',
  NVARCHAR: 'VARCHAR',
  INT: 'NUMBER',
  INTEGER: 'NUMBER',
  BIGINT: 'NUMBER',
  SMALLINT: 'NUMBER',
  TINYINT: 'NUMBER',
  BYTEINT: 'NUMBER',
  DECIMAL: 'NUMBER',
  NUMERIC: 'NUMBER',
  DOUBLE: 'FLOAT',
  'DOUBLE PRECISION': 'FLOAT',
  REAL: 'FLOAT',
  FLOAT4: 'FLOAT',
  FLOAT8: 'FLOAT',
  DATETIME: 'TIMESTAMP_NTZ',
  TIMESTAMP: 'TIMESTAMP_NTZ',
};

/** A type as SHOW PROCEDURES prints it: base name, synonyms folded (`STRING(10)` → `VARCHAR`). */
export function canonicalType(type: string): string {
  const base = type.replace(/\(.*$/, '').replace(/\s+DEFAULT$/i, '').trim().replace(/\s+/g, ' ').toUpperCase();
  return SYNONYMS[base] ?? base;
}

/**
 * The argument types in a SHOW PROCEDURES `arguments` value,
 * e.g. `RECONCILE(BOOLEAN DEFAULT, BOOLEAN DEFAULT) RETURN VARIANT` → `['BOOLEAN', 'BOOLEAN']`.
 */
export function argumentTypes(argumentsColumn: string): string[] {
  const open = argumentsColumn.indexOf('(');
  const close = argumentsColumn.lastIndexOf(') RETURN');
  const inner = argumentsColumn.slice(open + 1, close >= 0 ? close : argumentsColumn.lastIndexOf(')')).trim();
  if (inner === '') return [];
  // Before the 2024_01 bundle optional arguments were shown in brackets: `P(VARCHAR [, BOOLEAN])`.
  return inner.replace(/[[\]]/g, '').split(',').map((t) => canonicalType(t));
}

export function sameTypes(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((t, i) => canonicalType(t) === canonicalType(b[i] as string));
}
