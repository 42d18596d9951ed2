/**
 * The index-eligibility audit of statements on hybrid tables, for the statement log.
 *
 * Snowflake's rule (https://docs.snowflake.com/en/user-guide/tables-hybrid-index): an index can
 * reduce the rows a query scans when a predicate on the index's leading column uses `=`, `>`,
 * `>=`, `<`, `<=`, `[NOT] IN` or `[NOT] BETWEEN` — here, against a constant or a bind (any
 * expression that reads no column: literals, binds, functions of them, an uncorrelated scalar
 * subquery). The indexes are the primary key, UNIQUE constraints and secondary indexes
 * (`INDEX name (cols)`, `CREATE INDEX`).
 *
 * Each access of a statement to a hybrid table (FROM / JOIN / USING, the target of UPDATE,
 * DELETE and MERGE) is recorded with whether it is eligible and by which index and predicate:
 * - eligible by a predicate of its WHERE, or of the ON of its JOIN or MERGE, in the rule's form;
 * - eligible by a join (`byJoin`): the leading key column equals a column of the other side of
 *   the join or MERGE (a keyed lookup per row of the other side). The documentation's rule names
 *   constants and binds only; this extension is flagged so a test can tell the two apart;
 * - trivially eligible: `INSERT … VALUES` (writes by key, reads nothing) and an access with
 *   `LIMIT 0` (reads no row);
 * - otherwise not eligible (a full scan).
 * The audit reads the statement text; it does not see DuckDB's plan (DuckDB's own use of its
 * indexes differs and is not what this checks).
 */
import type { HybridAccess, HybridTableIndexes } from './host.js';
import { canonicalIdentifier, tokenize, type Statement, type Token } from './sql-text.js';

const TABLE_BEFORE = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'USING']);
const NOT_ALIAS = new Set([
  'WHERE', 'ON', 'JOIN', 'LEFT', 'RIGHT', 'INNER', 'OUTER', 'FULL', 'CROSS', 'NATURAL', 'SET', 'USING', 'GROUP', 'ORDER', 'LIMIT',
  'UNION', 'EXCEPT', 'INTERSECT', 'MINUS', 'WHEN', 'VALUES', 'SELECT', 'HAVING', 'QUALIFY', 'WINDOW', 'LATERAL', 'AS', 'SAMPLE',
]);
const CLAUSE_END = new Set(['GROUP', 'ORDER', 'LIMIT', 'HAVING', 'QUALIFY', 'UNION', 'EXCEPT', 'INTERSECT', 'MINUS', 'WHEN', 'WINDOW', 'JOIN', 'LEFT', 'RIGHT', 'INNER', 'FULL', 'CROSS', 'NATURAL', 'RETURNING', 'SET']);
const CONSTANT_WORDS = new Set(['NULL', 'TRUE', 'FALSE', 'AND', 'OR', 'NOT', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'IS', 'INTERVAL', 'DISTINCT', 'FROM']);
const DATE_PART_FUNCTIONS = new Set(['DATEADD', 'TIMESTAMPADD', 'DATEDIFF', 'TIMESTAMPDIFF', 'DATE_TRUNC', 'DATE_PART', 'EXTRACT']);
const COMPARISON = new Set(['=', '<', '<=', '>', '>=']);

interface Tok {
  t: Token;
  upper: string;
  depth: number;
}

/** The accesses of a statement to hybrid tables; undefined when it touches none. */
export function auditHybridAccess(statement: Statement, tables: ReadonlyMap<string, HybridTableIndexes>): HybridAccess[] | undefined {
  const toks = withDepth(tokenize(statement.sql).filter((t) => t.kind !== 'space' && t.kind !== 'comment'));
  const out: HybridAccess[] = [];
  toks.forEach((tok, i) => {
    if (tok.t.kind !== 'word' && tok.t.kind !== 'quoted') return;
    const prev = toks[i - 1];
    if (!prev || !(TABLE_BEFORE.has(prev.upper) || (prev.t.text === ',' && inFromList(toks, i - 1)))) return;
    if (toks[i + 1]?.t.text === '.' || (toks[i + 1]?.t.text === '(' && prev.upper !== 'INTO')) return;
    const info = tables.get(canonicalIdentifier(tok.t.text));
    if (!info) return;
    out.push(audit(toks, i, prev.upper, info));
  });
  return out.length > 0 ? out : undefined;
}

function withDepth(tokens: Token[]): Tok[] {
  let depth = 0;
  return tokens.map((t) => {
    if (t.text === ')') depth--;
    const tok = { t, upper: t.kind === 'word' ? t.text.toUpperCase() : t.text, depth };
    if (t.text === '(') depth++;
    return tok;
  });
}

/** Whether the comma at `i` separates tables of a FROM list (a FROM precedes it at its depth, before any WHERE). */
function inFromList(toks: Tok[], i: number): boolean {
  const depth = (toks[i] as Tok).depth;
  for (let j = i - 1; j >= 0; j--) {
    const t = toks[j] as Tok;
    if (t.depth < depth) return false;
    if (t.depth > depth) continue;
    if (t.upper === 'FROM') return true;
    if (t.upper === 'SELECT' || t.upper === 'WHERE' || t.upper === 'ON' || t.upper === 'SET' || t.upper === 'VALUES') return false;
  }
  return false;
}

function audit(toks: Tok[], at: number, before: string, info: HybridTableIndexes): HybridAccess {
  const table = info.table;
  const depth = (toks[at] as Tok).depth;
  // The scope: the tokens at this depth (and deeper) around the table, inside the enclosing parentheses.
  let from = at;
  while (from > 0 && (toks[from - 1] as Tok).depth >= depth) from--;
  let to = at;
  while (to + 1 < toks.length && (toks[to + 1] as Tok).depth >= depth) to++;
  const statementKind = (toks[from] as Tok).upper;
  if (before === 'INTO' && statementKind === 'INSERT') return { table, kind: 'insert', eligible: true, predicate: 'INSERT (writes by key, reads no row)' };
  // Alias: the next word that is not a keyword (after an optional AS).
  let j = at + 1;
  if (toks[j]?.upper === 'AS') j++;
  const aliasTok = toks[j];
  const alias = aliasTok && (aliasTok.t.kind === 'word' || aliasTok.t.kind === 'quoted') && aliasTok.depth === depth && !NOT_ALIAS.has(aliasTok.upper) ? canonicalIdentifier(aliasTok.t.text) : undefined;
  const names = new Set([table, ...(alias ? [alias] : [])]);
  for (let k = at; k <= to; k++) {
    const t = toks[k] as Tok;
    if (t.depth === depth && t.upper === 'LIMIT' && toks[k + 1]?.t.text === '0') return { table, kind: 'read', eligible: true, predicate: 'LIMIT 0 (reads no row)' };
  }
  // Conditions at this level: every WHERE, and the ON clauses (the JOIN's own ON, or MERGE's).
  let byJoin: HybridAccess | undefined;
  for (let k = from; k <= to; k++) {
    const t = toks[k] as Tok;
    if (t.depth !== depth || (t.upper !== 'WHERE' && t.upper !== 'ON')) continue;
    let end = k + 1;
    while (end <= to && !((toks[end] as Tok).depth === depth && CLAUSE_END.has((toks[end] as Tok).upper))) end++;
    for (const conjunct of conjuncts(toks.slice(k + 1, end), depth)) {
      const found = eligible(conjunct, names, info);
      if (found && !found.byJoin) return { table, kind: 'read', eligible: true, index: found.index, predicate: found.text };
      if (found && !byJoin) byJoin = { table, kind: 'read', eligible: true, index: found.index, predicate: found.text, byJoin: true };
    }
  }
  return byJoin ?? { table, kind: 'read', eligible: false };
}

/** The AND-separated parts of a condition at `depth` (the AND of a BETWEEN stays in its part). */
function conjuncts(toks: Tok[], depth: number): Tok[][] {
  const parts: Tok[][] = [];
  let current: Tok[] = [];
  let between = false;
  for (const t of toks) {
    if (t.depth === depth && t.upper === 'BETWEEN') between = true;
    if (t.depth === depth && t.upper === 'AND') {
      if (between) between = false;
      else {
        parts.push(current);
        current = [];
        continue;
      }
    }
    if (t.depth === depth && t.upper === 'OR') return []; // a disjunction at the top: no single predicate bounds the scan
    current.push(t);
  }
  parts.push(current);
  return parts;
}

/** The column a conjunct's operand names, when it is one of `names`' columns: [column, tokens used]. */
function columnOf(toks: Tok[], names: Set<string>): string | undefined {
  const words = toks.map((t) => t.t);
  if (words.length === 1 && (words[0]?.kind === 'word' || words[0]?.kind === 'quoted')) return canonicalIdentifier((words[0] as Token).text);
  if (words.length === 3 && words[1]?.text === '.' && names.has(canonicalIdentifier((words[0] as Token).text))) return canonicalIdentifier((words[2] as Token).text);
  return undefined;
}

/** Whether an expression reads no column (literals, binds, functions of them, uncorrelated subqueries). */
function isConstant(toks: Tok[], names: Set<string>): boolean {
  if (toks.length === 0) return false;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Tok;
    if (t.upper === 'SELECT') {
      // A scalar subquery: constant unless it refers to the accessed table by name or alias.
      const base = t.depth;
      let k = i;
      while (k < toks.length && (toks[k] as Tok).depth >= base) {
        const s = toks[k] as Tok;
        if ((s.t.kind === 'word' || s.t.kind === 'quoted') && toks[k + 1]?.t.text === '.' && names.has(canonicalIdentifier(s.t.text))) return false;
        k++;
      }
      i = k - 1;
      continue;
    }
    if (t.t.kind !== 'word' && t.t.kind !== 'quoted') continue;
    if (toks[i + 1]?.t.text === '(') continue; // a function name
    if (toks[i - 1]?.upper === 'AS' || toks[i - 1]?.t.text === '::') continue; // a type: CAST(… AS type), x::type
    if (t.t.kind === 'word' && CONSTANT_WORDS.has(t.upper)) continue;
    // A bare date part: DATEADD(day, …), DATE_TRUNC(hour, …).
    if (t.t.kind === 'word' && toks[i - 1]?.t.text === '(' && DATE_PART_FUNCTIONS.has(toks[i - 2]?.upper ?? '')) continue;
    return false;
  }
  return true;
}

/** The index a conjunct makes the access eligible for, if it has the rule's form. */
function eligible(conjunct: Tok[], names: Set<string>, info: HybridTableIndexes): { index: string; text: string; byJoin: boolean } | undefined {
  const depth = conjunct[0]?.depth ?? 0;
  const text = conjunct.map((t) => t.t.text).join(' ').replace(/ ([.,()])/g, '$1').replace(/([.(]) /g, '$1');
  const leading = (column: string): string | undefined => info.indexes.find((ix) => ix.columns[0] === column)?.name;
  const at = conjunct.findIndex((t) => t.depth === depth && (COMPARISON.has(t.t.text) || t.upper === 'IN' || t.upper === 'BETWEEN' || t.upper === 'NOT'));
  if (at <= 0) return undefined;
  const left = conjunct.slice(0, at);
  const op = conjunct[at] as Tok;
  let rightStart = at + 1;
  let operator = op.upper;
  if (operator === 'NOT') {
    operator = conjunct[at + 1]?.upper ?? '';
    rightStart++;
    if (operator !== 'IN' && operator !== 'BETWEEN') return undefined;
  }
  const right = conjunct.slice(rightStart);
  if (COMPARISON.has(operator)) {
    for (const [col, other] of [
      [left, right],
      [right, left],
    ] as Array<[Tok[], Tok[]]>) {
      const column = columnOf(col, names);
      const index = column !== undefined ? leading(column) : undefined;
      if (index === undefined) continue;
      if (isConstant(other, names)) return { index, text, byJoin: false };
      const otherColumn = other.length === 3 && other[1]?.t.text === '.' && !names.has(canonicalIdentifier((other[0] as Tok).t.text));
      if (operator === '=' && otherColumn) return { index, text, byJoin: true };
    }
    return undefined;
  }
  const column = columnOf(left, names);
  const index = column !== undefined ? leading(column) : undefined;
  if (index === undefined) return undefined;
  if (operator === 'IN') {
    // IN (list): a list of constants, not a subquery.
    if (right[0]?.t.text !== '(' || right[1]?.upper === 'SELECT' || right[1]?.upper === 'WITH') return undefined;
    return isConstant(right.slice(1, -1).filter((t) => t.t.text !== ','), names) ? { index, text, byJoin: false } : undefined;
  }
  if (operator === 'BETWEEN') {
    const and = right.findIndex((t) => t.depth === depth && t.upper === 'AND');
    if (and < 0) return undefined;
    return isConstant(right.slice(0, and), names) && isConstant(right.slice(and + 1), names) ? { index, text, byJoin: false } : undefined;
  }
  return undefined;
}
