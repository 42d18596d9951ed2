/**
 * Just enough lexing of Snowflake SQL text to split scripts and to rewrite code without touching
 * string literals, quoted identifiers, comments or `$$…$$` bodies.
 *
 * Lexical rules emulated (https://docs.snowflake.com/en/sql-reference/data-types-text#string-constants):
 * - `'…'` strings, with `''` and backslash escapes;
 * - `$$…$$` dollar-quoted strings (no escapes inside);
 * - `"…"` quoted identifiers with `""` for a quote;
 * - `--` and `//` line comments, `/* … *\/` block comments.
 */

/** A piece of SQL text: code, or something to leave exactly as it is. */
export interface Segment {
  kind: 'code' | 'string' | 'dollar' | 'ident' | 'comment';
  text: string;
}

/** Cuts SQL text into code and literal segments; concatenating the texts gives the input back. */
export function segments(sql: string): Segment[] {
  const out: Segment[] = [];
  let code = '';
  let i = 0;
  const flush = (): void => {
    if (code) out.push({ kind: 'code', text: code });
    code = '';
  };
  while (i < sql.length) {
    const ch = sql[i] as string;
    const next = sql[i + 1];
    if (ch === "'") {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === '\\') j += 2;
        else if (sql[j] === "'" && sql[j + 1] === "'") j += 2;
        else if (sql[j] === "'") break;
        else j++;
      }
      flush();
      out.push({ kind: 'string', text: sql.slice(i, j + 1) });
      i = j + 1;
    } else if (ch === '$' && next === '$') {
      const end = sql.indexOf('$$', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      flush();
      out.push({ kind: 'dollar', text: sql.slice(i, stop) });
      i = stop;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === '"' && sql[j + 1] === '"') j += 2;
        else if (sql[j] === '"') break;
        else j++;
      }
      flush();
      out.push({ kind: 'ident', text: sql.slice(i, j + 1) });
      i = j + 1;
    } else if ((ch === '-' && next === '-') || (ch === '/' && next === '/')) {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      flush();
      out.push({ kind: 'comment', text: sql.slice(i, stop) });
      i = stop;
    } else if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      flush();
      out.push({ kind: 'comment', text: sql.slice(i, stop) });
      i = stop;
    } else {
      code += ch;
      i++;
    }
  }
  flush();
  return out;
}

/**
 * Splits a script into statements on `;` outside literals and comments. Empty statements and
 * statements made only of comments are dropped; each statement keeps its own text, trimmed.
 *
 * @example splitStatements("SELECT 1; -- x\nSELECT ';'") // ['SELECT 1', "-- x\nSELECT ';'"]
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current: Segment[] = [];
  const push = (): void => {
    const hasCode = current.some((s) => s.kind !== 'comment' && s.text.trim() !== '');
    const text = current.map((s) => s.text).join('').trim();
    if (hasCode) statements.push(text);
    current = [];
  };
  for (const seg of segments(sql)) {
    if (seg.kind !== 'code') {
      current.push(seg);
      continue;
    }
    const parts = seg.text.split(';');
    parts.forEach((part, index) => {
      if (index > 0) push();
      if (part) current.push({ kind: 'code', text: part });
    });
  }
  push();
  return statements;
}

/** Applies `fn` to every code segment and leaves literals, identifiers and comments alone. */
export function mapCode(sql: string, fn: (code: string) => string): string {
  return segments(sql)
    .map((s) => (s.kind === 'code' ? fn(s.text) : s.text))
    .join('');
}

/** The statement without comments, whitespace collapsed: for recognising its kind. */
export function normalized(sql: string): string {
  return segments(sql)
    .filter((s) => s.kind !== 'comment')
    .map((s) => s.text)
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The value of a single-quoted SQL string literal (`'it''s'` → `it's`). */
export function unquoteString(literal: string): string {
  const body = literal.slice(1, -1);
  return body.replace(/''/g, "'").replace(/\\(.)/g, (_m, c: string) => {
    const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f' };
    return escapes[c] ?? c;
  });
}

/** A SQL string literal holding `value`. */
export function quoteString(value: string): string {
  return "'" + value.replace(/'/g, "''") + "'";
}

/** An identifier as Snowflake stores it: unquoted names upper-cased, quoted names verbatim. */
export function canonicalIdentifier(name: string): string {
  const parts: string[] = [];
  for (const seg of segments(name.trim())) {
    if (seg.kind === 'ident') parts.push(seg.text.slice(1, -1).replace(/""/g, '"'));
    else parts.push(...seg.text.split('.').map((p) => p.trim().toUpperCase()));
  }
  // Keep the last name part: for columns; for procedures, tasks and alerts, whose statements
  // name them by one quoted key per schema (statements/kind.ts procedureKeyed). Table
  // names are resolved with their database and schema by compat/names.ts.
  const names = parts.filter((p) => p !== '');
  return names[names.length - 1] ?? '';
}

/** One token of SQL text. Concatenating every token's text gives the input back. */
export interface Token {
  kind: 'word' | 'quoted' | 'string' | 'dollar' | 'number' | 'bind' | 'variable' | 'op' | 'comment' | 'space';
  text: string;
  /** Offset of the token in the text it was cut from. */
  start: number;
}

const CODE_TOKEN = /\s+|[A-Za-z_][\w$]*|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|\?|:\d+|\$[A-Za-z_][\w$]*|::|<=|>=|<>|!=|=>|\|\||[\s\S]/gy;

/**
 * The tokens of SQL text, from {@link segments} (literals, quoted identifiers, comments and `$$`
 * bodies are one token each) with code cut into words, numbers, binds (`?`, `:1`), session
 * variables (`$name`), operators and whitespace.
 */
export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let at = 0;
  for (const seg of segments(sql)) {
    if (seg.kind !== 'code') {
      out.push({ kind: seg.kind === 'ident' ? 'quoted' : seg.kind, text: seg.text, start: at });
    } else {
      CODE_TOKEN.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = CODE_TOKEN.exec(seg.text)) !== null) {
        const text = m[0];
        const c = text[0] as string;
        const kind: Token['kind'] = /\s/.test(c)
          ? 'space'
          : /[A-Za-z_]/.test(c)
            ? 'word'
            : /[\d.]/.test(c) && text !== '.'
              ? 'number'
              : text === '?' || /^:\d/.test(text)
                ? 'bind'
                : c === '$' && text.length > 1
                  ? 'variable'
                  : 'op';
        out.push({ kind, text, start: at + m.index });
      }
    }
    at += seg.text.length;
  }
  return out;
}

/**
 * A statement as the runtime recognises it, lexed once: its code tokens (no comments or
 * whitespace), and its text without comments, with whitespace collapsed and trailing semicolons
 * dropped (`BEGIN;` is BEGIN), as given and upper-cased, for matching its kind.
 */
export interface Statement {
  /** The statement as the caller wrote it, without a trailing `;`. */
  readonly sql: string;
  readonly tokens: readonly Token[];
  readonly text: string;
  readonly upper: string;
}

/** Lexes a statement once for every statement kind to match against. */
export function recognise(given: string): Statement {
  let all = tokenize(given);
  // Snowflake takes one statement with a trailing `;` (`CREATE TABLE t (a INT);`, the sqlText of a
  // procedure's snowflake.execute): the statement kinds see it without.
  let end = all.length;
  while (end > 0 && (all[end - 1]?.kind === 'space' || all[end - 1]?.kind === 'comment' || all[end - 1]?.text === ';')) end--;
  const cut = all.slice(end).some((t) => t.text === ';');
  const sql = cut ? given.slice(0, all[end]?.start ?? given.length).trimEnd() : given;
  if (cut) all = tokenize(sql);
  const tokens = all.filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  const text = all
    .filter((t) => t.kind !== 'comment')
    .map((t) => t.text)
    .join('')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/(?:\s*;)+$/, '');
  return { sql, tokens, text, upper: text.toUpperCase() };
}
