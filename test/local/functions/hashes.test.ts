/**
 * MD5_HEX, SHA1_HEX, SHA2, SHA2_HEX, UUID_STRING (local/compat/functions/hashes.ts). The digests
 * are the standard ones (https://docs.snowflake.com/en/sql-reference/functions/md5,
 * https://docs.snowflake.com/en/sql-reference/functions/sha1,
 * https://docs.snowflake.com/en/sql-reference/functions/sha2: hexadecimal text), so node's crypto
 * gives the expected values.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSnowflake, type LocalSession } from '../../../local/index.js';
import { failureOf } from '../../support/failure.js';

let sf: LocalSnowflake;
let s: LocalSession;
beforeAll(() => {
  sf = LocalSnowflake.open({ timezone: 'UTC' });
  s = sf.session();
});
afterAll(() => sf.close());
const row = (sql: string): unknown[] => s.execute(sql).rows[0] ?? [];
const hex = (algorithm: string, text: string): string => createHash(algorithm).update(text).digest('hex');

describe('hashes', () => {
  it('MD5, MD5_HEX, SHA1, SHA1_HEX, SHA2 and SHA2_HEX give the hexadecimal digest', () => {
    expect(row("SELECT MD5('Snowflake'), MD5_HEX('Snowflake'), SHA1('Snowflake'), SHA1_HEX('Snowflake')")).toEqual([
      hex('md5', 'Snowflake'),
      hex('md5', 'Snowflake'),
      hex('sha1', 'Snowflake'),
      hex('sha1', 'Snowflake'),
    ]);
    expect(row("SELECT SHA2('Snowflake'), SHA2('Snowflake', 256), SHA2_HEX('Snowflake')")).toEqual([hex('sha256', 'Snowflake'), hex('sha256', 'Snowflake'), hex('sha256', 'Snowflake')]);
  });

  it('SHA2 of 224, 384 or 512 bits is refused by name', () => {
    const e = failureOf(s, "SELECT SHA2('Snowflake', 512)");
    expect([e.code, e.state]).toEqual([9999, '0A000']);
    expect(e.message).toContain('SHA2 of 512 bits (only 256) is not implemented');
  });

  // https://docs.snowflake.com/en/sql-reference/functions/uuid_string: a random version-4 UUID.
  it('UUID_STRING() is a new version-4 UUID each call; the version-5 form is refused', () => {
    const [a, b] = row('SELECT UUID_STRING(), UUID_STRING()') as [string, string];
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
    expect(failureOf(s, "SELECT UUID_STRING('fe971b24-9572-4005-b22f-351e9c09274d', 'foo')").message).toContain('UUID_STRING with a namespace and a name');
  });
});
