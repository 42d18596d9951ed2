/**
 * What a statement kind matches, from one recognition of the statement (sql-text.ts `recognise`):
 * the statements a kind takes, and those it leaves to the kinds after it in the registry.
 */
import { expect } from 'vitest';
import type { StatementKind } from '../../../local/statements/kind.js';
import { STATEMENT_KINDS } from '../../../local/statements/registry.js';
import { recognise } from '../../../local/sql-text.js';

/** Asserts that `kind` takes each of `taken` and none of `left`; `left` then goes to a later kind. */
export function expectRecognition(kind: StatementKind, taken: readonly string[], left: readonly string[]): void {
  for (const sql of taken) expect(kind.match(recognise(sql)), sql).toBeDefined();
  const at = STATEMENT_KINDS.indexOf(kind);
  expect(at).toBeGreaterThanOrEqual(0);
  for (const sql of left) {
    expect(kind.match(recognise(sql)), sql).toBeUndefined();
    // Nothing before it took it either: the statement reaches the kinds after this one.
    const first = STATEMENT_KINDS.findIndex((k) => k.match(recognise(sql)) !== undefined);
    expect(first, sql).toBeGreaterThan(at);
  }
}
