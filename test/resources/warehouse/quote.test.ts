// Identifier quoting and table-name parsing, per dialect, without a database.

import { describe, expect, it } from 'vitest';
import { parseTableName, qualifiedName, quoteIdent, unquotedName } from '../../../src/resources/warehouse/quote.js';

describe('quoteIdent', () => {
  it('wraps in double quotes and doubles embedded ones', () => {
    expect(quoteIdent('duckdb', 'mau_summary')).toBe('"mau_summary"');
    expect(quoteIdent('postgres', 'a"b')).toBe('"a""b"');
    expect(quoteIdent('postgres', '"; DROP TABLE x; --')).toBe('"""; DROP TABLE x; --"');
    expect(quoteIdent('snowflake', 'ü b')).toBe('"ü b"');
  });

  it('refuses names the server would reject or silently mangle', () => {
    expect(() => quoteIdent('duckdb', '')).toThrow('duckdb: an identifier may not be empty');
    expect(() => quoteIdent('postgres', 'a\0b')).toThrow('contains a NUL character');
    // 32 two-byte letters are 64 bytes: PostgreSQL would truncate to 63 and could hit another table.
    expect(() => quoteIdent('postgres', 'é'.repeat(32))).toThrow('longer than 63 bytes');
    expect(quoteIdent('postgres', 'é'.repeat(31))).toBe(`"${'é'.repeat(31)}"`); // 62 bytes fit
    expect(quoteIdent('duckdb', 'x'.repeat(300))).toHaveLength(302);
    expect(() => quoteIdent('postgres', '')).toThrow(expect.objectContaining({ kind: 'sql', code: 'INVALID_NAME' }));
  });
});

describe('parseTableName', () => {
  it('splits schema and table', () => {
    expect(parseTableName('analytics.mau_summary')).toStrictEqual({ schema: 'analytics', name: 'mau_summary' });
    expect(parseTableName('mau_summary')).toStrictEqual({ schema: undefined, name: 'mau_summary' });
  });

  it('keeps quoted parts exactly, with dots and doubled quotes inside', () => {
    expect(parseTableName('"my.schema"."a ""b"""', 'postgres')).toStrictEqual({ schema: 'my.schema', name: 'a "b"' });
    expect(parseTableName('"Raw".Events', 'postgres')).toStrictEqual({ schema: 'Raw', name: 'events' });
  });

  it('folds bare simple parts as each dialect folds unquoted SQL names', () => {
    expect(parseTableName('Analytics.MAU', 'postgres')).toStrictEqual({ schema: 'analytics', name: 'mau' });
    expect(parseTableName('analytics.mau', 'snowflake')).toStrictEqual({ schema: 'ANALYTICS', name: 'MAU' });
    expect(parseTableName('Analytics.MAU', 'duckdb')).toStrictEqual({ schema: 'Analytics', name: 'MAU' });
    expect(parseTableName('Analytics.MAU')).toStrictEqual({ schema: 'Analytics', name: 'MAU' });
    expect(unquotedName('postgres', 'My Table')).toBe('My Table');
  });

  it('says what is wrong with a malformed name', () => {
    expect(() => parseTableName('a.b.c')).toThrow('table name "a.b.c" has 3 parts; expected "table" or "schema.table"');
    expect(() => parseTableName('a..b')).toThrow('has an empty part');
    expect(() => parseTableName('a.')).toThrow('has an empty part');
    expect(() => parseTableName('"a')).toThrow('has an unterminated quote');
    expect(() => parseTableName('"a"b')).toThrow('expected "." after a quoted part');
    expect(() => parseTableName('a"b')).toThrow('has a quote inside an unquoted part');
  });
});

describe('qualifiedName', () => {
  it('quotes each part and never concatenates raw text', () => {
    expect(qualifiedName('duckdb', { schema: 'raw_data', name: 'session_timestamp' })).toBe('"raw_data"."session_timestamp"');
    expect(qualifiedName('postgres', { schema: undefined, name: 'x"y' })).toBe('"x""y"');
    expect(qualifiedName('postgres', parseTableName('"a.b".c', 'postgres'))).toBe('"a.b"."c"');
  });
});
