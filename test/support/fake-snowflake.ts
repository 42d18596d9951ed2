/**
 * A scripted `snowflake` object, typed by the shim. Each executed statement is matched against
 * the script in order of registration; the first matching rule answers with rows (or throws).
 * Every call is recorded so tests can assert on the statement sequence and its binds.
 */
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
  /** Rows to return, or a function of the binds; a thrown error fails the statement. */
  rows?: Row[] | ((binds: Bind[]) => Row[]);
  /** Fail the statement with this error (code/state like Snowflake's). */
  error?: { message: string; code?: number; state?: string };
  /** Only answer the first `times` matches, then fall through to later rules. */
  times?: number;
  /** Row-count getters reported by Statement. */
  counts?: { inserted?: number; updated?: number; deleted?: number };
  /**
   * The result's columns with their metadata, when the statement's column metadata matters (or
   * names repeat, as in `SELECT S.*, T.*`). A row value is looked up by the column's name; a
   * column the row leaves out reads as NULL. Without it, the columns are the first row's keys.
   */
  columns?: ColumnDef[];
}

/** A scripted result column. */
export interface ColumnDef {
  name: string;
  /** `getColumnSqlType`, default `TEXT`. */
  type?: string;
  scale?: number;
}

export interface Executed {
  sqlText: string;
  binds: Bind[];
}

function columnDefs(rows: Row[], defs: ColumnDef[] | undefined): ColumnDef[] {
  if (defs) return defs;
  return rows.length ? Object.keys(rows[0] as Row).map((name) => ({ name })) : [];
}

class FakeResultSet implements ResultSet {
  private index = -1;
  constructor(private readonly rows: Row[], private readonly sql: string, private readonly defs?: ColumnDef[]) {}
  private columns(): string[] {
    return columnDefs(this.rows, this.defs).map((c) => c.name);
  }
  next(): boolean {
    this.index++;
    return this.index < this.rows.length;
  }
  private current(): Row {
    const row = this.rows[this.index];
    if (!row) throw new Error('ResultSet: next() was not called or returned false');
    return row;
  }
  getColumnValue(col: number | string): ColumnValue {
    const row = this.current();
    const name = typeof col === 'number' ? this.columns()[col - 1] : col;
    if (name === undefined || (!(name in row) && !(this.defs && this.columns().indexOf(name) >= 0))) {
      throw new Error(`no column ${String(col)} in result of: ${this.sql}`);
    }
    return name in row ? (row[name] as ColumnValue) : null;
  }
  getColumnValueAsString(col: number | string): string {
    const v = this.getColumnValue(col);
    return v === null ? '' : String(v);
  }
  getColumnCount(): number {
    return this.columns().length;
  }
  getColumnScale(): number {
    return 0;
  }
  getColumnSqlType(): string {
    return 'TEXT';
  }
  getColumnType(): string {
    return 'string';
  }
  isColumnNullable(): boolean {
    return true;
  }
  getNumRowsAffected(): number {
    return 0;
  }
  getQueryId(): string {
    return 'fake-query';
  }
  getRowCount(): number {
    return this.rows.length;
  }
  getSqlText(): string {
    return this.sql;
  }
}

/** A fake `snowflake` global answering from `rules`. Unmatched SQL fails the test loudly. */
export class FakeSnowflake implements Snowflake {
  readonly executed: Executed[] = [];
  readonly logs: Array<{ level: LogLevel; message: string }> = [];
  private readonly used = new Map<Rule, number>();

  constructor(private readonly rules: Rule[]) {}

  private answer(command: SqlCommand): { rows: Row[]; rule: Rule } {
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
      const rows = typeof rule.rows === 'function' ? rule.rows(binds) : rule.rows ?? [];
      return { rows, rule };
    }
    throw new Error(`FakeSnowflake: no rule matches statement:\n${command.sqlText}`);
  }

  execute(command: SqlCommand): ResultSet {
    const { rows, rule } = this.answer(command);
    return new FakeResultSet(rows, command.sqlText, rule.columns);
  }

  createStatement(command: SqlCommand): Statement {
    let last: { rows: Row[]; rule: Rule } | null = null;
    const fake = this;
    const counts = () => last?.rule.counts ?? {};
    const defs = (): ColumnDef[] => {
      if (!last) throw new Error('Statement metadata read before execute()');
      return columnDefs(last.rows, last.rule.columns);
    };
    const col = (i: number | string): ColumnDef => {
      const d = typeof i === 'number' ? defs()[i - 1] : defs().find((c) => c.name === i);
      if (!d) throw new Error(`no column ${String(i)} in result of: ${command.sqlText}`);
      return d;
    };
    const stmt: Statement = {
      execute(): ResultSet {
        last = fake.answer(command);
        return new FakeResultSet(last.rows, command.sqlText, last.rule.columns);
      },
      getColumnCount: () => defs().length,
      getColumnScale: (i: number) => col(i).scale ?? 0,
      getColumnSqlType: (i: number | string) => col(i).type ?? 'TEXT',
      getColumnType: () => 'string',
      isColumnNullable: () => true,
      getColumnName: (i: number) => col(i).name,
      isColumnArray: () => false,
      isColumnBinary: () => false,
      isColumnBoolean: () => false,
      isColumnDate: () => false,
      isColumnNumber: () => false,
      isColumnObject: () => false,
      isColumnText: () => true,
      isColumnTime: () => false,
      isColumnTimestamp: () => false,
      isColumnVariant: () => false,
      getNumRowsAffected: () => (counts().inserted ?? 0) + (counts().updated ?? 0) + (counts().deleted ?? 0),
      getNumRowsInserted: () => counts().inserted ?? 0,
      getNumRowsUpdated: () => counts().updated ?? 0,
      getNumRowsDeleted: () => counts().deleted ?? 0,
      getNumDuplicateRowsUpdated: () => 0,
      getQueryId: () => 'fake-query',
      getRowCount: () => last?.rows.length ?? 0,
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
