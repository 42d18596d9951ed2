/**
 * Databases, schemas and the names of tables in them.
 *
 * Snowflake names a table `DATABASE.SCHEMA.TABLE`, and lets a statement leave out the database
 * and schema, which then come from the session's current ones
 * (https://docs.snowflake.com/en/sql-reference/name-resolution). Locally there is one DuckDB
 * catalog, and every Snowflake schema is a DuckDB schema in it, so a database file keeps them all
 * and nothing outside that file is ever opened:
 * - `LOCAL.PUBLIC`, the default database and schema, is DuckDB's `main` (where every table lived
 *   before databases and schemas existed, so older database files read the same);
 * - another schema `S` of `LOCAL` is the DuckDB schema `S` (case kept);
 * - schema `S` of another database `D` is the DuckDB schema `D.S`; the databases themselves are
 *   listed in `sf_local.databases`.
 * Names that would collide in that mapping (a `.` inside a database or schema name, a schema named
 * MAIN, SF_LOCAL, INFORMATION_SCHEMA or PG_CATALOG) fail as not implemented.
 *
 * {@link qualify} rewrites the table names of a statement (after FROM, JOIN, USING, INTO, UPDATE,
 * TABLE, VIEW, TRUNCATE, and `seq.NEXTVAL`) into DuckDB's fully qualified names. An unqualified
 * name while `LOCAL.PUBLIC` is current is left exactly as written, so statements that name no
 * database or schema run as they always did.
 */
import { informationSchemaMarker } from './information-schema-marker.js';
import { LocalSnowflakeError, notImplemented } from '../errors.js';
import { tokenize, type Token } from '../sql-text.js';

/** The database a session starts in: Snowflake-like (upper case), and named for what it is. */
export const DEFAULT_DATABASE = 'LOCAL';
/** The schema every database has when it is created, and the session's starting schema. */
export const DEFAULT_SCHEMA = 'PUBLIC';
/** DuckDB's schema holding `LOCAL.PUBLIC`. */
export const MAIN_SCHEMA = 'main';

/** The session's current database and schema; null when there is none (after dropping it, or USE of a database without PUBLIC). */
export interface NameContext {
  readonly database: string | null;
  readonly schema: string | null;
}

export const DEFAULT_CONTEXT: NameContext = { database: DEFAULT_DATABASE, schema: DEFAULT_SCHEMA };

/** What name resolution reads of the runtime's catalog. */
export interface LocalCatalog {
  /** DuckDB's name for the one catalog (`memory`, or the database file's name). */
  readonly catalogName: string;
  /** Databases other than LOCAL, as stored. */
  readonly databases: ReadonlySet<string>;
  /** The DuckDB schema of every local schema (`main` included, `sf_local` not). */
  readonly schemas: ReadonlySet<string>;
  /** Table and view names, by DuckDB schema. */
  readonly tablesBySchema: ReadonlyMap<string, ReadonlySet<string>>;
}

/** A table (or view, or sequence) name resolved to its database and schema. */
export interface ResolvedName {
  readonly database: string;
  readonly schema: string;
  readonly duckSchema: string;
  readonly name: string;
}

const RESERVED_SCHEMAS = new Set(['MAIN', 'SF_LOCAL', 'INFORMATION_SCHEMA', 'PG_CATALOG']);

export function isDefaultContext(ctx: NameContext): boolean {
  return ctx.database === DEFAULT_DATABASE && ctx.schema === DEFAULT_SCHEMA;
}

/** A name quoted for DuckDB. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The DuckDB schema holding a Snowflake schema; fails as not implemented for names the mapping cannot hold. */
export function duckSchemaOf(database: string, schema: string, sql?: string): string {
  if (database.includes('.') || schema.includes('.')) throw notImplemented(`a database or schema name containing "." (${database}.${schema})`, sql);
  if (database === DEFAULT_DATABASE) {
    if (schema === DEFAULT_SCHEMA) return MAIN_SCHEMA;
    if (RESERVED_SCHEMAS.has(schema.toUpperCase())) throw notImplemented(`a schema named ${schema} (the local engine's own name)`, sql);
    return schema;
  }
  return `${database}.${schema}`;
}

/** The Snowflake database and schema a DuckDB schema holds. */
export function snowflakeSchemaOf(duckSchema: string): { database: string; schema: string } {
  if (duckSchema === MAIN_SCHEMA) return { database: DEFAULT_DATABASE, schema: DEFAULT_SCHEMA };
  const dot = duckSchema.indexOf('.');
  return dot < 0 ? { database: DEFAULT_DATABASE, schema: duckSchema } : { database: duckSchema.slice(0, dot), schema: duckSchema.slice(dot + 1) };
}

/**
 * The key a table's metadata (declared column types, hybrid flag) is kept under: its name in
 * `LOCAL.PUBLIC` (as before schemas existed), `<duck schema>\u001f<name>` elsewhere.
 */
export function tableKey(duckSchema: string, name: string): string {
  return duckSchema === MAIN_SCHEMA ? name : `${duckSchema}\u001f${name}`;
}

/** The DuckDB text of a resolved name: catalog, schema and name, quoted. */
export function duckName(catalog: LocalCatalog, r: { duckSchema: string; name: string }): string {
  return `${quoteIdent(catalog.catalogName)}.${quoteIdent(r.duckSchema)}.${quoteIdent(r.name)}`;
}

export function databaseExists(catalog: LocalCatalog, database: string): boolean {
  return database === DEFAULT_DATABASE || catalog.databases.has(database);
}

export function missingDatabase(database: string, sql?: string): LocalSnowflakeError {
  return new LocalSnowflakeError(2003, '02000', `SQL compilation error:\nDatabase '${database}' does not exist or not authorized.`, sql);
}

export function missingSchema(database: string, schema: string, sql?: string): LocalSnowflakeError {
  return new LocalSnowflakeError(2003, '02000', `SQL compilation error:\nSchema '${database}.${schema}' does not exist or not authorized.`, sql);
}

/** Snowflake's error for an unqualified name when the session has no current database or schema (90105, 22000). */
export function noCurrent(what: 'database' | 'schema', sql?: string): LocalSnowflakeError {
  return new LocalSnowflakeError(
    90105,
    '22000',
    `Cannot perform ${statementVerb(sql ?? '')}. This session does not have a current ${what}. Call 'USE ${what.toUpperCase()}', or use a qualified name.`,
    sql,
  );
}

function statementVerb(sql: string): string {
  const words = sql.trim().split(/\s+/).map((w) => w.toUpperCase());
  const first = words[0] ?? '';
  if (first === 'CREATE' || first === 'DROP' || first === 'ALTER') {
    const object = words.slice(1).find((w) => !/^(OR|REPLACE|ALTER|HYBRID|TRANSIENT|TEMPORARY|TEMP|SECURE|IF|NOT|EXISTS)$/.test(w));
    return object ? `${first} ${object}` : first;
  }
  return first;
}

/**
 * The parts of a dotted name as Snowflake stores them (unquoted upper-cased, quoted kept);
 * `DB..T` gives an empty schema part. Null when the text is not a name.
 */
export function nameParts(text: string): string[] | null {
  const toks = tokenize(text.trim()).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  const parts: string[] = [];
  let i = 0;
  for (;;) {
    const t = toks[i];
    if (!t || (t.kind !== 'word' && t.kind !== 'quoted')) return null;
    parts.push(partOf(t));
    i++;
    if (i === toks.length) return parts;
    if (toks[i]?.text !== '.') return null;
    i++;
    if (toks[i]?.text === '.') {
      parts.push('');
      i++;
    }
  }
}

function partOf(t: Token): string {
  return t.kind === 'quoted' ? t.text.slice(1, -1).replace(/""/g, '"') : t.text.toUpperCase();
}

/**
 * The database and schema that one or two name parts (`S` or `D.S`) name, for statements about
 * schemas. `mustExist` checks that the schema exists (exactly: another case is refused).
 */
export function resolveSchema(parts: readonly string[], ctx: NameContext, catalog: LocalCatalog, sql: string, mustExist: boolean): { database: string; schema: string; duckSchema: string } {
  if (parts.length < 1 || parts.length > 2) throw notImplemented(`the schema name ${parts.join('.')}`, sql);
  const database = parts.length === 2 ? (parts[0] as string) : ctx.database;
  if (database === null) throw noCurrent('database', sql);
  const schema = parts[parts.length - 1] as string;
  if (!databaseExists(catalog, database)) throw missingDatabase(database, sql);
  const duckSchema = duckSchemaOf(database, schema, sql);
  if (mustExist) checkSchema(catalog, database, schema, duckSchema, sql);
  return { database, schema, duckSchema };
}

function checkSchema(catalog: LocalCatalog, database: string, schema: string, duckSchema: string, sql: string): void {
  if (catalog.schemas.has(duckSchema)) return;
  const folded = [...catalog.schemas].find((s) => s.toLowerCase() === duckSchema.toLowerCase());
  if (folded !== undefined) {
    const other = snowflakeSchemaOf(folded);
    throw notImplemented(`the schema name ${database}.${schema} where only schema ${other.database}.${other.schema} exists (names differing only in case are one name locally)`, sql);
  }
  throw missingSchema(database, schema, sql);
}

/** Resolves one to three name parts to the object's database, schema and name; the schema must exist. */
export function resolveName(parts: readonly string[], ctx: NameContext, catalog: LocalCatalog, sql: string): ResolvedName {
  if (parts.length < 1 || parts.length > 3) throw notImplemented(`names of more than three parts (${parts.join('.')})`, sql);
  const name = parts[parts.length - 1] as string;
  let database: string | null;
  let schema: string | null;
  if (parts.length === 3) {
    database = parts[0] as string;
    // DB..T: the two dots name the PUBLIC schema (name-resolution, "double-dot notation").
    schema = (parts[1] as string) === '' ? DEFAULT_SCHEMA : (parts[1] as string);
  } else if (parts.length === 2) {
    database = ctx.database;
    schema = parts[0] as string;
    if (database === null) throw noCurrent('database', sql);
  } else {
    database = ctx.database;
    schema = ctx.schema;
    if (database === null) throw noCurrent('database', sql);
    if (schema === null) throw noCurrent('schema', sql);
  }
  if (!databaseExists(catalog, database)) throw missingDatabase(database, sql);
  const duckSchema = duckSchemaOf(database, schema, sql);
  checkSchema(catalog, database, schema, duckSchema, sql);
  return { database, schema, duckSchema, name };
}

/** A table name where a statement reads or writes a table. */
interface TableReference {
  parts: string[];
  /** `read`: FROM, JOIN, USING, a FROM list; `target`: what INSERT, UPDATE, DELETE, DDL write. */
  kind: 'read' | 'target';
  /** Offsets of the name's text in the statement. */
  start: number;
  end: number;
  /** An unqualified name that a WITH clause of the statement defines. */
  cte: boolean;
}

/** What {@link scan} finds in a statement (it depends on the text alone, so it is cached). */
interface Scan {
  tables: TableReference[];
  /** `name.NEXTVAL` */
  sequences: Array<{ parts: string[]; start: number; end: number }>;
  /** A name of three or more parts outside a table position (`SCHEMA.TABLE.COLUMN` …). */
  stray?: string;
  /** The statement creates a view (its body is a query over tables). */
  createView: boolean;
  /** Whether anything may need rewriting even in LOCAL.PUBLIC: a qualified table name, or a sequence. */
  qualified: boolean;
}

/** Words that cannot start a table name where one could stand. */
const NOT_A_NAME = new Set([
  'SELECT', 'LATERAL', 'TABLE', 'VALUES', 'SET', 'IF', 'WITH', 'WHERE', 'ON', 'USING', 'JOIN', 'NATURAL', 'LEFT', 'RIGHT', 'INNER',
  'OUTER', 'FULL', 'CROSS', 'ONLY', 'DISTINCT', 'AS', 'OVERWRITE',
]);
/** Words that end a FROM list at their depth. */
const FROM_LIST_END = new Set(['WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'QUALIFY', 'UNION', 'EXCEPT', 'INTERSECT', 'MINUS', 'WINDOW', 'SET', 'RETURNING', 'WHEN', 'VALUES', 'SELECT', 'FETCH', 'OFFSET']);

const scans = new Map<string, Scan>();

function scan(sql: string): Scan {
  const hit = scans.get(sql);
  if (hit) return hit;
  const toks = tokenize(sql).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  const upper = (i: number): string => {
    const t = toks[i];
    return t && t.kind === 'word' ? t.text.toUpperCase() : (t?.text ?? '');
  };
  const isName = (i: number): boolean => {
    const t = toks[i];
    return t !== undefined && (t.kind === 'quoted' || (t.kind === 'word' && !NOT_A_NAME.has(t.text.toUpperCase())));
  };
  const used = new Set<number>();
  /** The dotted name starting at token i: its parts and its last token. */
  const chainAt = (i: number): { parts: string[]; last: number } | undefined => {
    if (!isName(i)) return undefined;
    const parts = [partOf(toks[i] as Token)];
    let last = i;
    for (;;) {
      if (toks[last + 1]?.text !== '.') break;
      if (toks[last + 2]?.text === '.' && (toks[last + 3]?.kind === 'word' || toks[last + 3]?.kind === 'quoted')) {
        parts.push('', partOf(toks[last + 3] as Token));
        last += 3;
      } else if (toks[last + 2]?.kind === 'word' || toks[last + 2]?.kind === 'quoted') {
        parts.push(partOf(toks[last + 2] as Token));
        last += 2;
      } else break;
    }
    return { parts, last };
  };
  const skipIfExists = (i: number): number => {
    if (upper(i) === 'IF' && upper(i + 1) === 'NOT' && upper(i + 2) === 'EXISTS') return i + 3;
    if (upper(i) === 'IF' && upper(i + 1) === 'EXISTS') return i + 2;
    return i;
  };

  // Names a WITH clause defines: `name AS (` or `name (cols) AS (` after WITH [RECURSIVE] or a comma.
  const ctes = new Set<string>();
  toks.forEach((t, i) => {
    if (t.kind !== 'word' && t.kind !== 'quoted') return;
    const before = upper(i - 1);
    if (before !== 'WITH' && before !== 'RECURSIVE' && before !== ',') return;
    let j = i + 1;
    if (toks[j]?.text === '(') {
      let depth = 0;
      for (; j < toks.length; j++) {
        if (toks[j]?.text === '(') depth++;
        else if (toks[j]?.text === ')' && --depth === 0) break;
      }
      j++;
    }
    if (upper(j) === 'AS' && toks[j + 1]?.text === '(') ctes.add(partOf(t));
  });

  const tables: TableReference[] = [];
  const take = (i: number, kind: 'read' | 'target', functionsAfter: boolean): void => {
    const chain = chainAt(i);
    if (!chain) return;
    if (functionsAfter && toks[chain.last + 1]?.text === '(') return; // a table function, not a table
    const first = toks[i] as Token;
    const lastTok = toks[chain.last] as Token;
    for (let k = i; k <= chain.last; k++) used.add(k);
    tables.push({
      parts: chain.parts,
      kind,
      start: first.start,
      end: lastTok.start + lastTok.text.length,
      cte: chain.parts.length === 1 && ctes.has(chain.parts[0] as string),
    });
  };

  const frames: Array<{ dml: boolean; fromList: boolean }> = [{ dml: false, fromList: false }];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Token;
    const top = frames[frames.length - 1] as { dml: boolean; fromList: boolean };
    if (t.text === '(') {
      frames.push({ dml: false, fromList: false });
      continue;
    }
    if (t.text === ')') {
      if (frames.length > 1) frames.pop();
      continue;
    }
    if (t.text === ',') {
      if (top.fromList) take(i + 1, 'read', true);
      continue;
    }
    if (t.kind !== 'word') continue;
    const word = t.text.toUpperCase();
    if (FROM_LIST_END.has(word)) top.fromList = false;
    if (word === 'SELECT' || word === 'DELETE' || word === 'UPDATE') top.dml = true;
    switch (word) {
      case 'FROM':
        // Not `IS [NOT] DISTINCT FROM`, nor EXTRACT(x FROM y) and the like: a FROM belongs to a SELECT, DELETE or UPDATE at its depth.
        if (upper(i - 1) === 'DISTINCT' || !top.dml) break;
        take(i + 1, upper(i - 1) === 'DELETE' ? 'target' : 'read', true);
        top.fromList = true;
        break;
      case 'JOIN':
        take(i + 1, 'read', true);
        break;
      case 'USING':
        if (toks[i + 1]?.text === '(') break;
        take(i + 1, 'read', true);
        top.fromList = true;
        break;
      case 'INTO':
      case 'UPDATE':
        take(i + 1, 'target', false);
        break;
      case 'TABLE':
        if (toks[i + 1]?.text === '(') break;
        take(skipIfExists(i + 1), 'target', false);
        break;
      case 'VIEW':
        take(skipIfExists(i + 1), 'target', false);
        break;
      case 'TRUNCATE':
        if (upper(i + 1) !== 'TABLE') take(skipIfExists(i + 1), 'target', false);
        break;
    }
  }

  // seq.NEXTVAL, S.seq.NEXTVAL, D.S.seq.NEXTVAL
  const sequences: Scan['sequences'] = [];
  toks.forEach((t, i) => {
    if (t.kind !== 'word' || t.text.toUpperCase() !== 'NEXTVAL' || toks[i - 1]?.text !== '.' || used.has(i)) return;
    let first = i - 2;
    while (first - 2 >= 0 && toks[first - 1]?.text === '.' && (toks[first - 2]?.kind === 'word' || toks[first - 2]?.kind === 'quoted') && i - first < 6) first -= 2;
    if (toks[first]?.kind !== 'word' && toks[first]?.kind !== 'quoted') return;
    const parts: string[] = [];
    for (let k = first; k < i; k += 2) parts.push(partOf(toks[k] as Token));
    for (let k = first; k <= i; k++) used.add(k);
    sequences.push({ parts, start: (toks[first] as Token).start, end: t.start + t.text.length });
  });

  // Any other name of three or more parts: SCHEMA.TABLE.COLUMN and the like, which the runtime
  // does not resolve (DB.INFORMATION_SCHEMA.TASK_HISTORY(…) is the runtime's own table function).
  let stray: string | undefined;
  for (let i = 0; i < toks.length && stray === undefined; i++) {
    if (used.has(i) || (toks[i - 1]?.text === '.' && i > 0)) continue;
    const t = toks[i] as Token;
    if (t.kind !== 'word' && t.kind !== 'quoted') continue;
    const chain = chainAt(i);
    if (!chain || chain.parts.length < 3) continue;
    if (chain.parts.length === 3 && chain.parts[1] === 'INFORMATION_SCHEMA') continue;
    stray = sql.slice(t.start, (toks[chain.last] as Token).start + (toks[chain.last] as Token).text.length);
  }

  const createView = upper(0) === 'CREATE' && toks.slice(1, 7).some((x) => x.kind === 'word' && x.text.toUpperCase() === 'VIEW');
  const result: Scan = {
    tables,
    sequences,
    createView,
    qualified: sequences.length > 0 || tables.some((r) => r.parts.length > 1) || stray !== undefined,
    ...(stray !== undefined ? { stray } : {}),
  };
  if (sql.length < 20_000) {
    if (scans.size >= 500) scans.delete(scans.keys().next().value as string);
    scans.set(sql, result);
  }
  return result;
}

/** A statement with its table names resolved: the text for DuckDB, and the tables it names, in order. */
export interface Qualified {
  sql: string;
  tables: Array<ResolvedName & { kind: 'read' | 'target' }>;
}

/**
 * Rewrites a statement's table and sequence names into DuckDB's names for the session's context
 * (see the module comment). Unqualified names while `LOCAL.PUBLIC` is current are left alone.
 * Fails with Snowflake's error for a database or schema that does not exist, and as not
 * implemented where the local runtime would have to guess:
 * - a name of three parts outside a table position (`SCHEMA.TABLE.COLUMN`);
 * - in a query, an unqualified table that exists only in the current database's PUBLIC schema
 *   while another schema is current (Snowflake's SEARCH_PATH);
 * - a view outside `LOCAL.PUBLIC`, or created while another schema is current, whose body names
 *   a table without its schema;
 * - a name that matches a table of that schema only in another case.
 */
export function qualify(sql: string, ctx: NameContext, catalog: LocalCatalog): Qualified {
  const s = scan(sql);
  const inDefault = isDefaultContext(ctx);
  if (s.stray !== undefined) {
    throw notImplemented(`the name ${s.stray} (three-part names are DATABASE.SCHEMA.TABLE after FROM, JOIN, USING, INTO, UPDATE or TABLE; qualify columns by the table or its alias)`, sql);
  }
  const main: Qualified['tables'] = [];
  if (inDefault && !s.qualified) {
    for (const r of s.tables) if (!r.cte) main.push({ database: DEFAULT_DATABASE, schema: DEFAULT_SCHEMA, duckSchema: MAIN_SCHEMA, name: r.parts[0] as string, kind: r.kind });
    return { sql, tables: main };
  }
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const tables: Qualified['tables'] = [];
  let viewOutside = false;
  s.tables.forEach((r, index) => {
    const first = (r.parts[0] as string).toUpperCase();
    if (r.cte) return;
    // The runtime's own schema.
    if (r.parts.length === 2 && first === 'SF_LOCAL') return;
    // INFORMATION_SCHEMA views of the current or a named database, in Snowflake's shape
    // (compat/information-schema.ts); its table functions (TASK_HISTORY(…)) are the runtime's own.
    const info = (r.parts.length === 2 && first === 'INFORMATION_SCHEMA') || (r.parts.length === 3 && r.parts[1] === 'INFORMATION_SCHEMA');
    if (info) {
      if (/^\s*\(/.test(sql.slice(r.end))) return;
      const database = r.parts.length === 3 ? (r.parts[0] as string) : ctx.database;
      if (!database) throw notImplemented('INFORMATION_SCHEMA with no current database', sql);
      edits.push({ start: r.start, end: r.end, text: informationSchemaMarker(database, (r.parts[r.parts.length - 1] as string).toUpperCase(), sql) });
      return;
    }
    if (r.parts.length === 1 && inDefault) {
      tables.push({ database: DEFAULT_DATABASE, schema: DEFAULT_SCHEMA, duckSchema: MAIN_SCHEMA, name: r.parts[0] as string, kind: r.kind });
      if (s.createView && index > 0 && viewOutside) throw unqualifiedInView(sql);
      return;
    }
    const resolved = resolveName(r.parts, ctx, catalog, sql);
    if (s.createView && index === 0 && r.kind === 'target') viewOutside = resolved.duckSchema !== MAIN_SCHEMA || !inDefault;
    else if (s.createView && viewOutside && r.parts.length === 1) throw unqualifiedInView(sql);
    const inSchema = catalog.tablesBySchema.get(resolved.duckSchema);
    if (r.kind === 'read' && r.parts.length === 1 && !hasFolded(inSchema, resolved.name) && resolved.schema !== DEFAULT_SCHEMA) {
      const publicSchema = catalog.tablesBySchema.get(duckSchemaOf(resolved.database, DEFAULT_SCHEMA, sql));
      if (hasFolded(publicSchema, resolved.name)) {
        throw notImplemented(
          `reading ${resolved.name} from ${resolved.database}.${DEFAULT_SCHEMA} while schema ${resolved.schema} is current (Snowflake's SEARCH_PATH; qualify the name)`,
          sql,
        );
      }
    }
    if (inSchema && !inSchema.has(resolved.name)) {
      const folded = [...inSchema].find((t) => t.toLowerCase() === resolved.name.toLowerCase());
      if (folded !== undefined) {
        throw notImplemented(`the table name "${resolved.name}" where only table "${folded}" exists in ${resolved.database}.${resolved.schema} (names differing only in case are one name locally)`, sql);
      }
    }
    tables.push({ ...resolved, kind: r.kind });
    edits.push({ start: r.start, end: r.end, text: duckName(catalog, resolved) });
  });
  for (const q of s.sequences) {
    if (q.parts.length === 1 && inDefault) continue;
    const resolved = resolveName(q.parts, ctx, catalog, sql);
    edits.push({ start: q.start, end: q.end, text: `nextval('${duckName(catalog, resolved).replace(/'/g, "''")}')` });
  }
  edits.sort((a, b) => b.start - a.start);
  let out = sql;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { sql: out, tables };
}

function unqualifiedInView(sql: string): LocalSnowflakeError {
  return notImplemented('a view outside LOCAL.PUBLIC (or created while another schema is current) whose body names a table without its schema (qualify the names in the body)', sql);
}

function hasFolded(tables: ReadonlySet<string> | undefined, name: string): boolean {
  if (!tables) return false;
  if (tables.has(name)) return true;
  const lower = name.toLowerCase();
  return [...tables].some((t) => t.toLowerCase() === lower);
}

/**
 * The dotted name starting at token `i` of a statement's code tokens (IF [NOT] EXISTS skipped):
 * its parts as stored and the index after it; undefined when no name starts there.
 */
export function nameAt(tokens: readonly Token[], i: number): { parts: string[]; next: number } | undefined {
  const up = (k: number): string => (tokens[k]?.kind === 'word' ? (tokens[k] as Token).text.toUpperCase() : '');
  if (up(i) === 'IF' && up(i + 1) === 'NOT' && up(i + 2) === 'EXISTS') i += 3;
  else if (up(i) === 'IF' && up(i + 1) === 'EXISTS') i += 2;
  const isPart = (k: number): boolean => tokens[k]?.kind === 'word' || tokens[k]?.kind === 'quoted';
  if (!isPart(i)) return undefined;
  const parts = [partOf(tokens[i] as Token)];
  let k = i + 1;
  while (tokens[k]?.text === '.') {
    if (tokens[k + 1]?.text === '.' && isPart(k + 2)) {
      parts.push('', partOf(tokens[k + 2] as Token));
      k += 3;
    } else if (isPart(k + 1)) {
      parts.push(partOf(tokens[k + 1] as Token));
      k += 2;
    } else break;
  }
  return { parts, next: k };
}

/**
 * The database, schema and name of a procedure, task or alert key (statements/kind.ts
 * procedureKeyed): `NAME` in LOCAL.PUBLIC, `SCHEMA.NAME` in another schema of LOCAL,
 * `DATABASE.SCHEMA.NAME` elsewhere.
 */
export function keyParts(key: string): { database: string; schema: string; name: string } {
  const parts = key.split('.');
  const name = parts.pop() as string;
  if (parts.length === 0) return { database: DEFAULT_DATABASE, schema: DEFAULT_SCHEMA, name };
  const schema = parts.pop() as string;
  return { database: parts.length > 0 ? parts.join('.') : DEFAULT_DATABASE, schema, name };
}
