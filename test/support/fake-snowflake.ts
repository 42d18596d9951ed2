/**
 * A scripted `snowflake` object, typed by the shim. Each executed statement is matched against
 * the script in order of registration; the first matching rule answers with rows (or throws).
 * Every call is recorded so tests can assert on the statement sequence and its binds.
 *
 * The fake invents nothing:
 * - A statement's result columns come from its SQL text: the names of its outermost select list
 *   (SELECT, WITH … SELECT), or Snowflake's count columns for DML (`number of rows inserted`, …;
 *   a MERGE has one per kind of clause it holds). A rule's `columns` declares them where the text
 *   cannot (`SELECT S.*`, SHOW …) or to add metadata, and must agree with a text that names them.
 *   For a statement whose columns neither can tell (DESCRIBE …), they are the scripted rows' keys.
 * - Scripted rows may carry only those columns (a DML row: exactly one row), so a test cannot
 *   feed the code a column the SQL does not produce.
 * - Reading what the test did not script fails: a result of a rule without `rows`, a column the
 *   row leaves out, a row count not in `counts`, column metadata not in `columns`.
 * A script error is thrown from the call and also fails the test after it ends, so code that
 * catches statement errors cannot hide it.
 */
import { afterEach } from 'vitest';
import type {
  Bind,
  ColumnValue,
  LogLevel,
  ResultSet,
  Snowflake,
  SqlCommand,
  Statement,
  TraceAttribute,
} from '../../procedure/snowflake-api.js';

export type Row = Record<string, ColumnValue>;

export interface Rule {
  match: RegExp;
  /**
   * Rows to return, or a function of the binds; a thrown error fails the statement. A row carries
   * only columns the statement returns. Without `rows` the result is unscripted: reading it fails.
   */
  rows?: Row[] | ((binds: Bind[]) => Row[]);
  /** Fail the statement with this error (code/state like Snowflake's). */
  error?: { message: string; code?: number; state?: string };
  /** Only answer the first `times` matches, then fall through to later rules. */
  times?: number;
  /** Row-count getters reported by Statement; a getter whose count is not given fails. */
  counts?: { inserted?: number; updated?: number; deleted?: number };
  /**
   * The result's columns, in order, with the metadata the code reads: for a statement whose
   * column names the SQL text does not tell (`SELECT S.*, T.*`, names that repeat), or whose
   * metadata matters. By name, a value is the first column of that name.
   */
  columns?: ColumnDef[];
}

/** A scripted result column. Metadata the code reads must be given; none is made up. */
export interface ColumnDef {
  name: string;
  /** `getColumnSqlType`, e.g. `NUMBER`, `TEXT`, `TIMESTAMP_NTZ`; also decides `isColumnText` and the like. */
  type?: string;
  /** `getColumnScale`. */
  scale?: number;
  /** `isColumnNullable`. */
  nullable?: boolean;
  /** `getColumnType`: the JavaScript type of the values, e.g. `number`, `string`, `date`. */
  jsType?: string;
}

export interface Executed {
  sqlText: string;
  binds: Bind[];
}

/** A mistake in the test's script (not a statement failure Snowflake would report). */
export class FakeScriptError extends Error {
  constructor(message: string) {
    super(`FakeSnowflake: ${message}`);
    this.name = 'FakeScriptError';
  }
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const ALIAS = new RegExp(String.raw`\sAS\s+(${IDENT})\s*$`, 'i');
const COLUMN_REF = new RegExp(String.raw`^(?:${IDENT}\s*\.\s*)*(${IDENT})$`);
const END_OF_LIST = /^(?:FROM|WHERE|GROUP|HAVING|QUALIFY|ORDER|LIMIT|UNION|INTERSECT|EXCEPT|MINUS)\b/i;

/** The DML result columns Snowflake returns, in its order. */
export const DML_COLUMNS = {
  inserted: 'number of rows inserted',
  updated: 'number of rows updated',
  multiJoined: 'number of multi-joined rows updated',
  deleted: 'number of rows deleted',
} as const;

/** Blanks string literals, quoted identifiers and comments (same length), so only code is searched. */
function maskSql(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql.charAt(i);
    let end = -1;
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) break;
        if (ch === "'" && sql.charAt(j) === '\\') j += 2;
        else if (sql.charAt(j) === ch && sql.charAt(j + 1) === ch) j += 2;
        else if (sql.charAt(j) === ch) break;
        else j++;
      }
      end = Math.min(j + 1, sql.length);
      out += ch + '_'.repeat(Math.max(0, end - i - 2)) + (end - i >= 2 ? ch : '');
    } else if (sql.startsWith('--', i) || sql.startsWith('//', i)) {
      const nl = sql.indexOf('\n', i);
      end = nl < 0 ? sql.length : nl;
      out += ' '.repeat(end - i);
    } else if (sql.startsWith('/*', i)) {
      const close = sql.indexOf('*/', i + 2);
      end = close < 0 ? sql.length : close + 2;
      out += ' '.repeat(end - i);
    } else {
      out += ch;
      end = i + 1;
    }
    i = end;
  }
  return out;
}

const unquoteIdent = (id: string): string => (id.startsWith('"') ? id.slice(1, -1).replace(/""/g, '"') : id.toUpperCase());

const isDml = (sql: string): boolean => /^\s*(?:INSERT|UPDATE|DELETE|MERGE)\b/i.test(maskSql(sql));

/**
 * The result columns of `sql` as Snowflake would name them, or null when they cannot be read
 * from the text.
 */
export function resultColumns(sql: string): string[] | null {
  const masked = maskSql(sql);
  const first = (/^\s*([A-Za-z]+)/.exec(masked)?.[1] ?? '').toUpperCase();
  if (first === 'INSERT') return [DML_COLUMNS.inserted];
  if (first === 'UPDATE') return [DML_COLUMNS.updated, DML_COLUMNS.multiJoined];
  if (first === 'DELETE') return [DML_COLUMNS.deleted];
  if (first === 'MERGE') {
    const cols: string[] = [];
    if (/\bTHEN\s+INSERT\b/i.test(masked)) cols.push(DML_COLUMNS.inserted);
    if (/\bTHEN\s+UPDATE\b/i.test(masked)) cols.push(DML_COLUMNS.updated);
    if (/\bTHEN\s+DELETE\b/i.test(masked)) cols.push(DML_COLUMNS.deleted);
    return cols;
  }
  if (first !== 'SELECT' && first !== 'WITH') return null;

  // The outermost select list: from the first SELECT outside parentheses to the clause after it.
  let depth = 0;
  let start = -1;
  let end = masked.length;
  for (let i = 0; i < masked.length; i++) {
    const ch = masked.charAt(i);
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && /[A-Za-z]/.test(ch) && !/[A-Za-z0-9_$]/.test(masked.charAt(i - 1))) {
      if (start < 0) {
        if (/^SELECT\b/i.test(masked.slice(i))) start = i + 'SELECT'.length;
      } else if (END_OF_LIST.test(masked.slice(i))) {
        end = i;
        break;
      }
    }
  }
  if (start < 0) return null;
  // Each item as code (masked) and text (original), of equal length, so positions carry over.
  const items: Array<{ code: string; text: string }> = [];
  let from = start;
  depth = 0;
  for (let i = start; i <= end; i++) {
    const ch = i < end ? masked.charAt(i) : ',';
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      items.push({ code: masked.slice(from, i), text: sql.slice(from, i) });
      from = i + 1;
    }
  }
  const names: string[] = [];
  for (const [n, item] of items.entries()) {
    // The name is the last identifier of the item's code: `… AS name`, or a column reference.
    const code = n === 0 ? item.code.replace(/^(\s*)(?:DISTINCT|ALL)\s/i, (m) => ' '.repeat(m.length)) : item.code;
    const trimmed = code.trimEnd();
    const alias = ALIAS.exec(trimmed);
    const ref = alias ? null : COLUMN_REF.exec(trimmed.trimStart());
    const id = alias?.[1] ?? ref?.[1];
    if (id === undefined) return null;
    names.push(unquoteIdent(item.text.slice(trimmed.length - id.length, trimmed.length)));
  }
  return names;
}

/** Fakes created in the current test file whose script errors must fail the test. */
const live = new Set<FakeSnowflake>();
afterEach(() => {
  const errors = [...live].flatMap((f) => f.scriptErrors.splice(0));
  if (errors.length > 0) throw new FakeScriptError(`script error(s) during this test:\n${errors.join('\n')}`);
});

/** An executed statement's answer: its columns, and its rows unless the rule scripts none. */
interface Answer {
  rule: Rule;
  columns: ColumnDef[];
  rows: Row[] | null;
}

/** Which `isColumn…` getter is true for a SQL type. */
function family(sqlType: string): string {
  const t = sqlType.toUpperCase();
  if (/^(?:NUMBER|DECIMAL|NUMERIC|INT|INTEGER|BIGINT|SMALLINT|TINYINT|BYTEINT|FLOAT|FLOAT4|FLOAT8|DOUBLE|REAL|FIXED)/.test(t)) return 'Number';
  if (/^(?:TEXT|VARCHAR|CHAR|STRING|CHARACTER)/.test(t)) return 'Text';
  if (t.startsWith('TIMESTAMP')) return 'Timestamp';
  if (t === 'DATE') return 'Date';
  if (t.startsWith('TIME')) return 'Time';
  if (t === 'BOOLEAN') return 'Boolean';
  if (/^(?:BINARY|VARBINARY)/.test(t)) return 'Binary';
  if (t === 'ARRAY') return 'Array';
  if (t === 'OBJECT') return 'Object';
  if (t === 'VARIANT') return 'Variant';
  return t;
}

/** The column-metadata getters of an answer, shared by ResultSet and Statement. */
function metadata(answer: () => Answer, fail: (message: string) => never, sql: string) {
  const column = (col: number | string, what: string): ColumnDef => {
    const cols = answer().columns;
    const c = typeof col === 'number' ? cols[col - 1] : cols.find((x) => x.name === col);
    return c ?? fail(`${what}(${String(col)}): the statement has no such column:\n${sql}`);
  };
  const field = <K extends 'type' | 'scale' | 'nullable' | 'jsType'>(col: number | string, what: string, key: K): NonNullable<ColumnDef[K]> => {
    const c = column(col, what);
    const v = c[key];
    return v ?? fail(`${what}(${String(col)}): the rule does not script the ${key} of column ${c.name} (columns: [{ name, ${key} }]):\n${sql}`);
  };
  const is = (fam: string) => (col: number): boolean => family(field(col, `isColumn${fam}`, 'type')) === fam;
  return {
    getColumnCount: (): number => answer().columns.length,
    getColumnName: (col: number): string => column(col, 'getColumnName').name,
    getColumnSqlType: (col: number | string): string => field(col, 'getColumnSqlType', 'type'),
    getColumnScale: (col: number): number => field(col, 'getColumnScale', 'scale'),
    getColumnType: (col: number | string): string => field(col, 'getColumnType', 'jsType'),
    isColumnNullable: (col: number): boolean => field(col, 'isColumnNullable', 'nullable'),
    isColumnArray: is('Array'),
    isColumnBinary: is('Binary'),
    isColumnBoolean: is('Boolean'),
    isColumnDate: is('Date'),
    isColumnNumber: is('Number'),
    isColumnObject: is('Object'),
    isColumnText: is('Text'),
    isColumnTime: is('Time'),
    isColumnTimestamp: is('Timestamp'),
    isColumnVariant: is('Variant'),
  };
}

class FakeResultSet implements ResultSet {
  private index = -1;
  private readonly meta: ReturnType<typeof metadata>;
  constructor(
    private readonly answer: Answer,
    private readonly sql: string,
    private readonly fail: (message: string) => never,
  ) {
    this.meta = metadata(() => answer, fail, sql);
  }
  private rows(): Row[] {
    if (this.answer.rows === null) {
      const cols = this.answer.columns.map((c) => c.name);
      return this.fail(`the code reads the result of a statement whose rule scripts no rows${cols.length ? ` (columns: ${cols.join(', ')})` : ''}:\n${this.sql}`);
    }
    return this.answer.rows;
  }
  next(): boolean {
    this.index++;
    return this.index < this.rows().length;
  }
  private current(): Row {
    const row = this.rows()[this.index];
    if (!row) throw new Error('ResultSet: next() was not called or returned false');
    return row;
  }
  getColumnValue(col: number | string): ColumnValue {
    const row = this.current();
    const name = typeof col === 'number' ? this.answer.columns[col - 1]?.name : col;
    if (name === undefined || !this.answer.columns.some((c) => c.name === name)) {
      return this.fail(`the code reads column ${String(col)}, which the statement does not return (it returns: ${this.answer.columns.map((c) => c.name).join(', ')}):\n${this.sql}`);
    }
    if (!(name in row)) return this.fail(`the code reads column ${name}, which the rule's row does not script:\n${this.sql}`);
    return row[name] as ColumnValue;
  }
  getColumnValueAsString(col: number | string): string {
    const v = this.getColumnValue(col);
    return v === null ? '' : String(v);
  }
  getColumnCount(): number {
    return this.meta.getColumnCount();
  }
  getColumnScale(col: number): number {
    return this.meta.getColumnScale(col);
  }
  getColumnSqlType(col: number | string): string {
    return this.meta.getColumnSqlType(col);
  }
  getColumnType(col: number | string): string {
    return this.meta.getColumnType(col);
  }
  isColumnNullable(col: number): boolean {
    return this.meta.isColumnNullable(col);
  }
  getNumRowsAffected(): number {
    return this.fail('ResultSet.getNumRowsAffected is not scripted: read the counts from the result row or the Statement');
  }
  getQueryId(): string {
    return 'fake-query';
  }
  getRowCount(): number {
    return this.rows().length;
  }
  getSqlText(): string {
    return this.sql;
  }
}

/** A fake `snowflake` global answering from `rules`. Unmatched SQL fails the test loudly. */
export class FakeSnowflake implements Snowflake {
  readonly executed: Executed[] = [];
  readonly logs: Array<{ level: LogLevel; message: string }> = [];
  /** Script errors not yet reported (reported and cleared after each test). */
  readonly scriptErrors: string[] = [];
  private readonly used = new Map<Rule, number>();

  constructor(private readonly rules: Rule[]) {
    live.add(this);
  }

  /** Records a script error (reported after the test) and throws it. */
  private fail(message: string): never {
    const e = new FakeScriptError(message);
    this.scriptErrors.push(e.message);
    throw e;
  }

  private answer(command: SqlCommand): Answer {
    const binds = command.binds ?? [];
    for (const b of binds) {
      const ok = b === null || typeof b === 'number' || typeof b === 'string' || b instanceof Date;
      if (!ok) throw new Error(`Invalid binds argument: ${String(b)} (Snowflake accepts number, string, SfDate, null)`);
    }
    this.executed.push({ sqlText: command.sqlText, binds });
    for (const rule of this.rules) {
      if (!rule.match.test(command.sqlText)) continue;
      const n = this.used.get(rule) ?? 0;
      if (rule.times !== undefined && n >= rule.times) continue;
      this.used.set(rule, n + 1);
      if (rule.error) throw Object.assign(new Error(rule.error.message), { code: rule.error.code, state: rule.error.state });
      const rows = rule.rows === undefined ? null : typeof rule.rows === 'function' ? rule.rows(binds) : rule.rows;
      return { rule, rows, columns: this.columnsOf(rule, command.sqlText, rows) };
    }
    return this.fail(`no rule matches statement:\n${command.sqlText}`);
  }

  /** The statement's columns; fails when the rule's declaration or rows contradict the SQL. */
  private columnsOf(rule: Rule, sql: string, rows: Row[] | null): ColumnDef[] {
    const where = `(rule ${String(rule.match)}):\n${sql}`;
    const fromSql = resultColumns(sql);
    if (fromSql !== null && rule.columns !== undefined && rule.columns.map((c) => c.name).join('\u0000') !== fromSql.join('\u0000')) {
      this.fail(`the rule declares columns [${rule.columns.map((c) => c.name).join(', ')}] but the statement returns [${fromSql.join(', ')}] ${where}`);
    }
    const columns: ColumnDef[] =
      rule.columns ?? fromSql?.map((name) => ({ name })) ?? [...new Set((rows ?? []).flatMap((r) => Object.keys(r)))].map((name) => ({ name }));
    if (rows === null) return columns;
    if (isDml(sql) && rows.length !== 1) this.fail(`a DML statement returns exactly one row, the rule scripts ${rows.length} ${where}`);
    const names = columns.map((c) => c.name);
    for (const row of rows) {
      const extra = Object.keys(row).filter((k) => !names.includes(k));
      if (extra.length > 0) this.fail(`the rule scripts column(s) [${extra.join(', ')}] that the statement does not return; it returns [${names.join(', ')}] ${where}`);
    }
    return columns;
  }

  execute(command: SqlCommand): ResultSet {
    return new FakeResultSet(this.answer(command), command.sqlText, (m) => this.fail(m));
  }

  createStatement(command: SqlCommand): Statement {
    let last: Answer | null = null;
    const fake = this;
    const executed = (what: string): Answer => last ?? fake.fail(`Statement.${what}() before execute():\n${command.sqlText}`);
    const count = (key: 'inserted' | 'updated' | 'deleted'): number => {
      const c = executed(`getNumRows${key}`).rule.counts?.[key];
      return c ?? fake.fail(`the code reads the ${key} row count, which the rule for this statement does not script (counts.${key}):\n${command.sqlText}`);
    };
    const meta = metadata(() => executed('metadata'), (m) => fake.fail(m), command.sqlText);
    const stmt: Statement = {
      execute(): ResultSet {
        last = fake.answer(command);
        return new FakeResultSet(last, command.sqlText, (m) => fake.fail(m));
      },
      ...meta,
      getNumRowsAffected: () => {
        const c = executed('getNumRowsAffected').rule.counts;
        if (!c || (c.inserted === undefined && c.updated === undefined && c.deleted === undefined)) {
          return fake.fail(`the code reads the affected row count, which the rule for this statement does not script (counts):\n${command.sqlText}`);
        }
        return (c.inserted ?? 0) + (c.updated ?? 0) + (c.deleted ?? 0);
      },
      getNumRowsInserted: () => count('inserted'),
      getNumRowsUpdated: () => count('updated'),
      getNumRowsDeleted: () => count('deleted'),
      getNumDuplicateRowsUpdated: () => fake.fail(`getNumDuplicateRowsUpdated is not scripted:\n${command.sqlText}`),
      getQueryId: () => 'fake-query',
      getRowCount: () => {
        const rows = executed('getRowCount').rows;
        return rows?.length ?? fake.fail(`the code reads the row count of a result the rule does not script:\n${command.sqlText}`);
      },
      getSqlText: () => command.sqlText,
    };
    return stmt;
  }

  log(level: LogLevel, message: string): void {
    this.logs.push({ level, message });
  }
  addEvent(_name: string, _attributes?: Record<string, TraceAttribute>): void {}
  setSpanAttribute(_key: string, _value: TraceAttribute): void {}

  /** The first word(s) of each executed statement, e.g. `['WITH', 'INSERT', 'MERGE', 'UPDATE']`. */
  kinds(): string[] {
    return this.executed.map((e) => (e.sqlText.trim().split(/\s+/)[0] as string).toUpperCase());
  }
}
