/**
 * Text edits that see only SQL code: string literals, quoted identifiers, comments and `$$`
 * bodies are masked first, so a pattern can never match inside them.
 */
import { segments, tokenize, type Token } from '../sql-text.js';

const MASK = '\u0001';

/**
 * The text with every character inside literals, quoted identifiers and comments replaced by a
 * mask character (delimiters kept), so positions stay the same as in the input.
 */
export function mask(sql: string): string {
  return segments(sql)
    .map((s) => {
      if (s.kind === 'code') return s.text;
      if (s.kind === 'comment') return ' '.repeat(s.text.length);
      const open = s.kind === 'dollar' ? 2 : 1;
      if (s.text.length <= open * 2) return s.text;
      return s.text.slice(0, open) + MASK.repeat(s.text.length - open * 2) + s.text.slice(-open);
    })
    .join('');
}

/**
 * Replaces matches of `pattern` (global) found in the masked text. `replace` gets the original
 * text of the match and the match itself (on masked text, for groups made only of code).
 */
export function replaceInCode(
  sql: string,
  pattern: RegExp,
  replace: (original: string, match: RegExpExecArray) => string,
): string {
  const masked = mask(sql);
  const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g');
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(masked)) !== null) {
    out += sql.slice(last, m.index) + replace(sql.slice(m.index, m.index + m[0].length), m);
    last = m.index + m[0].length;
    if (m[0].length === 0) re.lastIndex++;
  }
  return last === 0 ? sql : out + sql.slice(last);
}

/** Index of the parenthesis closing the one at `open` (in masked text), or -1. */
export function closingParen(masked: string, open: number): number {
  let depth = 0;
  for (let i = open; i < masked.length; i++) {
    if (masked[i] === '(') depth++;
    else if (masked[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Splits on commas outside (), [] and {} (positions from masked text, pieces from original). */
export function splitTopLevel(sql: string): string[] {
  const masked = mask(sql);
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < masked.length; i++) {
    const ch = masked[i];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(sql.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(sql.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * The trimmed, non-empty top-level arguments of the call whose parentheses enclose
 * sql[start, end), as [from, to) positions: `splitTopLevel` without copying the text.
 */
export function argumentRanges(sql: string, masked: string, start: number, end: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const push = (from: number, to: number): void => {
    while (from < to && /\s/.test(sql[from] as string)) from++;
    while (to > from && /\s/.test(sql[to - 1] as string)) to--;
    if (to > from) ranges.push([from, to]);
  };
  let depth = 0;
  let piece = start;
  for (let i = start; i < end; i++) {
    const ch = masked[i];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      push(piece, i);
      piece = i + 1;
    }
  }
  push(piece, end);
  return ranges;
}

/**
 * `NAME(` → `SF_NAME(` for each function name in `names` (upper-case), read from tokens: a
 * Snowflake function whose DuckDB namesake means something else is a macro named SF_NAME, so
 * DuckDB's own function (which its built-in macros may call) keeps its name.
 */
export function renameCalls(sql: string, names: ReadonlySet<string>): string {
  const code = tokenize(sql).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  let out = sql;
  for (let i = code.length - 2; i >= 0; i--) {
    const t = code[i] as Token;
    if (t.kind === 'word' && names.has(t.text.toUpperCase()) && code[i + 1]?.text === '(' && code[i - 1]?.text !== '.') {
      out = `${out.slice(0, t.start)}SF_${t.text.toUpperCase()}${out.slice(t.start + t.text.length)}`;
    }
  }
  return out;
}
