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
}

export interface Executed {
  sqlText: string;
  binds: Bind[];
}

class FakeResultSet implements ResultSet {
  private index = -1;
  constructor(private readonly rows: Row[], private readonly sql: string) {}
  private columns(): string[] {
    return this.rows.length ? Object.keys(this.rows[0] as Row) : [];
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
    if (name === undefined || !(name in row)) throw new Error(`no column ${String(col)} in result of: ${this.sql}`);
    return row[name] as ColumnValue;
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
    return new FakeResultSet(this.answer(command).rows, command.sqlText);
  }

  createStatement(command: SqlCommand): Statement {
    let last: { rows: Row[]; rule: Rule } | null = null;
    const fake = this;
    const counts = () => last?.rule.counts ?? {};
    const stmt: Statement = {
      execute(): ResultSet {
        last = fake.answer(command);
        return new FakeResultSet(last.rows, command.sqlText);
      },
      getColumnCount: () => 0,
      getColumnScale: () => 0,
      getColumnSqlType: () => 'TEXT',
      getColumnType: () => 'string',
      isColumnNullable: () => true,
      getColumnName: () => '',
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
