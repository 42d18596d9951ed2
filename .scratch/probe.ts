import { readFileSync } from 'node:fs';
import { LocalSnowflake } from '../local/index.js';
const sf = LocalSnowflake.open({ timezone: 'America/Los_Angeles' });
const s = sf.session();
const qs = process.argv.slice(2).length ? process.argv.slice(2) : readFileSync(0,'utf8').split('\n;;\n');
for (const q of qs) {
  if (!q.trim()) continue;
  try { const r = s.execute(q); console.log('OK', q.slice(0,90).replace(/\s+/g,' '), '=>', JSON.stringify(r.columns.map(c=>c.name+':'+c.type)), JSON.stringify(r.rows.slice(0,5))); }
  catch (e) { console.log('ERR', q.slice(0,90).replace(/\s+/g,' '), '=>', (e as Error).message.slice(0,200)); }
}
sf.close();
