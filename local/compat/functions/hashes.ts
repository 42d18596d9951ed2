/**
 * Hash and identifier functions DuckDB lacks under Snowflake's names. MD5 and SHA1 agree in both
 * engines (hexadecimal text, lower case).
 * - MD5_HEX, SHA1_HEX: MD5 and SHA1 (https://docs.snowflake.com/en/sql-reference/functions/md5,
 *   https://docs.snowflake.com/en/sql-reference/functions/sha1).
 * - SHA2 / SHA2_HEX(x [, 256]) (https://docs.snowflake.com/en/sql-reference/functions/sha2): the
 *   SHA-256 digest in hexadecimal; the 224, 384 and 512 bit digests are not implemented (the
 *   engine has no such function).
 * - UUID_STRING() (https://docs.snowflake.com/en/sql-reference/functions/uuid_string): a random
 *   version-4 UUID as text; the named (version-5) form UUID_STRING(uuid, name) is not implemented.
 */
import type { FunctionFamily } from './family.js';

const SHA2 = `CASE WHEN n = 256 THEN sha256(x) WHEN n IN (224, 384, 512) THEN CAST(SF_RAISE('SF_LOCAL_NOT_IMPLEMENTED:SHA2 of ' || n || ' bits (only 256)') AS VARCHAR) ` +
  `ELSE CAST(SF_RAISE('SF_LOCAL_ERROR:100089:22023:Invalid digest size ' || n || ' for function SHA2') AS VARCHAR) END`;

export const hashes: FunctionFamily = {
  name: 'hashes (MD5_HEX, SHA1_HEX, SHA2, SHA2_HEX, UUID_STRING)',
  setup: [
    `CREATE OR REPLACE MACRO MD5_HEX(x) AS md5(x)`,
    `CREATE OR REPLACE MACRO SHA1_HEX(x) AS sha1(x)`,
    `CREATE OR REPLACE MACRO SHA2(x) AS sha256(x), (x, n) AS ${SHA2}`,
    `CREATE OR REPLACE MACRO SHA2_HEX(x) AS sha256(x), (x, n) AS ${SHA2}`,
    `CREATE OR REPLACE MACRO UUID_STRING() AS CAST(uuid() AS VARCHAR), ` +
      `(u, name) AS CAST(SF_RAISE('SF_LOCAL_NOT_IMPLEMENTED:UUID_STRING with a namespace and a name (version 5 UUIDs)') AS VARCHAR)`,
  ],
};
