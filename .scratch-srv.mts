import snowflake from 'snowflake-sdk';
import { startServer } from './local/server/server.ts';
snowflake.configure({ logLevel: 'ERROR' } as never);
const server = await startServer({ port: 0, schedule: false, credentials: { user: 'dev', password: 'dev' } });
const c = snowflake.createConnection({ account: 'local', username: 'dev', password: 'dev', accessUrl: server.url, sfRetryMaxLoginRetries: 0 } as snowflake.ConnectionOptions);
await new Promise((res, rej) => c.connect((e) => (e ? rej(e) : res(null))));
for (const q of [`SELECT PARSE_JSON('{"a":1}') AS O, PARSE_JSON('{"n": 5}'):n AS N, PARSE_JSON('"x"') AS S`]) {
  await new Promise((res) => c.execute({ sqlText: q, complete: (e, st, rows) => { console.log(e?.message, JSON.stringify(rows), st.getColumns()?.map(x=>x.getType())); res(null); } }));
}
await server.close(); process.exit(0);
