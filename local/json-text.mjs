// JSON text as Snowflake keeps a VARIANT: object keys sorted (the docs print every OBJECT with its
// keys in order, whatever order built it: https://docs.snowflake.com/en/sql-reference/functions/object_construct,
// https://docs.snowflake.com/en/sql-reference/functions/flatten), no whitespace, numbers and
// strings exactly as written. Plain JavaScript: the engine worker registers these as DuckDB
// functions (sf_json_parse, sf_json_sorted); engine.ts's callers never see them.
//
// `lenient` also takes what Snowflake's PARSE_JSON takes beyond strict JSON and this parser can
// represent: object keys without quotes (`{ name: "x" }`, as in the FLATTEN docs' example) and
// null/true/false in any case (`NULL`, as in https://docs.snowflake.com/en/sql-reference/data-types-semistructured).
// Elided array elements (`[1, ,77]`, Snowflake's "undefined") have no JSON form: refused.

export class JsonTextError extends Error {}
/** A form Snowflake's parser takes that has no local representation. */
export class JsonTextNotImplemented extends Error {}

/**
 * The canonical text of `text`.
 * A key given twice fails ("Duplicate field key"), unless `lastWins` (PARSE_JSON's 'd' parameter:
 * https://docs.snowflake.com/en/sql-reference/functions/parse_json), where the last one is kept.
 * @param {string} text
 * @param {boolean} lenient
 * @param {boolean} [lastWins]
 * @returns {string}
 */
export function canonicalJson(text, lenient, lastWins = false) {
  let at = 0;
  const fail = (what) => {
    throw new JsonTextError(`${what}, pos ${at}`);
  };
  const space = () => {
    while (at < text.length && /\s/.test(text[at])) at++;
  };
  const string = () => {
    const start = at;
    at++;
    while (at < text.length && text[at] !== '"') {
      if (text[at] === '\\') at++;
      else if (text.charCodeAt(at) < 0x20) fail('control character in string');
      at++;
    }
    if (at >= text.length) fail('unterminated string');
    at++;
    const raw = text.slice(start, at);
    try {
      JSON.parse(raw);
    } catch {
      fail('invalid string');
    }
    return raw;
  };
  const value = () => {
    space();
    const ch = text[at];
    if (ch === '{') {
      at++;
      const pairs = [];
      space();
      if (text[at] === '}') {
        at++;
        return '{}';
      }
      for (;;) {
        space();
        let key;
        if (text[at] === '"') key = JSON.parse(string());
        else {
          const m = lenient ? /^[A-Za-z_$][\w$]*/.exec(text.slice(at)) : null;
          if (!m) fail('expected a key');
          key = m[0];
          at += key.length;
        }
        space();
        if (text[at] !== ':') fail("expected ':'");
        at++;
        pairs.push([key, value()]);
        space();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === '}') {
          at++;
          break;
        }
        fail("expected ',' or '}'");
      }
      const byKey = new Map();
      for (const [k, v] of pairs) {
        if (byKey.has(k) && !lastWins) throw new JsonTextError(`Duplicate field key '${k}'`);
        byKey.set(k, v);
      }
      pairs.length = 0;
      pairs.push(...byKey.entries());
      pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
    }
    if (ch === '[') {
      at++;
      const items = [];
      space();
      if (text[at] === ']') {
        at++;
        return '[]';
      }
      for (;;) {
        space();
        if (text[at] === ',' || text[at] === ']') throw new JsonTextNotImplemented(`PARSE_JSON of an array with an elided element (Snowflake's undefined, pos ${at})`);
        items.push(value());
        space();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === ']') {
          at++;
          break;
        }
        fail("expected ',' or ']'");
      }
      return `[${items.join(',')}]`;
    }
    if (ch === '"') return string();
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true\b|false\b|null\b)/i.exec(text.slice(at));
    if (!m) fail(at >= text.length ? 'unexpected end of input' : `unexpected character '${ch}'`);
    if (!lenient && /^[a-z]/i.test(m[0]) && m[0] !== m[0].toLowerCase()) fail(`unexpected '${m[0]}'`);
    at += m[0].length;
    // Snowflake's parser takes NULL, TRUE, FALSE in any case (the docs' PARSE_JSON(' { "key2": NULL } ')).
    return m[0].toLowerCase();
  };
  const out = value();
  space();
  if (at < text.length) fail('unexpected text after the value');
  return out;
}
