/**
 * README "Your own tables" runs as printed: its commands (through the same entry points as
 * `npm run sql/deploy/status`), its config file (which must be examples/own-tables/hybrid-sync.toml)
 * and its CALL, on the local runtime, end with three healthy syncs and replicas equal to their
 * sources. If the README and the code drift apart, this fails.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake } from '../../local/index.js';
import { deployMain } from '../../scripts/deploy.js';
import { sqlMain } from '../../scripts/sql.js';
import { statusMain } from '../../scripts/status.js';
import { capture, snowflakeHome } from './support.js';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no section "## ${title}"`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

function blocks(text: string, lang: string): string[] {
  return [...text.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1] as string);
}

/** A command line as a shell splits it: words, quotes removed, `#` comments dropped. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(#.*$)|([^\s"'#]+))/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null && m[0] !== '') {
    if (m[3] !== undefined) break;
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[4] ?? ''));
  }
  return out;
}

const own = section('Your own tables');
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-readme-'));
  // The `local` connection points at a closed port, so each command starts its own server on the test's file.
  const home = snowflakeHome({ 'connections.toml': { text: '[local]\naccount = "local"\nuser = "dev"\npassword = "dev"\nhost = "127.0.0.1"\nport = 9\nprotocol = "http"\n' } });
  env = { SNOWFLAKE_HOME: home, HYBRID_SYNC_LOCAL_DB: path.join(dir, 'local.duckdb') };
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('README "Your own tables"', () => {
  it('prints examples/own-tables/hybrid-sync.toml as it is', () => {
    expect(blocks(own, 'toml')).toEqual([fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'own-tables', 'hybrid-sync.toml'), 'utf8')]);
  });

  it('its commands and its CALL run as printed: three healthy syncs, each replica equal to its source', async () => {
    const commands = blocks(own, 'sh')[0]?.split('\n').filter((l) => l.trim() !== '') ?? [];
    expect(commands.length).toBeGreaterThanOrEqual(3);
    const mains: Record<string, (argv: string[], io: ReturnType<typeof capture>) => Promise<number>> = {
      sql: (argv, io) => sqlMain(argv, { out: (t) => io.out(t), err: (t) => io.err(t) }, env),
      deploy: (argv, io) => deployMain(argv, io, env),
      status: (argv, io) => statusMain(argv, io, env),
    };
    const outputs: string[] = [];
    for (const line of commands) {
      const w = words(line);
      expect(w.slice(0, 2), line).toEqual(['npm', 'run']);
      const main = mains[w[2] as string];
      if (!main) throw new Error(`README runs npm run ${w[2]}, which this test does not know`);
      const io = capture();
      const code = await main(w[3] === '--' ? w.slice(4) : [], io);
      expect(code, `${line}\n${io.text()}`).toBe(0);
      outputs.push(io.text());
    }
    const overview = outputs.find((o) => /3 syncs of examples\/own-tables\/hybrid-sync\.toml/.test(o)) ?? '';
    expect(overview).toMatch(/^HEALTHY \(exit 0\)$/m);
    for (const name of ['orders', 'customers', 'events']) expect(overview).toMatch(new RegExp(`^  ${name} +HEALTHY +started `, 'm'));

    const sf = LocalSnowflake.open({ path: env.HYBRID_SYNC_LOCAL_DB as string });
    try {
      const s = sf.session({ name: 'readme' });
      const [call] = blocks(own, 'sql');
      const result = s.execute((call as string).trim()).rows[0]?.[0] as { status: string; syncName: string };
      expect(result).toMatchObject({ status: 'SUCCESS', syncName: 'orders' });
      const all = (sql: string): string[] => s.execute(sql).rows.map((r) => JSON.stringify(r));
      expect(all('SELECT * FROM ORDERS_REPLICA ORDER BY ORDER_ID, LINE_NO')).toEqual(all('SELECT * FROM ORDERS ORDER BY ORDER_ID, LINE_NO'));
      expect(all('SELECT * FROM "Customers_Replica" ORDER BY "CustomerId"')).toEqual(all('SELECT * FROM "Customers" ORDER BY "CustomerId"'));
      expect(all('SELECT * FROM EVENTS_REPLICA ORDER BY EVENT_ID')).toEqual(all('SELECT * FROM EVENTS ORDER BY EVENT_ID'));
      expect(all('SELECT COUNT(*) FROM ORDERS_REPLICA')).toEqual(['[3]']);
    } finally {
      sf.close();
    }
  });
});
