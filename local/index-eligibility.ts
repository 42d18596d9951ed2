import type { HybridAccess, HybridTableIndexes } from './host.js';
import type { Statement } from './sql-text.js';
export function auditHybridAccess(_s: Statement, _tables: ReadonlyMap<string, HybridTableIndexes>): HybridAccess[] | undefined {
  return undefined;
}
