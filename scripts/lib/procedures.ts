/**
 * Reading SHOW PROCEDURES' `arguments` column: deploy compares the argument types of what is
 * installed with the signatures in dist/manifest.json, to drop an older overload and to verify.
 */

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

/**
 * A type as SHOW PROCEDURES prints it: base name, synonyms folded (`STRING(10)` → `VARCHAR`).
 * An argument with a default is printed `BOOLEAN DEFAULT` on some accounts and `DEFAULT BOOLEAN`
 * on others (the form Snowflake's own CLI tests read): both give `BOOLEAN`.
 */
export function canonicalType(type: string): string {
  const base = type
    .replace(/\(.*$/, '')
    .trim()
    .replace(/^DEFAULT\s+/i, '')
    .replace(/\s+DEFAULT$/i, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toUpperCase();
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
