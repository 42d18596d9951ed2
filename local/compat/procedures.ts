/**
 * CREATE PROCEDURE … LANGUAGE JAVASCRIPT, parsed into what CALL needs.
 * https://docs.snowflake.com/en/sql-reference/sql/create-procedure
 */
import { notImplemented } from '../errors.js';
import { canonicalIdentifier, segments, unquoteString } from '../sql-text.js';
import { closingParen, mask, splitTopLevel } from './rewrite.js';

/** One declared argument. */
export interface ProcedureArg {
  /** The name the body sees: upper-cased unless declared in double quotes. */
  name: string;
  /** Declared Snowflake type, upper-case, e.g. `VARCHAR`, `FLOAT`, `VARIANT`. */
  type: string;
  /** SQL expression of the DEFAULT, when there is one. */
  defaultSql?: string;
}

/** A stored procedure as CREATE PROCEDURE declared it. */
export interface ProcedureDef {
  name: string;
  args: ProcedureArg[];
  returns: string;
  returnsNotNull: boolean;
  /**
   * `RETURNS NULL ON NULL INPUT` / `STRICT`: a CALL with any NULL argument returns NULL without
   * running the body (https://docs.snowflake.com/en/sql-reference/sql/create-procedure).
   */
  strict?: boolean;
  language: string;
  executeAs: 'OWNER' | 'CALLER' | 'RESTRICTED CALLER';
  body: string;
  orReplace: boolean;
  ifNotExists: boolean;
  comment?: string;
  /** The CREATE statement as given. */
  sqlText: string;
}

const HEAD = /^\s*CREATE\s+(OR\s+REPLACE\s+)?(?:SECURE\s+)?(?:TEMP(?:ORARY)?\s+)?PROCEDURE\s+(IF\s+NOT\s+EXISTS\s+)?/i;

/** Whether the statement is a CREATE PROCEDURE. */
export function isCreateProcedure(sql: string): boolean {
  return HEAD.test(mask(sql));
}

/** Parses CREATE PROCEDURE; other languages fail as not implemented. */
export function parseCreateProcedure(sql: string): ProcedureDef {
  const masked = mask(sql);
  const head = HEAD.exec(masked);
  if (!head) throw notImplemented('this CREATE PROCEDURE form', sql);
  const open = masked.indexOf('(', head[0].length);
  const close = open < 0 ? -1 : closingParen(masked, open);
  if (close < 0) throw notImplemented('CREATE PROCEDURE without an argument list', sql);
  const name = canonicalIdentifier(sql.slice(head[0].length, open));
  const args = splitTopLevel(sql.slice(open + 1, close)).map((item): ProcedureArg => {
    const m = /^("(?:[^"]|"")+"|[A-Za-z_][\w$]*)\s+([\s\S]+?)(?:\s+DEFAULT\s+([\s\S]+))?$/i.exec(item);
    if (!m) throw notImplemented(`procedure argument "${item}"`, sql);
    const raw = m[1] ?? '';
    const argName = raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw.toUpperCase();
    const arg: ProcedureArg = { name: argName, type: (m[2] ?? '').trim().toUpperCase() };
    if (m[3] !== undefined) arg.defaultSql = m[3].trim();
    return arg;
  });
  const rest = masked.slice(close + 1);
  const as = /\bAS\s*(?=\$\$|')/i.exec(rest);
  if (!as) throw notImplemented('CREATE PROCEDURE without an AS $$…$$ or AS \'…\' body (handler/imports)', sql);
  const options = rest.slice(0, as.index);
  const bodyStart = close + 1 + as.index + as[0].length;
  const bodySeg = segments(sql.slice(bodyStart))[0];
  if (!bodySeg || (bodySeg.kind !== 'dollar' && bodySeg.kind !== 'string')) {
    throw notImplemented('a procedure body that is not $$…$$ or a single-quoted string', sql);
  }
  const body = bodySeg.kind === 'dollar' ? bodySeg.text.slice(2, -2) : unquoteString(bodySeg.text);
  const language = /\bLANGUAGE\s+(\w+)/i.exec(options)?.[1]?.toUpperCase() ?? 'SQL';
  if (language !== 'JAVASCRIPT') throw notImplemented(`LANGUAGE ${language} procedures`, sql);
  const returns = /\bRETURNS\s+(.+?)(?=\s+(?:NOT\s+NULL|NULL|LANGUAGE|EXECUTE|COMMENT|STRICT|CALLED|VOLATILE|IMMUTABLE)\b|\s*$)/i.exec(options);
  const executeAs = /\bEXECUTE\s+AS\s+(OWNER|CALLER|RESTRICTED\s+CALLER)\b/i.exec(options)?.[1]?.toUpperCase().replace(/\s+/, ' ');
  const commentAt = /\bCOMMENT\s*=\s*'/i.exec(options);
  const def: ProcedureDef = {
    name,
    args,
    returns: (returns?.[1] ?? 'VARCHAR').trim().toUpperCase(),
    returnsNotNull: /\bRETURNS\s+.+?\s+NOT\s+NULL\b/i.test(options),
    strict: /\bSTRICT\b|\bRETURNS\s+NULL\s+ON\s+NULL\s+INPUT\b/i.test(options),
    language,
    executeAs: (executeAs as ProcedureDef['executeAs'] | undefined) ?? 'OWNER',
    body,
    orReplace: Boolean(head[1]),
    ifNotExists: Boolean(head[2]),
    sqlText: sql,
  };
  if (commentAt) {
    const seg = segments(sql.slice(close + 1 + commentAt.index + commentAt[0].length - 1))[0];
    if (seg && seg.kind === 'string') def.comment = unquoteString(seg.text);
  }
  // A JavaScript procedure returns one value of a SQL type (RETURNS <result_data_type> [NOT NULL],
  // https://docs.snowflake.com/en/sql-reference/sql/create-procedure, "JavaScript handler": no
  // RETURNS TABLE); types the sandbox does not map (BINARY, GEOGRAPHY, …) are refused by name
  // rather than passed as text.
  if (!JAVASCRIPT_TYPE.test(def.returns)) throw notImplemented(`RETURNS ${def.returns} for a JavaScript procedure`, sql);
  for (const arg of args) {
    if (!JAVASCRIPT_TYPE.test(arg.type)) throw notImplemented(`a ${arg.type} argument of a JavaScript procedure`, sql);
  }
  return def;
}

/** The SQL types a JavaScript procedure's arguments and result may have here (the type mapping's, less BINARY and GEOGRAPHY). */
const JAVASCRIPT_TYPE =
  /^(NUMBER|NUMERIC|DECIMAL|INT|INTEGER|BIGINT|SMALLINT|TINYINT|BYTEINT|FLOAT|FLOAT4|FLOAT8|DOUBLE|DOUBLE PRECISION|REAL|VARCHAR|STRING|TEXT|CHAR|CHARACTER|NCHAR|NVARCHAR|NVARCHAR2|CHAR VARYING|NCHAR VARYING|BOOLEAN|DATE|TIME|DATETIME|TIMESTAMP|TIMESTAMP_NTZ|TIMESTAMP_LTZ|TIMESTAMP_TZ|TIMESTAMPNTZ|TIMESTAMPLTZ|TIMESTAMPTZ|TIMESTAMP WITHOUT TIME ZONE|TIMESTAMP WITH LOCAL TIME ZONE|TIMESTAMP WITH TIME ZONE|VARIANT|OBJECT|ARRAY)\s*(\(\s*\d+\s*(,\s*\d+\s*)?\))?$/;
