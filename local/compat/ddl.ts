/**
 * CREATE TABLE / VIEW as Snowflake writes them, turned into DuckDB statements.
 *
 * Hybrid tables (https://docs.snowflake.com/en/sql-reference/sql/create-hybrid-table): a
 * PRIMARY KEY is required and enforced, UNIQUE is enforced, and secondary indexes are declared
 * inline as `INDEX name (cols)`. DuckDB enforces PRIMARY KEY/UNIQUE too; inline indexes become
 * `CREATE INDEX` after the table; `AUTOINCREMENT`/`IDENTITY` becomes a sequence default.
 */
import { notImplemented } from '../errors.js';
import { canonicalIdentifier, segments } from '../sql-text.js';
import { closingParen, mask, splitTopLevel } from './rewrite.js';

const CREATE_TABLE =
  /^\s*CREATE\s+(OR\s+REPLACE\s+)?(?:(HYBRID|TRANSIENT|TEMPORARY|TEMP|LOCAL\s+TEMPORARY|GLOBAL\s+TEMPORARY|VOLATILE)\s+)?TABLE\s+(IF\s+NOT\s+EXISTS\s+)?/i;

/** Table options after the column list that change nothing locally. */
const IGNORED_TABLE_OPTION = /^(COMMENT|DATA_RETENTION_TIME_IN_DAYS|MAX_DATA_EXTENSION_TIME_IN_DAYS|CHANGE_TRACKING|DEFAULT_DDL_COLLATION|ENABLE_SCHEMA_EVOLUTION)\s*=\s*('(?:[^']|'')*'|\S+)\s*/i;

/** Whether a CREATE TABLE creates a hybrid table (https://docs.snowflake.com/en/sql-reference/sql/create-hybrid-table). */
export function isHybridTable(sql: string): boolean {
  return (CREATE_TABLE.exec(mask(sql))?.[2] ?? '').toUpperCase() === 'HYBRID';
}

/** Whether the statement is a CREATE TABLE this module handles. */
export function isCreateTable(sql: string): boolean {
  return CREATE_TABLE.test(mask(sql));
}

/**
 * The table a CREATE TABLE … (column list) names, whether it said IF NOT EXISTS, and the text of
 * its column list; null for any other statement (CREATE TABLE … AS SELECT included).
 */
export function tableDefinition(sql: string): { table: string; ifNotExists: boolean; columnList: string } | null {
  const masked = mask(sql);
  const head = CREATE_TABLE.exec(masked);
  if (!head) return null;
  const open = masked.indexOf('(', head[0].length);
  if (open < 0 || createTableAsSelect(sql)) return null;
  const close = closingParen(masked, open);
  if (close < 0) return null;
  return { table: canonicalIdentifier(storedName(sql.slice(head[0].length, open).trim())), ifNotExists: Boolean(head[3]), columnList: sql.slice(open + 1, close) };
}

/**
 * The DuckDB statements for one Snowflake CREATE TABLE.
 *
 * @example
 * createTable('CREATE HYBRID TABLE T (ID NUMBER(38,0) PRIMARY KEY, TS TIMESTAMP_NTZ, INDEX I (TS))')
 * // ['CREATE TABLE T (ID NUMBER(38,0) PRIMARY KEY, TS TIMESTAMP_NTZ)', 'CREATE INDEX IF NOT EXISTS I ON T (TS)']
 */
export function createTable(sql: string): string[] {
  const masked = mask(sql);
  const head = CREATE_TABLE.exec(masked);
  if (!head) return [sql];
  const orReplace = Boolean(head[1]);
  const kind = (head[2] ?? '').toUpperCase();
  const ifNotExists = Boolean(head[3]);
  const open = masked.indexOf('(', head[0].length);
  if (createTableAsSelect(sql)) throw new Error('createTable: CREATE TABLE … AS SELECT is run by statements/create-table.ts');
  if (open < 0) {
    if (/\bLIKE\b|\bCLONE\b/i.test(masked)) throw notImplemented('CREATE TABLE … LIKE/CLONE', sql);
    return [sql];
  }
  const name = storedName(sql.slice(head[0].length, open).trim());
  const close = closingParen(masked, open);
  if (close < 0) throw notImplemented('CREATE TABLE without a closing parenthesis', sql);
  let tail = sql.slice(close + 1).trim();
  while (tail) {
    const opt = IGNORED_TABLE_OPTION.exec(tail);
    if (!opt) throw notImplemented(`CREATE TABLE option "${tail.split(/\s/)[0]}"`, sql);
    tail = tail.slice(opt[0].length).trim();
  }

  const table = canonicalIdentifier(name);
  // A qualified table's sequences go to its schema: "cat"."schema". (compat/names.ts).
  const dot = mask(name).lastIndexOf('.');
  const prefix = dot < 0 ? '' : name.slice(0, dot + 1);
  const columns: string[] = [];
  const after: string[] = [];
  const before: string[] = [];
  for (const written of splitTopLevel(sql.slice(open + 1, close))) {
    // A comment before or inside a column definition (`n12 numeric(12,4), /* scale 4 */ v1 …`) is no part of it.
    const item = segments(written)
      .map((seg) => (seg.kind === 'comment' ? ' ' : seg.text))
      .join('')
      .trim();
    const index = /^INDEX\s+("(?:[^"]|"")+"|[A-Za-z_][\w$]*)\s*\(([\s\S]*)\)\s*(INCLUDE\s*\([\s\S]*\))?$/i.exec(item);
    if (index) {
      // DuckDB index names are schema-wide, Snowflake's are per table: prefix with the table.
      after.push(`CREATE INDEX IF NOT EXISTS "${table}__${canonicalIdentifier(index[1] ?? '')}" ON ${name} (${index[2]})`);
      continue;
    }
    if (/^(CONSTRAINT\s+\S+\s+)?(PRIMARY\s+KEY|UNIQUE|FOREIGN\s+KEY)\b/i.test(item)) {
      columns.push(item.replace(/^CONSTRAINT\s+\S+\s+/i, '').replace(/\s+(NOT\s+)?ENFORCED\b|\s+RELY\b|\s+NORELY\b/gi, ''));
      continue;
    }
    columns.push(columnDefinition(item, table, prefix, orReplace, before));
  }
  const create = `CREATE ${orReplace ? 'OR REPLACE ' : ''}${kind.includes('TEMP') ? 'TEMPORARY ' : ''}TABLE ${ifNotExists ? 'IF NOT EXISTS ' : ''}${name} (\n  ${columns.join(',\n  ')}\n)`;
  // A replaced table must go before its sequence can be replaced (the default depends on it).
  const drop = orReplace && before.length > 0 ? [`DROP TABLE IF EXISTS ${name}`] : [];
  return [...drop, ...before, create, ...after];
}

const TABLE_NAME = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)){0,2}`;

/** One column of a CTAS column list: its name, and its definition when it gives a type. */
export interface CtasColumn {
  name: string;
  typed: boolean;
}

/**
 * `CREATE [OR REPLACE] [HYBRID|TRANSIENT|TEMPORARY] TABLE [IF NOT EXISTS] t [(c [type …], …)]
 * [options] AS <query>` (https://docs.snowflake.com/en/sql-reference/sql/create-table, "CREATE
 * TABLE … AS SELECT"): its parts, or null for any other statement. Options that change nothing
 * locally (COMMENT, retention, CHANGE_TRACKING, COPY GRANTS …) are dropped; CLUSTER BY and
 * anything else fail as not implemented, naming it.
 */
export interface CreateTableAsSelect {
  orReplace: boolean;
  temporary: boolean;
  hybrid: boolean;
  ifNotExists: boolean;
  /** The table's name as written (quoted upper-case when unquoted, as CREATE TABLE stores it). */
  name: string;
  /** The table's name as stored (compat/names.ts keys). */
  table: string;
  /** The column list's text, when there is one. */
  columnList?: string;
  columns?: CtasColumn[];
  query: string;
}

export function createTableAsSelect(sql: string): CreateTableAsSelect | null {
  const masked = mask(sql);
  const head = CREATE_TABLE.exec(masked);
  if (!head) return null;
  const nameMatch = new RegExp(String.raw`^\s*(${TABLE_NAME})`).exec(masked.slice(head[0].length));
  if (!nameMatch) return null;
  let at = head[0].length + nameMatch[0].length;
  const writtenName = sql.slice(at - (nameMatch[1] as string).length, at);
  let columnList: string | undefined;
  const paren = /^\s*\(/.exec(masked.slice(at));
  if (paren) {
    const open = at + paren[0].length - 1;
    const close = closingParen(masked, open);
    if (close < 0) return null;
    columnList = sql.slice(open + 1, close);
    at = close + 1;
  }
  // The AS that starts the query: the first at depth 0 followed by SELECT, WITH or "(".
  const rest = masked.slice(at);
  const as = /\bAS\s*(?=SELECT\b|WITH\b|\()/gi;
  let m: RegExpExecArray | null;
  let asAt = -1;
  let asEnd = -1;
  while ((m = as.exec(rest)) !== null) {
    const before = rest.slice(0, m.index);
    if ((before.match(/\(/g) ?? []).length === (before.match(/\)/g) ?? []).length) {
      asAt = at + m.index;
      asEnd = at + m.index + m[0].length;
      break;
    }
  }
  if (asAt < 0) return null;
  let options = sql.slice(at, asAt).trim();
  while (options) {
    const copy = /^COPY\s+(GRANTS|TAGS)\s*/i.exec(options);
    const opt = copy ?? IGNORED_TABLE_OPTION.exec(options);
    if (!opt) {
      const word = /^CLUSTER\s+BY\b/i.test(options) ? 'CLUSTER BY' : options.split(/\s/)[0];
      throw notImplemented(`CREATE TABLE … AS SELECT option "${word}"`, sql);
    }
    options = options.slice(opt[0].length).trim();
  }
  const kind = (head[2] ?? '').toUpperCase();
  const name = storedName(writtenName);
  const out: CreateTableAsSelect = {
    orReplace: Boolean(head[1]),
    temporary: kind.includes('TEMP') || kind === 'VOLATILE',
    hybrid: kind === 'HYBRID',
    ifNotExists: Boolean(head[3]),
    name,
    table: canonicalIdentifier(name),
    // Without trailing semicolons (and the comments after them, masked as blanks).
    query: sql.slice(asEnd, masked.replace(/[\s;]+$/, '').length),
  };
  if (columnList !== undefined) {
    out.columnList = columnList;
    out.columns = splitTopLevel(columnList).map((item) => {
      const c = /^\s*("(?:[^"]|"")+"|[A-Za-z_][\w$]*)\s*([\s\S]*)$/.exec(item);
      if (!c) throw notImplemented(`the CREATE TABLE … AS SELECT column "${item.trim()}"`, sql);
      return { name: canonicalIdentifier(c[1] as string), typed: (c[2] as string).trim() !== '' };
    });
  }
  return out;
}

/**
 * Snowflake stores unquoted identifiers upper-case; DuckDB keeps them as written. Quoting the
 * upper-case form at CREATE time makes INFORMATION_SCHEMA and `SELECT *` show Snowflake's names.
 */
function storedName(name: string): string {
  return name
    .split('.')
    .map((part) => {
      const p = part.trim();
      return /^[A-Za-z_][\w$]*$/.test(p) ? `"${p.toUpperCase()}"` : p;
    })
    .join('.');
}

function columnDefinition(item: string, table: string, prefix: string, orReplace: boolean, before: string[]): string {
  const first = /^([A-Za-z_][\w$]*)(\s)/.exec(item);
  let def = first ? `"${(first[1] ?? '').toUpperCase()}"${item.slice((first[1] ?? '').length)}` : item;
  // COMMENT on a column: DuckDB has no inline column comment.
  def = def.replace(/\s+COMMENT\s+'(?:[^']|'')*'/gi, '');
  def = def.replace(/\s+COLLATE\s+'[^']*'/gi, (m) => {
    throw notImplemented(`column ${m.trim()}`);
  });
  def += lengthCheck(def);
  const identity = /\s+(AUTOINCREMENT|IDENTITY)(?:\s*\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)|\s+START\s+(-?\d+)\s+INCREMENT\s+(-?\d+))?(\s+(?:NO)?ORDER)?/i.exec(def);
  if (identity) {
    const column = canonicalIdentifier(/^("(?:[^"]|"")+"|\S+)/.exec(def)?.[1] ?? '');
    const start = identity[2] ?? identity[4] ?? '1';
    const step = identity[3] ?? identity[5] ?? '1';
    const seq = `${prefix}"${table}__${column}__SEQ"`;
    before.push(`CREATE ${orReplace ? 'OR REPLACE ' : ''}SEQUENCE ${orReplace ? '' : 'IF NOT EXISTS '}${seq} START ${start} INCREMENT ${step}`);
    def = def.slice(0, identity.index) + ` DEFAULT nextval('${seq.replace(/'/g, "''")}')` + def.slice(identity.index + identity[0].length);
  }
  return def;
}

/** Snowflake's text types; CHAR/CHARACTER/NCHAR without a length are CHAR(1). */
const TEXT_COLUMN =
  /^("(?:[^"]|"")+")\s+(?:(VARCHAR|STRING|TEXT|NVARCHAR2?|(?:N?CHAR|CHARACTER)\s+VARYING)|(N?CHAR|CHARACTER))\b\s*(?:\(\s*(\d+)\s*\))?/i;

/** Marks the length check's error; `fromDuckDB` in errors.ts matches the same tag. */
const LENGTH_ERROR_TAG = 'SF_LOCAL_LENGTH';

/**
 * A CHECK enforcing `VARCHAR(n)` / `CHAR(n)`: Snowflake fails an INSERT or UPDATE whose string is
 * longer than the declared length (100078, "String '…' is too long and would be truncated";
 * https://docs.snowflake.com/en/sql-reference/data-types-text#varchar) where DuckDB ignores the
 * length. The error is raised from inside the check so its text can carry the value.
 */
export function lengthCheck(def: string): string {
  const m = TEXT_COLUMN.exec(def);
  if (!m) return '';
  const limit = m[4] !== undefined ? Number(m[4]) : m[3] !== undefined ? 1 : undefined;
  if (limit === undefined) return '';
  const col = m[1] as string;
  return ` CHECK (CASE WHEN length(${col}) > ${limit} THEN error('${LENGTH_ERROR_TAG}:${limit}:' || ${col}) ELSE true END)`;
}

const CREATE_VIEW = /^\s*CREATE\s+(OR\s+REPLACE\s+)?(SECURE\s+)?(RECURSIVE\s+)?VIEW\s+(IF\s+NOT\s+EXISTS\s+)?/i;

/** `CREATE [SECURE] VIEW v COMMENT = '…' AS …` → DuckDB's `CREATE VIEW v AS …`. */
export function createView(sql: string): string {
  const masked = mask(sql);
  const head = CREATE_VIEW.exec(masked);
  if (!head) return sql;
  if (head[3]) throw notImplemented('CREATE RECURSIVE VIEW', sql);
  const as = /\bAS\b/i.exec(masked.slice(head[0].length));
  if (!as) return sql;
  const asAt = head[0].length + as.index;
  let nameAndOptions = sql.slice(head[0].length, asAt);
  nameAndOptions = nameAndOptions.replace(/\s+COMMENT\s*=\s*'(?:[^']|'')*'/gi, '').replace(/\s+(CHANGE_TRACKING|COPY\s+GRANTS)(\s*=\s*\S+)?/gi, '');
  // The view and its listed columns are stored as Snowflake stores names: unquoted upper-cased
  // (DuckDB keeps the case written, so `vv` could not be found as VV).
  const trimmed = nameAndOptions.trim();
  const open = mask(trimmed).indexOf('(');
  const name = storedName(open < 0 ? trimmed : trimmed.slice(0, open).trim());
  const columns = open < 0 ? '' : ` (${splitTopLevel(trimmed.slice(open + 1, closingParen(mask(trimmed), open))).map((c) => storedName(c.trim().replace(/\s+COMMENT\s+'(?:[^']|'')*'$/i, ''))).join(', ')})`;
  return `CREATE ${head[1] ? 'OR REPLACE ' : ''}VIEW ${head[4] ? 'IF NOT EXISTS ' : ''}${name}${columns} ${sql.slice(asAt)}`;
}
