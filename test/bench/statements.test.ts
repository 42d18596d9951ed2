import { describe, expect, it } from 'vitest';
import { measureStatements } from '../../scripts/bench/fig-statements.js';
import { testDistDir } from '../support/dist.js';

// Smoke test of figure 1 at quick size: the counts come from the statement log, so this proves
// the bench counts what the procedures issue (no timings are asserted).
describe('bench figure 1 (statements per run)', () => {
  it('counts 3 for ours with nothing in the window, 5 in steady state, 4 per further batch of a backlog; 6 for the seed flow always', () => {
    const rows = measureStatements({ quick: true, distDir: testDistDir(), root: '.', progress: () => undefined });
    const by = (prefix: string) => {
      const r = rows.find((x) => x.scenario.startsWith(prefix));
      if (!r) throw new Error(`no scenario starting with '${prefix}'`);
      return r;
    };
    // The first run of a sync: state read, legacy watermark, close legacy RUNNING rows, DESCRIBE ×2, window, state row, log.
    expect(by('first run ever').ours.statements).toBe(8);
    expect(by('idle').ours.statements).toBe(3);
    expect(by('first full load').ours.statements).toBe(5);
    expect(by('steady state with changes').ours.statements).toBe(5);
    expect(by('steady state with changes').ours.merged).toBe(200);
    expect(by('no new changes').ours.statements).toBe(5);
    expect(by('no new changes').ours.merged).toBe(0);
    // Without a lookback nothing lies past the last watermark: state, window, one finished control row.
    expect(by('no new changes, lookback 0').ours.statements).toBe(3);
    // 250k rows in batches of 100k: state, window, 3 × (claim, MERGE, log), 2 next-batch windows.
    expect(by('backlog').ours.statements).toBe(2 + 3 * 3 + 2);
    expect(by('backlog').ours.merged).toBe(250_000);
    for (const r of rows) expect(r.seed.statements).toBe(6);
    // Both flows see the same data: the same rows are merged in every scenario.
    for (const r of rows) expect(r.seed.merged).toBe(r.ours.merged);
  });
});
