// The SQL the exporters write around user SQL: names as sluice's warehouses read them, CTAS, swap and checks.

import { describe, expect, it } from 'vitest';
import { checkNames, checkQuery, ctasStatements, swapStatements, tableName } from '../../src/export/sql.js';
import { fillStatic, jinjaLiteral, shellQuote, splitPlaceholders } from '../../src/export/text.js';

const snowflake = { target: 'airflow', dialect: 'snowflake', assetKey: 'a.t' } as const;
const postgres = { ...snowflake, dialect: 'postgres' } as const;

describe('table names', () => {
  it('writes simple names bare, keywords quoted in the folded case, odd names quoted exactly', () => {
    expect(tableName('analytics.mau_summary', snowflake)).toBe('analytics.mau_summary');
    expect(tableName('sales.order', snowflake)).toBe('sales."ORDER"');
    expect(tableName('sales.order', postgres)).toBe('sales."order"');
    expect(tableName('"my.schema"."Odd ""t"""', postgres)).toBe('"my.schema"."Odd ""t"""');
    expect(tableName('raw.my table', postgres)).toBe('raw."my table"');
  });

  it('rejects keys sluice cannot read as a table', () => {
    expect(() => tableName('a.b.c', snowflake)).toThrow(/has 3 parts/);
    expect(() => tableName('a."b', snowflake)).toThrow(/unterminated quote/);
    expect(() => tableName('a.b"c', snowflake)).toThrow(/quote inside an unquoted part/);
  });
});

describe('statements', () => {
  it('CTAS: one statement on Snowflake, built aside and renamed on PostgreSQL', () => {
    expect(ctasStatements('a.t', 'SELECT 1;', snowflake)).toEqual(['CREATE OR REPLACE TABLE a.t AS\nSELECT 1']);
    expect(ctasStatements('a.t', 'SELECT 1', postgres)).toEqual([
      'DROP TABLE IF EXISTS a.t__sluice_new',
      'CREATE TABLE a.t__sluice_new AS\nSELECT 1',
      'DROP TABLE IF EXISTS a.t',
      'ALTER TABLE a.t__sluice_new RENAME TO t',
    ]);
  });

  it('swap: SWAP WITH on Snowflake, a rename pair (moving schema when needed) on PostgreSQL', () => {
    expect(swapStatements('a.mau', 'a.tmp', snowflake)).toEqual([
      'CREATE TABLE IF NOT EXISTS a.mau LIKE a.tmp',
      'ALTER TABLE a.mau SWAP WITH a.tmp',
      'DROP TABLE a.tmp',
    ]);
    expect(swapStatements('pub.mau', 'work.tmp', postgres)).toEqual([
      'DROP TABLE IF EXISTS pub.mau',
      'ALTER TABLE work.tmp RENAME TO mau',
      'ALTER TABLE work.mau SET SCHEMA pub',
    ]);
  });

  it('checks: one boolean, computed as sluice computes it', () => {
    expect(checkQuery('a.t', { type: 'row_count', min: 1, blocking: true }, snowflake)).toBe('SELECT COUNT(*) >= 1 FROM a.t');
    expect(
      checkQuery(
        'a.t',
        { type: 'sql', sql: 'SELECT 1 FROM {{ table }} WHERE x -- c', expect: 'no_rows', blocking: true },
        postgres,
      ),
    ).toBe('SELECT COUNT(*) = 0 FROM (\nSELECT 1 FROM a.t WHERE x -- c\n) AS q');
    expect(checkQuery('a.t', { type: 'freshness', maxAge: 3_600_000, column: 'updated_at', blocking: true }, postgres)).toBe(
      `SELECT MAX("updated_at") >= NOW() - INTERVAL '3600 seconds' FROM a.t`,
    );
  });

  it('names checks as sluice reports them', () => {
    expect(
      checkNames([
        { type: 'row_count', min: 1, blocking: true },
        { type: 'row_count', min: 2, blocking: true },
        { type: 'count_tolerance', against: 'raw.t', tolerancePercent: 1, blocking: false },
      ]),
    ).toEqual(['row_count', 'row_count#2', 'count_tolerance:raw.t']);
  });
});

describe('text', () => {
  it('splits sluice placeholders from text, whatever the spacing', () => {
    expect(splitPlaceholders('a {{ds}} b {{  run_id }} {{ x.y }}', 'prefect', 'k')).toEqual([
      { literal: 'a ' },
      { placeholder: 'ds' },
      { literal: ' b ' },
      { placeholder: 'run_id' },
      { literal: ' {{ x.y }}' },
    ]);
  });

  it('escapes Jinja openings so the text renders as itself', () => {
    expect(jinjaLiteral('{{ x }} {% y %} {# z #} {a}')).toBe("{{ '{' }}{ x }} {{ '{' }}% y %} {{ '{' }}# z #} {a}");
  });

  it('fills a value known at export time and quotes words for bash', () => {
    expect(fillStatic('FROM {{table}} AND {{ ds }}', 'table', 'a.t')).toBe('FROM a.t AND {{ ds }}');
    expect(shellQuote('mart.orders')).toBe('mart.orders');
    expect(shellQuote("it's here")).toBe(`'it'"'"'s here'`);
  });
});
