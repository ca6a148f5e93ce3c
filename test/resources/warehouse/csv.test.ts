// The CSV reader, type inference and value conversions behind seeding, without a database.

import { describe, expect, it } from 'vitest';
import { inferColumnType, parseCsv } from '../../../src/resources/warehouse/csv.js';
import { plainDecimal, plainInteger, plainPgTimestamp } from '../../../src/resources/warehouse/values.js';

describe('parseCsv', () => {
  it('reads quotes, doubled quotes, embedded commas and newlines, CRLF and a BOM', () => {
    const text = '\uFEFFid,note\r\n1,"a, ""quoted""\nline"\r\n2,plain\n\n';
    expect(parseCsv(text)).toStrictEqual([
      ['id', 'note'],
      ['1', 'a, "quoted"\nline'],
      ['2', 'plain'],
    ]);
  });

  it('reads an unquoted empty field as null and a quoted one as an empty string', () => {
    expect(parseCsv('a,b,c\n,"",x')).toStrictEqual([
      ['a', 'b', 'c'],
      [null, '', 'x'],
    ]);
  });

  it('fails on an unclosed quote', () => {
    expect(() => parseCsv('a\n"open')).toThrow('CSV: a quoted field is not closed');
  });
});

describe('inferColumnType', () => {
  it.each([
    [['1', '-2', null], 'INTEGER'],
    [['1', '3000000000'], 'BIGINT'],
    [['9223372036854775808'], 'DOUBLE PRECISION'],
    [['1', '2.5', '1e3'], 'DOUBLE PRECISION'],
    [['2025-01-31'], 'DATE'],
    [['2025-01-31 23:59:59', '2025-02-01T00:00'], 'TIMESTAMP'],
    [['2025-01-31', '2025-01-31 10:00:00'], 'VARCHAR'],
    [['007', '12'], 'VARCHAR'],
    [['fa288b03', 'Google'], 'VARCHAR'],
    [[null, null], 'VARCHAR'],
  ])('infers %j as %s', (values, type) => {
    expect(inferColumnType(values as (string | null)[])).toBe(type);
  });
});

describe('plain values', () => {
  it('keeps integers exact: numbers when safe, strings beyond 2^53', () => {
    expect(plainInteger(42n)).toBe(42);
    expect(plainInteger('-7')).toBe(-7);
    expect(plainInteger('9007199254740993')).toBe('9007199254740993');
  });

  it('turns decimals into numbers only when a double holds them exactly', () => {
    expect(plainDecimal('1.50')).toBe(1.5);
    expect(plainDecimal('0.000123')).toBe(0.000123);
    expect(plainDecimal('12345678901234567890.12')).toBe('12345678901234567890.12');
    expect(plainDecimal('NaN')).toBe('NaN');
  });

  it("reads PostgreSQL timestamps as UTC ISO strings, whatever the machine's zone", () => {
    expect(plainPgTimestamp('2025-01-31 23:59:59')).toBe('2025-01-31T23:59:59.000Z');
    expect(plainPgTimestamp('2025-01-31 23:59:59.123456')).toBe('2025-01-31T23:59:59.123Z');
    expect(plainPgTimestamp('2025-01-01 00:00:00+02')).toBe('2024-12-31T22:00:00.000Z');
    expect(plainPgTimestamp('2025-01-01 00:00:00-03:30')).toBe('2025-01-01T03:30:00.000Z');
    expect(plainPgTimestamp('infinity')).toBe('infinity');
    expect(plainPgTimestamp('0044-03-15 12:00:00 BC')).toBe('0044-03-15 12:00:00 BC');
  });
});
