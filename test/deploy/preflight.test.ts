/**
 * Pre-flight on the local runtime: an existing source must be a hybrid table with the configured
 * columns and an index leading with the watermark, checked before anything is changed; the
 * missing index is created with --create-index; the replica's old watermark index is reported,
 * never dropped. And a deploy that failed half-way is finished by running it again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalSnowflake } from '../../local/index.js';
import { NAMES, OBJECTS } from '../../manifest/objects.js';
import { DeployError } from '../../scripts/lib/errors.js';
import type { LocalClient } from '../../scripts/lib/local-client.js';
import { ALWAYS_TASKS, deployInto, freshLocal, PROCEDURE_NAMES } from './support.js';

/** Procedures in the order deploy installs them. */
const PROCEDURE_ORDER = OBJECTS.filter((o) => o.kind === 'procedure').map((o) => o.name);

let sf: LocalSnowflake;
let client: LocalClient;
afterEach(async () => {
  await client?.close();
  sf?.close();
});

/** The seed's source columns, as a CREATE statement body. */
const COLUMNS = `"PIPELINE_RUN_ID" NUMBER(38,0) NOT NULL, "PIPELINE_NAME" VARCHAR(255) NOT NULL, "RUN_STATUS" VARCHAR(20) NOT NULL,
  "TRIGGERED_BY" VARCHAR(100), "START_TIME" TIMESTAMP_NTZ(9), "END_TIME" TIMESTAMP_NTZ(9), "ROWS_READ" NUMBER(38,0), "ROWS_WRITTEN" NUMBER(38,0),
  "ERROR_MESSAGE" VARCHAR(4000), "CREATED_AT" TIMESTAMP_NTZ(9) DEFAULT SYSDATE() NOT NULL, "LAST_UPDATE_DATE" TIMESTAMP_NTZ(9) DEFAULT SYSDATE() NOT NULL`;

async function fails(argv: string[] = []): Promise<DeployError> {
  const e = await deployInto(client, argv).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(DeployError);
  return e as DeployError;
}

/** Nothing of deploy's own objects was created. */
function nothingCreated(): void {
  expect(sf.procedureNames()).toEqual([]);
}

describe('pre-flight of an existing source', () => {
  it('not a hybrid table: stops before any change, says why and how to fix', async () => {
    ({ sf, client } = freshLocal());
    await client.query(`CREATE TABLE "${NAMES.source}" (${COLUMNS})`); // no PRIMARY KEY: not a hybrid table
    const e = await fails();
    expect(e.kind).toBe('preflight');
    expect(e.message).toContain(`The existing source table ${NAMES.source} cannot be synced as it is; nothing was changed`);
    expect(e.message).toContain('it is not a hybrid table (SHOW TABLES: is_hybrid = N)');
    expect(e.message).toContain("state: nothing was changed.");
    expect(e.fix).toContain('CREATE HYBRID TABLE');
    nothingCreated();
    expect((await client.query(`SHOW TASKS LIKE '${NAMES.syncTask}'`)).rows).toEqual([]);
  });

  it('a configured column missing, another of another type: each named', async () => {
    ({ sf, client } = freshLocal());
    const cols = COLUMNS.replace(/"ROWS_WRITTEN" NUMBER\(38,0\),\s*/, '').replace('"ROWS_READ" NUMBER(38,0)', '"ROWS_READ" VARCHAR(20)');
    await client.query(`CREATE HYBRID TABLE "${NAMES.source}" (${cols}, PRIMARY KEY ("PIPELINE_RUN_ID"), INDEX IDX_W ("LAST_UPDATE_DATE"))`);
    const e = await fails();
    expect(e.message).toContain('column ROWS_WRITTEN (NUMBER(38,0)) is missing');
    expect(e.message).toContain('column ROWS_READ is VARCHAR(20), the sync is configured for NUMBER(38,0)');
    nothingCreated();
  });

  it('no index leading with the watermark: stops with the statement to run; --create-index creates it and deploys', async () => {
    ({ sf, client } = freshLocal());
    await client.query(`CREATE HYBRID TABLE "${NAMES.source}" (${COLUMNS}, PRIMARY KEY ("PIPELINE_RUN_ID"), INDEX IDX_NAME ("PIPELINE_NAME", "LAST_UPDATE_DATE"))`);
    const e = await fails();
    expect(e.message).toContain('no index leads with the watermark LAST_UPDATE_DATE');
    expect(e.fix).toContain('re-run with --create-index, or run: CREATE INDEX IF NOT EXISTS "IDX_ETL_PIPELINE_RUN_HISTORY_LOG_LAST_UPDATE_DATE" ON "ETL_PIPELINE_RUN_HISTORY_LOG" ("LAST_UPDATE_DATE");');
    nothingCreated();

    const ok = await deployInto(client, ['--create-index']);
    expect(ok.report.statements).toContain('CREATE INDEX IF NOT EXISTS "IDX_ETL_PIPELINE_RUN_HISTORY_LOG_LAST_UPDATE_DATE" ON "ETL_PIPELINE_RUN_HISTORY_LOG" ("LAST_UPDATE_DATE")');
    const idx = (await client.query(`SHOW INDEXES IN TABLE "${NAMES.source}"`)).rows.map((r) => [r.name, r.columns]);
    expect(idx).toContainEqual(['IDX_ETL_PIPELINE_RUN_HISTORY_LOG_LAST_UPDATE_DATE', '[LAST_UPDATE_DATE]']);
    expect(ok.verified?.tasks.map((t) => [t.name, t.state])).toEqual(ALWAYS_TASKS.map((t) => [t, 'started']));
  });

  it('a source deploy created passes, and extra source columns are only noted', async () => {
    ({ sf, client } = freshLocal());
    await deployInto(client);
    await client.query(`ALTER TABLE "${NAMES.source}" ADD COLUMN "NOTE" VARCHAR(10)`);
    const again = await deployInto(client);
    expect(again.preflight?.sourceExists).toBe(true);
    expect(again.report.infos).toContain('source has columns the sync does not copy: NOTE');
  });

  it("the replica's old watermark index is reported with the statement to drop it, and kept", async () => {
    ({ sf, client } = freshLocal());
    await client.query(`CREATE HYBRID TABLE "${NAMES.replica}" (${COLUMNS.replace(/ DEFAULT SYSDATE\(\)/g, '')}, PRIMARY KEY ("PIPELINE_RUN_ID"), INDEX "IDX_OLD_W" ("LAST_UPDATE_DATE"))`);
    const r = await deployInto(client);
    expect(r.report.infos.some((l) => l.includes(`replica ${NAMES.replica} has index IDX_OLD_W on LAST_UPDATE_DATE, which no query of the sync uses`) && l.includes(`DROP INDEX "${NAMES.replica}"."IDX_OLD_W"`))).toBe(true);
    expect((await client.query(`SHOW INDEXES IN TABLE "${NAMES.replica}"`)).rows.map((x) => x.name)).toContain('IDX_OLD_W');
    // A new deployment's replica has no watermark index.
    ({ sf, client } = await (async () => {
      await client.close();
      sf.close();
      return freshLocal();
    })());
    await deployInto(client);
    expect((await client.query(`SHOW INDEXES IN TABLE "${NAMES.replica}"`)).rows).toEqual([]);
  });
});

describe('a deploy that failed half-way', () => {
  it('is finished by running it again: the failure says what was applied, the re-run ends verified', async () => {
    ({ sf, client } = freshLocal());
    await deployInto(client);
    sf.faults.failNth(/^CREATE OR REPLACE PROCEDURE HYBRID_SYNC_TABLE/, 1, { code: 3001, state: '42501', message: "SQL access control error:\nInsufficient privileges to operate on schema 'PUBLIC'" });
    const e = await fails();
    expect(e.message).toContain("at step 5 'procedures'");
    const before = PROCEDURE_ORDER.indexOf(NAMES.genericProcedure);
    expect(e.message).toContain(`state: applied 1 context, 2 preflight, 3 suspend, 4 tables; not applied: 5 procedures (${before} of its statements or objects were applied), 6 views, 7 tasks, verify.`);
    for (const t of ALWAYS_TASKS) {
      expect(e.message).toContain(`task ${t}, suspended by step 'suspend', was resumed`);
      expect((await client.query(`SHOW TASKS LIKE '${t}'`)).rows.map((r) => r.state)).toEqual(['started']);
    }
    const again = await deployInto(client);
    expect(again.verified?.procedures.sort()).toEqual(PROCEDURE_NAMES);
    expect(again.verified?.tasks.map((t) => [t.name, t.state])).toEqual(ALWAYS_TASKS.map((t) => [t, 'started']));
  });
});
