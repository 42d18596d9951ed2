/**
 * The statement kinds, in the order they are tried: the first whose `match` accepts a statement
 * runs it. Order matters where kinds overlap: the specific ones (CREATE PROCEDURE, CREATE TASK,
 * sequences …) come before the refusals, and the refusals before CREATE TABLE and the engine's
 * catch-all `query`. To add a kind: write `statements/<kind>.ts` exporting a `StatementKind`,
 * list it here, and test it in test/local/statements/<kind>.test.ts.
 */
import type { StatementKind } from './kind.js';
import { sessionVariables } from './variables.js';
import { transactions } from './transactions.js';
import { procedures } from './procedures.js';
import { call } from './call.js';
import { tasks } from './tasks.js';
import { alerts } from './alerts.js';
import { alterSession, use } from './session-parameters.js';
import { databases } from './databases.js';
import { catalog } from './catalog.js';
import { refused } from './refused.js';
import { show } from './show.js';
import { createTableKind } from './create-table.js';
import { merge } from './merge.js';
import { query } from './query.js';

export const STATEMENT_KINDS: readonly StatementKind[] = [
  sessionVariables,
  transactions,
  procedures,
  call,
  tasks,
  alerts,
  databases,
  use,
  alterSession,
  catalog,
  show,
  refused,
  createTableKind,
  merge,
  query,
];
